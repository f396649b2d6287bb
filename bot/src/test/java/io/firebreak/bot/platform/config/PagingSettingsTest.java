package io.firebreak.bot.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PagerDuty's settings read from the environment, and the problems named (never with a value) when they are wrong. */
class PagingSettingsTest {
    @TempDir
    Path dataDir;

    private Map<String, String> env(String... pairs) {
        return Environments.with(dataDir, pairs);
    }

    @Test
    void withNothingSetPagingIsOff() {
        PagingSettings settings = ConfigLoader.load(env()).paging();

        assertThat(settings.pagingOn()).isFalse();
        assertThat(settings.onCallOn()).isFalse();
        assertThat(settings.eventsUrl()).isEqualTo(URI.create("https://events.pagerduty.com"));
        assertThat(settings.apiUrl()).isEqualTo(URI.create("https://api.pagerduty.com"));
        assertThat(settings.onCallPoll()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void servicesSchedulesSecretsAndTheUserMapAreRead() {
        PagingSettings settings = ConfigLoader.load(env(
                        "PAGERDUTY_SERVICES", "agents, payments-team",
                        "PAGERDUTY_ROUTING_KEY_AGENTS", "R0UT1NGKEYPLANTEDF0RAGENTS000001",
                        "PAGERDUTY_ROUTING_KEY_PAYMENTS_TEAM", "R0UT1NGKEYPLANTEDF0RPAYMENTS0002",
                        "PAGERDUTY_API_TOKEN", "pd-token-planted-for-tests",
                        "PAGERDUTY_SCHEDULES", "PI7DH85,PABCDEF",
                        "PAGERDUTY_ESCALATION_POLICIES", "PT20YPA",
                        "PAGERDUTY_WEBHOOK_SECRETS", "pd-webhook-secret-planted-one,pd-webhook-secret-planted-two",
                        "PAGERDUTY_USER_MAP", "PT23IWX=U024BE7LH, Tim@Example.com=U0G9QF9C6",
                        "PAGERDUTY_EVENTS_URL", "http://127.0.0.1:8089/"))
                .paging();

        assertThat(settings.services().keySet()).containsExactly("agents", "payments-team");
        assertThat(settings.services().get("payments-team").value()).isEqualTo("R0UT1NGKEYPLANTEDF0RPAYMENTS0002");
        assertThat(settings.schedules()).containsExactly("PI7DH85", "PABCDEF");
        assertThat(settings.escalationPolicies()).containsExactly("PT20YPA");
        assertThat(settings.webhookSecrets()).hasSize(2);
        assertThat(settings.userMap())
                .containsEntry("pt23iwx", "U024BE7LH")
                .containsEntry("tim@example.com", "U0G9QF9C6");
        assertThat(settings.eventsUrl()).isEqualTo(URI.create("http://127.0.0.1:8089"));
        assertThat(settings.onCallOn()).isTrue();
        assertThat(settings.toString()).doesNotContain("R0UT1NGKEY").doesNotContain("pd-token-planted");
    }

    @Test
    void everyProblemNamesTheVariableAndNeverItsValue() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(env(
                        "PAGERDUTY_SERVICES", "agents,Payments,billing",
                        "PAGERDUTY_ROUTING_KEY_AGENTS", "not-a-key-secretish",
                        "PAGERDUTY_EVENTS_URL", "events.pagerduty.com",
                        "PAGERDUTY_SCHEDULES", "daily-rotation",
                        "PAGERDUTY_ESCALATION_POLICIES", "PT20YPA",
                        "PAGERDUTY_WEBHOOK_SECRETS", "short",
                        "PAGERDUTY_USER_MAP", "PT23IWX=bob",
                        "PAGERDUTY_ATTEMPTS", "0",
                        "PAGERDUTY_ONCALL_POLL", "1m")));

        assertThat(e.problems())
                .containsExactly(
                        "PAGERDUTY_ROUTING_KEY_AGENTS must be an Events API v2 Integration Key: 20 to 64 letters and digits (PagerDuty's are 32)",
                        "PAGERDUTY_SERVICES must list service names of lower-case letters, digits and - (up to 40), separated by commas, such as agents,payments",
                        "PAGERDUTY_ROUTING_KEY_BILLING must hold the routing key (Integration Key of an Events API v2 integration) of service billing listed in PAGERDUTY_SERVICES",
                        "PAGERDUTY_EVENTS_URL must be an http:// or https:// URL, such as https://events.pagerduty.com",
                        "PAGERDUTY_SCHEDULES must list PagerDuty schedule IDs such as PI7DH85, separated by commas",
                        "PAGERDUTY_API_TOKEN must be set (a read-only REST API key) to read the on-call of PAGERDUTY_SCHEDULES and PAGERDUTY_ESCALATION_POLICIES",
                        "PAGERDUTY_WEBHOOK_SECRETS must hold webhook subscription secrets of at least 16 characters, separated by commas",
                        "PAGERDUTY_USER_MAP entry 1 must be <PagerDuty user ID or e-mail>=<Slack user ID>, such as PT23IWX=U024BE7LH or tim@example.com=U024BE7LH",
                        "PAGERDUTY_ATTEMPTS must be a whole number from 1 to 20",
                        "PAGERDUTY_ONCALL_POLL must be a positive ISO-8601 duration such as PT1M");
        assertThat(String.join("\n", e.problems())).doesNotContain("secretish").doesNotContain("short");
        assertThat(List.of(PagingSettings.routingKeyVariable("payments-team")))
                .containsExactly("PAGERDUTY_ROUTING_KEY_PAYMENTS_TEAM");
    }
}
