package io.firebreak.bot.containment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.firebreak.bot.platform.config.ContainmentSettings;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.storage.incident.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoaderTest {
    static final Path SHIPPED = Path.of("../manifests/containment-actions.yml");
    static final Map<String, String> ENV = Map.of(
            "AGENT_CONTROL_URL", "https://agents.example.com/control/", "AGENT_CONTROL_TOKEN", "act-0123456789abcdef");
    final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();

    static ActionCatalog shipped(Map<String, String> env) throws Exception {
        return CatalogLoader.parse(Files.readString(SHIPPED), SHIPPED.toString(), env);
    }

    @Test
    void theShippedCatalogHasExactlyThePlaybooksFiveActions() throws Exception {
        ActionCatalog catalog = shipped(ENV);

        assertThat(catalog.actions())
                .extracting(ContainmentAction::id)
                .containsExactly(
                        "pause-workflow",
                        "disable-write-tools",
                        "force-manual-approval",
                        "rollback-prompt",
                        "remove-knowledge-source");
        assertThat(catalog.targets()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("the agent control API");
            assertThat(t.configured()).isTrue();
            assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(t.retry().maxAttempts()).isEqualTo(5);
        });
    }

    @Test
    void theShippedCallsAreExactlyTheOnesTheAgentControlApiExpects() throws Exception {
        ActionCatalog catalog = shipped(ENV);
        Map<String, String> values = Map.of(
                "workflow",
                "refund-agent",
                "prompt",
                "refund-policy",
                "version",
                "41",
                "previous_version",
                "40",
                "source",
                "kb-2023",
                "incident",
                "INC-7",
                "reason",
                "wrong refunds");

        assertThat(call(catalog, "pause-workflow", false, values))
                .isEqualTo(
                        "POST https://agents.example.com/control/workflows/refund-agent/pause {\"incident\":\"INC-7\",\"reason\":\"wrong refunds\"}");
        assertThat(call(catalog, "pause-workflow", true, values))
                .isEqualTo(
                        "POST https://agents.example.com/control/workflows/refund-agent/resume {\"incident\":\"INC-7\",\"reason\":\"wrong refunds\"}");
        assertThat(call(catalog, "disable-write-tools", false, values))
                .startsWith(
                        "POST https://agents.example.com/control/workflows/refund-agent/tools/disable {\"scope\":\"write\"");
        assertThat(call(catalog, "disable-write-tools", true, values))
                .startsWith(
                        "POST https://agents.example.com/control/workflows/refund-agent/tools/enable {\"scope\":\"write\"");
        assertThat(call(catalog, "force-manual-approval", false, values))
                .startsWith(
                        "PUT https://agents.example.com/control/workflows/refund-agent/approval-mode {\"mode\":\"manual\"");
        assertThat(call(catalog, "force-manual-approval", true, values))
                .startsWith(
                        "PUT https://agents.example.com/control/workflows/refund-agent/approval-mode {\"mode\":\"auto\"");
        assertThat(call(catalog, "rollback-prompt", false, values))
                .startsWith(
                        "POST https://agents.example.com/control/prompts/refund-policy/rollback {\"to_version\":\"41\"");
        assertThat(call(catalog, "rollback-prompt", true, values))
                .startsWith(
                        "POST https://agents.example.com/control/prompts/refund-policy/rollback {\"to_version\":\"40\"");
        assertThat(call(catalog, "remove-knowledge-source", false, values))
                .startsWith("POST https://agents.example.com/control/knowledge-sources/kb-2023/disable {");
        assertThat(call(catalog, "remove-knowledge-source", true, values))
                .startsWith("POST https://agents.example.com/control/knowledge-sources/kb-2023/enable {");

        ContainmentAction rollback = catalog.find("rollback-prompt").orElseThrow();
        OutboundRequest read =
                rollback.capture().orElseThrow().request().render(rollback.target(), values, Optional.empty(), mapper);
        assertThat(read.method() + " " + read.uri())
                .isEqualTo("GET https://agents.example.com/control/prompts/refund-policy");
        assertThat(rollback.capture().get().keep()).containsEntry("previous_version", "/live_version");
    }

    private String call(ActionCatalog catalog, String id, boolean undo, Map<String, String> values) {
        ContainmentAction action = catalog.find(id).orElseThrow();
        OutboundRequest r =
                (undo ? action.undo() : action.request()).render(action.target(), values, Optional.of("ca-1"), mapper);
        assertThat(r.headers())
                .containsEntry("Authorization", "Bearer act-0123456789abcdef")
                .containsEntry("Idempotency-Key", "ca-1");
        return r.method() + " " + r.uri() + " " + r.body().orElse("");
    }

    @Test
    void credentialsFromTheEnvironmentAreSecrets() throws Exception {
        Target target = shipped(ENV).targets().get(0);

        assertThat(target.secrets()).contains("act-0123456789abcdef", "Bearer act-0123456789abcdef");
        assertThat(Redactor.redact("token act-0123456789abcdef", target.secrets()))
                .isEqualTo("token " + Redactor.MASK);
    }

    @Test
    void aMissingVariableLeavesTheTargetUnconfiguredNamingIt() throws Exception {
        Target target = shipped(Map.of()).targets().get(0);

        assertThat(target.configured()).isFalse();
        assertThat(target.notConfigured())
                .isEqualTo("the agent control API is not configured: set AGENT_CONTROL_URL and AGENT_CONTROL_TOKEN");
    }

    @Test
    void preApprovalIsAtOrAboveTheSeverityAndNeverForUnassessedIncidents() throws Exception {
        ContainmentAction pause = shipped(ENV).find("pause-workflow").orElseThrow();

        assertThat(pause.preapprovedAt(Optional.of(Severity.CRITICAL))).isTrue();
        assertThat(pause.preapprovedAt(Optional.of(Severity.HIGH))).isTrue();
        assertThat(pause.preapprovedAt(Optional.of(Severity.MEDIUM))).isFalse();
        assertThat(pause.preapprovedAt(Optional.empty())).isFalse();
        assertThat(pause.approvalRule()).isEqualTo("pre-approved at high and above");
    }

    @Test
    void parametersAreCheckedAgainstTheirPatterns() throws Exception {
        ContainmentAction rollback = shipped(ENV).find("rollback-prompt").orElseThrow();

        assertThat(rollback.problems(Map.of("prompt", "refund-policy", "version", "41")))
                .isEmpty();
        assertThat(rollback.problems(Map.of("prompt", "../admin", "colour", "red")))
                .containsKeys("prompt", "version", "colour")
                .hasEntrySatisfying(
                        "colour",
                        p -> assertThat(p).contains("not a parameter of rollback-prompt; it takes prompt, version"))
                .hasEntrySatisfying("version", p -> assertThat(p).contains("version is required"));
    }

    @Test
    void everyRecipeIsAValidCatalogEntry() throws Exception {
        String file = Files.readString(SHIPPED);
        String recipes = file.substring(file.indexOf("# RECIPES"));
        String uncommented = recipes.lines()
                .skip(1)
                .filter(l -> l.startsWith("# ") || l.equals("#"))
                .map(l -> l.equals("#") ? "" : l.substring(2))
                .filter(l -> !l.startsWith("To use one") && !l.startsWith("`actions:` above"))
                .collect(Collectors.joining("\n"));
        uncommented = uncommented.substring(uncommented.indexOf("targets:"));

        ActionCatalog catalog = CatalogLoader.parse(
                uncommented,
                "recipes",
                Map.of(
                        "LANGFUSE_PUBLIC_KEY",
                        "pk-lf-1234",
                        "LANGFUSE_SECRET_KEY",
                        "sk-lf-5678",
                        "UNLEASH_URL",
                        "https://unleash.example.com",
                        "UNLEASH_ADMIN_TOKEN",
                        "user:abc",
                        "LAUNCHDARKLY_API_TOKEN",
                        "api-0000"));

        assertThat(catalog.actions())
                .extracting(ContainmentAction::id)
                .containsExactly("langfuse-prompt-rollback", "unleash-feature-off", "launchdarkly-flag-off");
        Map<String, String> values = Map.of(
                "prompt",
                "support/refund policy",
                "version",
                "41",
                "previous_version",
                "40",
                "project",
                "default",
                "feature",
                "agent-refund-tool",
                "flag",
                "agent-refund-tool",
                "environment",
                "production",
                "incident",
                "INC-7",
                "reason",
                "wrong refunds");
        ContainmentAction langfuse = catalog.find("langfuse-prompt-rollback").orElseThrow();
        OutboundRequest patch = langfuse.request().render(langfuse.target(), values, Optional.of("ca-1"), mapper);
        assertThat(patch.method() + " " + patch.uri())
                .isEqualTo(
                        "PATCH https://cloud.langfuse.com/api/public/v2/prompts/support%2Frefund%20policy/versions/41");
        assertThat(patch.body()).contains("{\"newLabels\":[\"production\"]}");
        assertThat(patch.headers().get("Authorization"))
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("pk-lf-1234:sk-lf-5678".getBytes()));

        ContainmentAction unleash = catalog.find("unleash-feature-off").orElseThrow();
        OutboundRequest off = unleash.request().render(unleash.target(), values, Optional.of("ca-1"), mapper);
        assertThat(off.method() + " " + off.uri())
                .isEqualTo(
                        "POST https://unleash.example.com/api/admin/projects/default/features/agent-refund-tool/environments/production/off");
        assertThat(off.headers()).containsEntry("Authorization", "user:abc");
        assertThat(off.body()).isEmpty();

        ContainmentAction ld = catalog.find("launchdarkly-flag-off").orElseThrow();
        OutboundRequest semanticPatch = ld.request().render(ld.target(), values, Optional.of("ca-1"), mapper);
        assertThat(semanticPatch.uri())
                .hasToString("https://app.launchdarkly.com/api/v2/flags/default/agent-refund-tool");
        assertThat(semanticPatch.headers())
                .containsEntry("Content-Type", "application/json; domain-model=launchdarkly.semanticpatch")
                .containsEntry("Authorization", "api-0000")
                .containsEntry("LD-API-Version", "20240415");
        assertThat(mapper.readTree(semanticPatch.body().orElseThrow())).isEqualTo(mapper.readTree("""
                {"environmentKey": "production", "comment": "Firebreak INC-7: wrong refunds", "instructions": [{"kind": "turnFlagOff"}]}"""));
        // The shape LaunchDarkly documents for turnFlagOff.
        com.fasterxml.jackson.databind.JsonNode documented = mapper.readTree(
                io.firebreak.bot.testing.Fixtures.read("agent-traces/launchdarkly/semantic-patch-turnFlagOff.json"));
        assertThat(mapper.readTree(semanticPatch.body().get()).path("instructions"))
                .isEqualTo(documented.path("instructions"));
    }

    @Test
    void everyProblemNamesTheFileTheActionAndTheField() {
        String broken = """
                targets:
                  agent-control:
                    name: the agent control API
                    base_url: ${AGENT_CONTROL_URL}
                    timeout: soon
                    auth: {bearer: "x", basic: {username: a, password: b}}
                actions:
                  - id: pause-workflow
                    title: Pause workflow
                    description: Stops it.
                    target: agent-control
                    preapproved_from: urgent
                    parameters:
                      - {name: workflow, description: the workflow, pattern: "[a-z"}
                    request: {method: FETCH, path: "workflows/{workflow}/pause", body: {reason: {reason}}}
                    undo: {method: POST, path: "/workflows/{workflow}/resume/{colour}"}
                  - id: pause-workflow
                    title: Again
                    description: Twice.
                    target: nowhere
                    request: {method: GET, path: "/x/{reason}", body: {a: "${SECRET}"}}
                    undo: {method: POST, path: /y}
                    preaproved_from: high
                """;

        CatalogException e = catchThrowableOfType(
                CatalogException.class,
                () -> CatalogLoader.parse(broken, "actions.yml", Map.of("AGENT_CONTROL_URL", "ftp://files")));

        assertThat(e.problems())
                .containsExactlyInAnyOrder(
                        "actions.yml: target \"agent-control\": base_url: must give an http:// or https:// URL (check AGENT_CONTROL_URL)",
                        "actions.yml: target \"agent-control\": auth: must have exactly one of bearer or basic",
                        "actions.yml: target \"agent-control\": timeout: must be a positive ISO-8601 duration such as PT10S",
                        "actions.yml: action \"pause-workflow\": preapproved_from: must be low, medium, high or critical (or left out to always need an approver)",
                        "actions.yml: action \"pause-workflow\": parameters[0].pattern: is not a valid regular expression (Unclosed character class)",
                        "actions.yml: action \"pause-workflow\": request.method: must be one of GET, POST, PUT, PATCH or DELETE",
                        "actions.yml: action \"pause-workflow\": request.path: must start with / (it is appended to the target's base_url)",
                        "actions.yml: action \"pause-workflow\": request.body.reason: looks like an unquoted placeholder; write \"{reason}\" in quotes",
                        "actions.yml: action \"pause-workflow\": undo.path: {colour} is not a parameter, a kept value or a built-in ({incident}, {reason}, {requester}, {action_run})",
                        "actions.yml: action \"pause-workflow\": id: is used by an earlier action too; ids must be unique",
                        "actions.yml: action \"pause-workflow\": preaproved_from: is not a known field (known: capture, description, id, parameters, preapproved_from, request, target, title, undo, verify)",
                        "actions.yml: action \"pause-workflow\": target: there is no target \"nowhere\" under targets",
                        "actions.yml: action \"pause-workflow\": request.path: {reason} may be empty or free text; a path may use only required parameters, kept values, {incident}, {requester} and {action_run}",
                        "actions.yml: action \"pause-workflow\": request.body: a GET request cannot have a body",
                        "actions.yml: action \"pause-workflow\": request.body.a: environment variables belong in targets (base_url, auth, headers), not in actions");
        assertThat(e.getMessage()).doesNotContain("ftp://files");
    }

    @Test
    void yamlSyntaxErrorsGiveTheLine() {
        CatalogException e = catchThrowableOfType(
                CatalogException.class,
                () -> CatalogLoader.parse("targets:\n  a: [unclosed\nactions: []\n", "actions.yml", Map.of()));

        assertThat(e.problems()).singleElement().asString().startsWith("actions.yml: not valid YAML at line ");
    }

    @Test
    void aMissingExplicitFileIsAProblemButTheDefaultFallsBackToTheBuiltInCopy(@TempDir Path dir) {
        ContainmentSettings explicit = new ContainmentSettings(
                Optional.of(dir.resolve("nope.yml")), Set.of(), Duration.ofMinutes(30), Map.of());
        assertThat(catchThrowableOfType(CatalogException.class, () -> CatalogLoader.load(explicit))
                        .problems())
                .containsExactly(dir.resolve("nope.yml") + ": no such file (FIREBREAK_ACTIONS names it)");

        ContainmentSettings byDefault =
                new ContainmentSettings(Optional.empty(), Set.of(), Duration.ofMinutes(30), ENV);
        ActionCatalog builtIn = CatalogLoader.load(byDefault);
        assertThat(builtIn.source()).isEqualTo("containment-actions.yml (built in)");
        assertThat(builtIn.actions()).hasSize(5);
    }

    @Test
    void anEmptyCatalogIsValid() {
        assertThat(CatalogLoader.parse("targets: {}\nactions: []\n", "actions.yml", Map.of())
                        .actions())
                .isEmpty();
        assertThat(List.of()).isEmpty();
    }
}
