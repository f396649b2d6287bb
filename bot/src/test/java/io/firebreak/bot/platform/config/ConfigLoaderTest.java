package io.firebreak.bot.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dataDir;

    private Map<String, String> env(String... pairs) {
        return Environments.with(dataDir, pairs);
    }

    @Test
    void defaultsNeedNoConfigurationAtAll() {
        Config config = ConfigLoader.load(env());

        assertThat(config.port()).isEqualTo(3000);
        assertThat(config.slackApiUrl()).isEqualTo("https://slack.com/api/");
        assertThat(config.slashCommand()).isEqualTo("/incident");
        assertThat(config.databaseUrl()).isEmpty();
        assertThat(config.botToken()).isEmpty();
        assertThat(config.apiToken()).isEmpty();
        assertThat(config.publicUrl()).isEmpty();
        assertThat(config.signingSecretGenerated()).isTrue();
        assertThat(Path.of(ConfigLoader.load(Map.of()).dataDir().toString())).isEqualTo(Path.of("./.firebreak"));
    }

    @Test
    void aGeneratedSigningSecretIsKeptAndReused() throws Exception {
        Config first = ConfigLoader.load(env());
        Config second = ConfigLoader.load(env());

        assertThat(first.signingSecret()).isEqualTo(second.signingSecret());
        assertThat(Files.readString(dataDir.resolve("slack-signing-secret")).trim())
                .isEqualTo(first.signingSecret().value());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dataDir.resolve("slack-signing-secret"))))
                .isEqualTo("rw-------");
    }

    @Test
    void everythingSetIsRead() {
        Config config = ConfigLoader.load(env(
                "PORT",
                "8080",
                "SLACK_SIGNING_SECRET",
                "abc123",
                "SLACK_BOT_TOKEN",
                "xoxb-abc-def",
                "SLACK_API_URL",
                "http://localhost:9999/api",
                "SLACK_COMMAND",
                "/fire",
                "DATABASE_URL",
                "postgres://u:p@db:5432/fb",
                "FIREBREAK_API_TOKEN",
                "a-long-enough-api-token",
                "FIREBREAK_PUBLIC_URL",
                "https://firebreak.example.com"));

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.signingSecretGenerated()).isFalse();
        assertThat(config.signingSecret().value()).isEqualTo("abc123");
        assertThat(config.slackApiUrl()).isEqualTo("http://localhost:9999/api/");
        assertThat(config.slashCommand()).isEqualTo("/fire");
        assertThat(config.databaseUrl()).get().extracting(u -> u.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/fb");
        assertThat(config.publicUrl()).get().hasToString("https://firebreak.example.com");
    }

    @Test
    void theLogFormatIsJsonOrTextAndATypoStopsTheBot() {
        ConfigLoader.load(env("FIREBREAK_LOG_FORMAT", "json"));
        ConfigLoader.load(env("FIREBREAK_LOG_FORMAT", "TEXT"));

        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> ConfigLoader.load(env("FIREBREAK_LOG_FORMAT", "jsno")));

        assertThat(e.problems())
                .containsExactly("FIREBREAK_LOG_FORMAT must be json (one JSON object per line) or text");
    }

    @Test
    void theRequestBudgetStaysInsideSlacksThreeSeconds() {
        assertThat(ConfigLoader.load(env()).requestBudget()).isEqualTo(java.time.Duration.ofMillis(2500));
        assertThat(ConfigLoader.load(env("FIREBREAK_REQUEST_BUDGET", "PT1.2S")).requestBudget())
                .isEqualTo(java.time.Duration.ofMillis(1200));

        for (String wrong : new String[] {"PT3S", "PT0.05S", "2500"}) {
            ConfigException e = catchThrowableOfType(
                    ConfigException.class, () -> ConfigLoader.load(env("FIREBREAK_REQUEST_BUDGET", wrong)));
            assertThat(e.problems()).singleElement().asString().startsWith("FIREBREAK_REQUEST_BUDGET must be");
            assertThat(e.problems().get(0)).doesNotContain(wrong);
        }
    }

    @Test
    void placeholdersFromTheSecretTemplateAreRefusedOneLineEach() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(env(
                        "SLACK_BOT_TOKEN",
                        "REPLACE_ME",
                        "DATABASE_URL",
                        " REPLACE_ME ",
                        "LANGFUSE_SECRET_KEY",
                        "REPLACE_ME")));

        assertThat(e.problems())
                .containsExactly(
                        "DATABASE_URL still holds the placeholder REPLACE_ME from manifests/kubernetes/secret.template.yml",
                        "LANGFUSE_SECRET_KEY still holds the placeholder REPLACE_ME from manifests/kubernetes/secret.template.yml",
                        "SLACK_BOT_TOKEN still holds the placeholder REPLACE_ME from manifests/kubernetes/secret.template.yml");
    }

    @Test
    void everyProblemIsOneLineNamingTheVariableAndNeverItsValue() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(env(
                        "PORT",
                        "eighty",
                        "SLACK_BOT_TOKEN",
                        "xoxp-user-token-SECRET1",
                        "SLACK_API_URL",
                        "slack.com/SECRET2",
                        "SLACK_COMMAND",
                        "incident",
                        "DATABASE_URL",
                        "mysql://root:SECRET3@db/x",
                        "FIREBREAK_API_TOKEN",
                        "SECRET4",
                        "FIREBREAK_PUBLIC_URL",
                        "ftp://SECRET5")));

        assertThat(e.problems()).hasSize(7);
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).startsWith("PORT "))
                .anySatisfy(p -> assertThat(p).startsWith("SLACK_BOT_TOKEN "))
                .anySatisfy(p -> assertThat(p).startsWith("SLACK_API_URL "))
                .anySatisfy(p -> assertThat(p).startsWith("SLACK_COMMAND "))
                .anySatisfy(p -> assertThat(p).startsWith("DATABASE_URL "))
                .anySatisfy(p -> assertThat(p).startsWith("FIREBREAK_API_TOKEN "))
                .anySatisfy(p -> assertThat(p).startsWith("FIREBREAK_PUBLIC_URL "));
        assertThat(String.join("\n", e.problems())).doesNotContain("SECRET").doesNotContain("eighty");
        assertThat(Files.exists(dataDir.resolve("slack-signing-secret"))).isFalse();
    }

    @Test
    void secretsNeverPrintThemselves() {
        Config config = ConfigLoader.load(env(
                "SLACK_SIGNING_SECRET",
                "signing-SECRET",
                "SLACK_BOT_TOKEN",
                "xoxb-token-SECRET",
                "FIREBREAK_API_TOKEN",
                "api-token-SECRET-long",
                "DATABASE_URL",
                "postgres://u:db-SECRET@db/fb"));

        assertThat(config.toString()).doesNotContain("SECRET");
        assertThat(new Secret("x").matches("x")).isTrue();
        assertThat(new Secret("x").matches("y")).isFalse();
        assertThat(new Secret("x").matches(null)).isFalse();
    }
}
