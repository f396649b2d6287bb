package io.firebreak.bot.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firebreak.bot.containment.ActionCatalog;
import io.firebreak.bot.containment.CatalogLoader;
import io.firebreak.bot.platform.config.ManifestException;
import io.firebreak.bot.signals.Alerts;
import io.firebreak.bot.signals.SourcesLoader;
import io.firebreak.bot.testing.TestBot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules file (and the sources file) are validated at start: every problem named, and the bot does not start. */
class RulesLoaderTest {
    static final Map<String, String> ENV = Map.of(
            "AGENT_CONTROL_URL", "https://agents.example.com/control/", "AGENT_CONTROL_TOKEN", "act-0123456789abcdef");

    static ActionCatalog catalog() throws Exception {
        return CatalogLoader.parse(
                Files.readString(Path.of("../manifests/containment-actions.yml")), "containment-actions.yml", ENV);
    }

    @Test
    void theShippedRulesAreValidAgainstTheShippedSourcesAndCatalog() throws Exception {
        var sources =
                SourcesLoader.parse(Files.readString(Path.of("../manifests/signals.yml")), "signals.yml", Map.of());
        byte[] bytes = Files.readAllBytes(Path.of("../manifests/rules.yml"));
        RuleSet rules = RulesLoader.parse(bytes, "rules.yml", catalog(), sources.keySet());

        assertThat(rules.rules()).extracting(Rule::id).containsExactly("report-burst", "tool-error-rate");
        Rule burst = rules.find("report-burst").orElseThrow();
        assertThat(burst.when().reports())
                .hasValueSatisfying(r -> assertThat(r.atLeast()).isEqualTo(5));
        assertThat(burst.autoContain()).isTrue();
        assertThat(rules.actor(burst)).matches("rule:report-burst@[0-9a-f]{12}");
        assertThat(sources.get("alertmanager").notConfigured()).containsExactly("FIREBREAK_ALERTMANAGER_TOKEN");
    }

    @Test
    void everyProblemIsNamedWithTheFileTheRuleAndTheField() throws Exception {
        String broken = """
                rules:
                  - id: burst
                    auto_contain: true
                    colour: red
                    when: {source: reports, workflow: "*", reports: {at_least: 0, within: ten minutes}}
                    then:
                      severity: low
                      contain: {action: force-manual-approval, parameters: {workflow: "{workflow}"}}
                  - id: burst
                    when: {source: prometheus, labels: {alertname: X}}
                    then: {severity: sev1, page: "on call", post: "#incidents"}
                  - id: sneaky
                    when: {source: alertmanager}
                    then:
                      severity: critical
                      contain: {action: pause-workflow, parameters: {workflow: "{prompt}"}}
                  - id: nothing
                    when: {}
                    then: {contain: {action: launch-rockets}}
                    mode: maybe
                """;
        assertThatThrownBy(() -> RulesLoader.parse(
                        broken.getBytes(StandardCharsets.UTF_8), "rules.yml", catalog(), Set.of("alertmanager")))
                .isInstanceOfSatisfying(
                        ManifestException.class,
                        e -> assertThat(e.problems())
                                .contains(
                                        "rules.yml: rule \"burst\": colour: is not a known field (known: auto_contain, description, id, mode, then, when)",
                                        "rules.yml: rule \"burst\": when.reports.at_least: must be a whole number from 1 to 100000",
                                        "rules.yml: rule \"burst\": when.reports.within: must be a positive ISO-8601 duration such as PT10M",
                                        "rules.yml: rule \"burst\": then.contain.action: force-manual-approval is pre-approved at medium and above and this rule's severity is low: a rule may only fire actions pre-approved at its severity",
                                        "rules.yml: rule \"burst\": id: is used by an earlier rule too; ids must be unique",
                                        "rules.yml: rule \"burst\": then.severity: must be low, medium, high or critical",
                                        "rules.yml: rule \"burst\": then.page: \"on call\" is not a service name (letters, digits, . _ : -)",
                                        "rules.yml: rule \"burst\": then.post: \"#incidents\" must be a Slack channel ID such as C0123456789",
                                        "rules.yml: rule \"sneaky\": then.contain.parameters.workflow: {prompt} is not a placeholder here (use {workflow}, {run_id} or {incident})",
                                        "rules.yml: rule \"sneaky\": then.contain: fires only in a rule with auto_contain: true (or mode: dry-run to try it)",
                                        "rules.yml: rule \"nothing\": mode: must be live or dry-run",
                                        "rules.yml: rule \"nothing\": when: must say at least one of source, labels, severity, workflow, reports")
                                .anyMatch(
                                        p -> p.startsWith(
                                                "rules.yml: rule \"burst\": when.source: \"prometheus\" is not a configured signal source"))
                                .anyMatch(
                                        p -> p.startsWith(
                                                "rules.yml: rule \"nothing\": then.contain.action: \"launch-rockets\" is not in the containment catalog")));
    }

    @Test
    void aSourcesFileWithASecretWrittenInItOrAGenericSourceWithoutMappingIsRefused() {
        String broken = """
                sources:
                  am:
                    kind: alertmanager
                    auth: {bearer: am-token-planted-0123456789}
                  evals:
                    kind: generic
                    auth: {hmac: {secret: "${X}"}}
                  Bad_Name:
                    kind: nagios
                    auth: {bearer: "${X}", hmac: {secret: "${X}"}}
                """;
        assertThatThrownBy(() -> SourcesLoader.parse(broken, "signals.yml", Map.of("X", "x-planted-0123456789")))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.problems())
                            .contains(
                                    "signals.yml: source \"am\": auth.bearer: must name an environment variable, such as \"${FIREBREAK_ALERTMANAGER_TOKEN}\": no secret belongs in the file",
                                    "signals.yml: source \"evals\": mapping: is required for a generic source: say where title, fingerprint, status… are",
                                    "signals.yml: source \"Bad_Name\": kind: must be alertmanager, grafana, datadog or generic",
                                    "signals.yml: source \"Bad_Name\": auth: must have exactly one of bearer or hmac");
                    assertThat(e.getMessage()).doesNotContain("am-token-planted-0123456789".substring(9));
                });
    }

    @Test
    void anInvalidRulesFileStopsTheBot() {
        Path rules = Alerts.write(
                "rules", "rules:\n  - id: x\n    when: {workflow: refunds}\n    then: {severity: urgent}\n");
        assertThatThrownBy(() -> TestBot.start(Map.of("FIREBREAK_RULES", rules.toString())))
                .rootCause()
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("then.severity: must be low, medium, high or critical");
        assertThatThrownBy(() -> TestBot.start(Map.of("FIREBREAK_RULES", "no/such/rules.yml")))
                .rootCause()
                .hasMessageContaining("no/such/rules.yml: no such file (FIREBREAK_RULES names it)");
    }
}
