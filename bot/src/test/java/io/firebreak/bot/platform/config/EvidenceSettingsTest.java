package io.firebreak.bot.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.firebreak.storage.evidence.TraceSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracing backends and fetch limits read from the environment, and the problems named when they are wrong. */
class EvidenceSettingsTest {
    @TempDir
    Path dataDir;

    private Map<String, String> env(String... pairs) {
        return Environments.with(dataDir, pairs);
    }

    @Test
    void withNothingSetNoBackendIsConfiguredAndTheLimitsAreTheDefaults() {
        EvidenceSettings settings = ConfigLoader.load(env()).evidence();

        assertThat(settings.configured()).isEmpty();
        assertThat(settings.defaultSource()).isEmpty();
        assertThat(settings.maxTraceBytes()).isEqualTo(20L * 1024 * 1024);
        assertThat(settings.fetchAttempts()).isEqualTo(6);
        assertThat(settings.fetchTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void eachBackendIsReadWithItsOwnCredentialsAndOneBackendIsTheDefault() {
        EvidenceSettings langfuse = ConfigLoader.load(env(
                        "LANGFUSE_HOST",
                        "https://us.cloud.langfuse.com",
                        "LANGFUSE_PUBLIC_KEY",
                        "pk-lf-1",
                        "LANGFUSE_SECRET_KEY",
                        "sk-lf-1"))
                .evidence();
        EvidenceSettings all = ConfigLoader.load(env(
                        "LANGFUSE_PUBLIC_KEY",
                        "pk-lf-1",
                        "LANGFUSE_SECRET_KEY",
                        "sk-lf-1",
                        "LANGSMITH_API_KEY",
                        "lsv2_pt_x",
                        "OTEL_TRACES_URL",
                        "http://tempo:3200/api/v2/traces/{traceId}",
                        "OTEL_TRACES_HEADERS",
                        "X-Scope-OrgID=tenant1, Authorization=Basic%20dXNlcjpwYXNz",
                        "FIREBREAK_EVIDENCE_MAX_BYTES",
                        "5MB",
                        "FIREBREAK_EVIDENCE_FETCH_ATTEMPTS",
                        "3",
                        "FIREBREAK_EVIDENCE_TIMEOUT_SECONDS",
                        "20"))
                .evidence();

        assertThat(langfuse.defaultSource()).contains(TraceSource.LANGFUSE);
        assertThat(langfuse.langfuse().orElseThrow().host().toString()).isEqualTo("https://us.cloud.langfuse.com");
        assertThat(all.configured()).containsExactly(TraceSource.LANGFUSE, TraceSource.LANGSMITH, TraceSource.OTEL);
        assertThat(all.defaultSource()).isEmpty();
        assertThat(all.langfuse().orElseThrow().host().toString()).isEqualTo(EvidenceSettings.LANGFUSE_CLOUD);
        assertThat(all.langsmith().orElseThrow().apiUrl().toString()).isEqualTo(EvidenceSettings.LANGSMITH_CLOUD);
        assertThat(all.langsmith().orElseThrow().apiKey().value()).isEqualTo("lsv2_pt_x");
        assertThat(all.otel().orElseThrow().tracesUrl()).isEqualTo("http://tempo:3200/api/v2/traces/{traceId}");
        assertThat(all.otel().orElseThrow().headers()).containsOnlyKeys("X-Scope-OrgID", "Authorization");
        assertThat(all.otel().orElseThrow().headers().get("Authorization").value())
                .isEqualTo("Basic dXNlcjpwYXNz");
        assertThat(all.otel().orElseThrow().headers().get("Authorization").toString())
                .doesNotContain("dXNlcjpwYXNz");
        assertThat(all.maxTraceBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(all.fetchAttempts()).isEqualTo(3);
        assertThat(all.fetchTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void everyProblemNamesTheVariableAndNeverItsValue() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(env(
                        "LANGFUSE_HOST",
                        "cloud.langfuse.com",
                        "LANGFUSE_PUBLIC_KEY",
                        "pk-lf-secretish",
                        "LANGSMITH_API_URL",
                        "https://api.smith.langchain.com",
                        "OTEL_TRACES_HEADERS",
                        "tenant-without-url=1",
                        "FIREBREAK_EVIDENCE_MAX_BYTES",
                        "lots",
                        "FIREBREAK_EVIDENCE_FETCH_ATTEMPTS",
                        "0",
                        "FIREBREAK_EVIDENCE_TIMEOUT_SECONDS",
                        "ten",
                        "FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_RUN",
                        "0",
                        "FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_INCIDENT",
                        "many")));

        assertThat(e.problems())
                .containsExactly(
                        "LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY must both be set to read traces from Langfuse (from the project's API keys in Langfuse settings)",
                        "LANGSMITH_API_KEY must be set to read runs from LangSmith (an API key from LangSmith settings)",
                        "OTEL_TRACES_HEADERS is set but OTEL_TRACES_URL is not: set OTEL_TRACES_URL to the trace-by-ID endpoint of Jaeger or Tempo, "
                                + "such as http://jaeger:16686/api/v3/traces",
                        "FIREBREAK_EVIDENCE_MAX_BYTES must be a size from 1KB to 1GB, such as 20MB or 5000000 (bytes)",
                        "FIREBREAK_EVIDENCE_FETCH_ATTEMPTS must be a whole number from 1 to 50",
                        "FIREBREAK_EVIDENCE_TIMEOUT_SECONDS must be a whole number from 1 to 600",
                        "FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_RUN must be a whole number from 1 to 10000",
                        "FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_INCIDENT must be a whole number from 1 to 100000");
        assertThat(String.join("\n", e.problems())).doesNotContain("pk-lf-secretish");
        assertThat(catchThrowableOfType(
                                ConfigException.class,
                                () -> ConfigLoader.load(env(
                                        "LANGFUSE_HOST",
                                        "cloud.langfuse.com",
                                        "LANGFUSE_PUBLIC_KEY",
                                        "pk",
                                        "LANGFUSE_SECRET_KEY",
                                        "sk",
                                        "OTEL_TRACES_URL",
                                        "http://tempo:3200/api/traces",
                                        "OTEL_TRACES_HEADERS",
                                        "novalue")))
                        .problems())
                .containsExactly(
                        "LANGFUSE_HOST must be an http:// or https:// URL, such as https://cloud.langfuse.com, https://us.cloud.langfuse.com or your self-hosted Langfuse",
                        "OTEL_TRACES_HEADERS must be name=value pairs separated by commas, such as X-Scope-OrgID=tenant1,Authorization=Bearer%20token "
                                + "(values may be percent-encoded)");
    }

    @Test
    void sizesAcceptUnits() {
        assertThat(EvidenceSettings.size("20MB")).contains(20L * 1024 * 1024);
        assertThat(EvidenceSettings.size("512k")).contains(512L * 1024);
        assertThat(EvidenceSettings.size("1 gb")).contains(1024L * 1024 * 1024);
        assertThat(EvidenceSettings.size("5000000")).contains(5_000_000L);
        assertThat(EvidenceSettings.size("20 megabytes")).isEqualTo(Optional.empty());
    }
}
