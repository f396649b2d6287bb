package io.firebreak.bot.evidence.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.storage.incident.IncidentKey;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /incident run} and {@code /incident cause}, the card's "Attach run" and "Set failure point" buttons and
 * their modals, built on Slack's own payloads, signed and sent to the real server: what the bot answers, what
 * it sends to Slack, and what it stores (or, for bad input, that it stores nothing).
 */
class EvidenceCommandsTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String REFUND_RUN = "7f3c2a9e4b1d4c8e9a0b1c2d3e4f5a6b";
    static final String WEATHER_RUN = "fee618f96dc31e0ca38b2f7b26eb8b29";
    static com.github.tomakehurst.wiremock.WireMockServer langfuse;
    static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        langfuse = new com.github.tomakehurst.wiremock.WireMockServer(
                wireMockConfig().dynamicPort());
        langfuse.start();
        serve(REFUND_RUN, "evidence/langfuse-refund-agent.trace.json");
        serve(WEATHER_RUN, "reference/agent-traces/langfuse/openai-agents-2025-09-30.trace.json");
        langfuse.stubFor(get("/api/public/traces/run-slow")
                .willReturn(aResponse().withStatus(200).withFixedDelay(4000).withBody("{}")));
        bot = TestBot.start(Map.of(
                "LANGFUSE_HOST",
                langfuse.baseUrl(),
                "LANGFUSE_PUBLIC_KEY",
                "pk-lf-commands-test-public",
                "LANGFUSE_SECRET_KEY",
                "sk-lf-commands-test-secret"));
        bot.slack().wiremock().stubFor(post("/api/views.open").willReturn(okJson(slackExample("views.open"))));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.postEphemeral").willReturn(okJson(slackExample("chat.postEphemeral"))));
    }

    @AfterAll
    static void stop() {
        bot.close();
        langfuse.stop();
    }

    private static void serve(String runId, String resource) throws Exception {
        byte[] body = Files.readAllBytes(
                Path.of(EvidenceCommandsTest.class.getResource("/" + resource).toURI()));
        langfuse.stubFor(get("/api/public/traces/" + runId)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    /** Slack's documented success example of {@code method}, from the reference Web API pages. */
    private static String slackExample(String method) throws Exception {
        JsonNode page = MAPPER.readTree(Fixtures.read("slack/web_api/slack_ruby_api_ref_" + method + ".json"));
        return page.path("response").path("examples").get(0).asText();
    }

    private static long openIncident(String title) {
        bot.command("open high " + title);
        long id = bot.count("select max(id) from incident");
        await(
                "the card of INC-" + id,
                () -> bot.count("select count(*) from incident where id = ? and card_ts is not null", id) == 1);
        return id;
    }

    /** Slack's block_actions payload for a click on the card, with {@code actionId} and {@code value}. */
    private static HttpResponse<String> click(String actionId, String value) throws Exception {
        ObjectNode payload = (ObjectNode) MAPPER.readTree(Fixtures.read("slack/block_actions_message_container.json"));
        ((ObjectNode) payload.path("user")).put("id", TestBot.USER);
        ObjectNode action = (ObjectNode) payload.path("actions").get(0);
        action.put("action_id", actionId);
        action.put("value", value);
        action.put("block_id", "incident_card_actions");
        return bot.postSigned(
                "payload=" + Fixtures.encode(MAPPER.writeValueAsString(payload)), "application/x-www-form-urlencoded");
    }

    /** Slack's view_submission payload for modal {@code callbackId} with {@code values} as its state. */
    private static HttpResponse<String> submit(String callbackId, String metadata, ObjectNode values) throws Exception {
        ObjectNode payload = (ObjectNode) MAPPER.readTree(Fixtures.read("slack/view_submission.json"));
        ((ObjectNode) payload.path("user")).put("id", TestBot.USER);
        ObjectNode view = (ObjectNode) payload.path("view");
        view.put("callback_id", callbackId);
        view.put("private_metadata", metadata);
        ((ObjectNode) view.path("state")).set("values", values);
        return bot.postSigned(
                "payload=" + Fixtures.encode(MAPPER.writeValueAsString(payload)), "application/x-www-form-urlencoded");
    }

    private static ObjectNode text(ObjectNode values, String block, String action, String value) {
        values.putObject(block)
                .putObject(action)
                .put("type", "plain_text_input")
                .put("value", value);
        return values;
    }

    private static ObjectNode select(ObjectNode values, String block, String action, String value) {
        ObjectNode selected = values.putObject(block)
                .putObject(action)
                .put("type", "static_select")
                .putObject("selected_option");
        selected.putObject("text").put("type", "plain_text").put("text", value);
        selected.put("value", value);
        return values;
    }

    private static String fetchState(long incident, String runId) {
        await(
                "the fetch of " + runId,
                () -> bot.count(
                                "select count(*) from evidence_fetch f join run_attachment a on a.id = f.attachment_id "
                                        + "where a.incident_id = ? and a.run_id = ? and f.state <> 'PENDING'",
                                incident,
                                runId)
                        > 0);
        return bot.string(
                "select f.state from evidence_fetch f join run_attachment a on a.id = f.attachment_id "
                        + "where a.incident_id = ? and a.run_id = ? order by f.id desc limit 1",
                incident,
                runId);
    }

    @Test
    void badRunCommandsSayWhatIsWrongAndWriteNothing() {
        long incident = openIncident("Run commands typed wrong");
        String usage = "Usage: `/incident run INC-<n> <run-id> [langfuse|langsmith|otel]`";

        assertThat(bot.text(bot.command("run"))).contains("Say which incident").contains(usage);
        assertThat(bot.text(bot.command("run INC-999 abc")))
                .contains("There is no incident INC-999")
                .contains(usage);
        assertThat(bot.text(bot.command("run INC-" + incident)))
                .contains("Say which run: the trace ID or run ID")
                .contains(usage);
        assertThat(bot.text(bot.command("run INC-" + incident + " trace/../../admin")))
                .contains("is not a run ID")
                .contains(usage);
        assertThat(bot.text(bot.command("run INC-" + incident + " abc langfuze")))
                .contains("`langfuze` is not a source: use langfuse, langsmith or otel.")
                .contains(usage);
        assertThat(bot.text(bot.command("run INC-" + incident + " abc def ghi")))
                .contains("One run per command; the card's *Attach run* button takes several at once.");
        assertThat(bot.text(bot.command("run INC-" + incident + " abc langsmith")))
                .contains("LangSmith is not configured: set LANGSMITH_API_URL and LANGSMITH_API_KEY.");

        assertThat(bot.count("select count(*) from run_attachment where incident_id = ?", incident))
                .isZero();
        assertThat(bot.count(
                        "select count(*) from evidence_fetch f join run_attachment a on a.id = f.attachment_id where a.incident_id = ?",
                        incident))
                .isZero();
        assertThat(bot.count(
                        "select count(*) from timeline_event where incident_id = ? and kind <> 'opened'", incident))
                .isZero();
    }

    @Test
    void aRunStillBeingFetchedIsNotFetchedTwiceAndTheIncidentChannelNeedsNoKey() {
        long incident = openIncident("Slow trace");
        bot.db().useHandle(h -> h.execute("update incident set channel_id = 'C0SLOWRUN' where id = ?", incident));

        String first = bot.text(bot.command("run run-slow", TestBot.USER, "C0SLOWRUN"));
        String second = bot.text(bot.command("run INC-" + incident + " run-slow"));

        assertThat(first).contains("Attached run `run-slow` (Langfuse) to INC-" + incident);
        assertThat(second).contains("Run `run-slow` is already being fetched for INC-" + incident);
        assertThat(bot.count(
                        "select count(*) from evidence_fetch f join run_attachment a on a.id = f.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo(1);
    }

    @Test
    void causeRecordsTheFailurePointOnTheTimelineAndTheCardAndKeepsTheOldOne() {
        long incident = openIncident("Refund agent refunded a negative amount");

        String reply = bot.text(
                bot.command("cause INC-" + incident + " TOOL_VALIDATION The refund tool accepted a negative amount"));
        String again = bot.text(
                bot.command("cause INC-" + incident + " prompt The system prompt never said refunds are positive"));

        assertThat(reply)
                .isEqualTo(":dart: Failure point of INC-" + incident
                        + " set to `TOOL_VALIDATION`: The refund tool accepted a negative amount");
        assertThat(again)
                .contains("set to `PROMPT` (was `TOOL_VALIDATION`): The system prompt never said refunds are positive");
        assertThat(strings("select point from failure_point where incident_id = ? order by id", incident))
                .containsExactly("TOOL_VALIDATION", "PROMPT");
        assertThat(strings(
                        "select details->>'text' from timeline_event where incident_id = ? and kind = 'failure_point_set' "
                                + "order by seq",
                        incident))
                .containsExactly(
                        "TOOL_VALIDATION: The refund tool accepted a negative amount",
                        "PROMPT: The system prompt never said refunds are positive");
        await(
                "the card with the failure point",
                () -> bot.slack().calls("chat.update").stream()
                        .anyMatch(u -> bot.slack()
                                .json(u.get("blocks"))
                                .toString()
                                .contains(
                                        "*Failure point*: `PROMPT` · The system prompt never said refunds are positive (set by <@"
                                                + TestBot.USER + ">)")));
    }

    @Test
    void badCauseCommandsSayWhatIsWrongAndShowTheSuggestionWithoutSettingIt() {
        long incident = openIncident("Refund agent, cause not yet known");
        bot.command("run INC-" + incident + " " + REFUND_RUN);
        assertThat(fetchState(incident, REFUND_RUN)).isEqualTo("SUCCEEDED");

        assertThat(bot.text(bot.command("cause INC-" + incident)))
                .contains("Say where it broke and why.")
                .contains(
                        "The evidence suggests `TOOL_VALIDATION`: the tool call \"issue_refund\" failed: ValidationError: amount must be positive")
                .contains("[REDACTED]")
                .doesNotContain("sk_live_")
                .contains("(run `" + REFUND_RUN + "`)")
                .contains(
                        "Usage: `/incident cause INC-<n> <PROMPT|RETRIEVAL|TOOL_PERMISSION|TOOL_VALIDATION|ROUTING_POLICY|APPROVAL_VIEW|KNOWLEDGE_SOURCE|MODEL|OTHER> <explanation>`");
        assertThat(bot.text(bot.command("cause INC-" + incident + " TOOLS it broke")))
                .contains("`TOOLS` is not a failure point: use one of `PROMPT`, `RETRIEVAL`");
        assertThat(bot.text(bot.command("cause INC-" + incident + " model"))).contains("Say why it was MODEL");
        assertThat(bot.text(bot.command("cause INC-999 MODEL why"))).contains("There is no incident INC-999");

        assertThat(bot.count("select count(*) from failure_point where incident_id = ?", incident))
                .isZero();
        assertThat(bot.count(
                        "select count(*) from timeline_event where incident_id = ? and kind = 'failure_point_set'",
                        incident))
                .isZero();
    }

    @Test
    void theAttachRunButtonOpensAModalWhoseSubmissionAttachesEveryRun() throws Exception {
        long incident = openIncident("Two runs went wrong");

        HttpResponse<String> clicked = click(RunsSection.ATTACH_RUN, "INC-" + incident);

        assertThat(clicked.statusCode()).isEqualTo(200);
        Map<String, String> open = bot.slack()
                .awaitCalls("views.open", 1)
                .get(bot.slack().calls("views.open").size() - 1);
        assertThat(open.get("trigger_id")).isEqualTo("111.222.valid");
        JsonNode view = bot.slack().json(open.get("view"));
        assertThat(view.path("callback_id").asText()).isEqualTo("incident_attach_run_modal");
        assertThat(view.path("private_metadata").asText()).isEqualTo("INC-" + incident);
        assertThat(view.path("title").path("text").asText()).isEqualTo("Attach runs");
        assertThat(view.path("blocks").get(1).path("block_id").asText()).isEqualTo("runs");
        JsonNode source = view.path("blocks").get(2).path("element");
        assertThat(source.path("options"))
                .extracting(o -> o.path("value").asText())
                .containsExactly("langfuse");
        assertThat(source.path("initial_option").path("value").asText()).isEqualTo("langfuse");

        HttpResponse<String> submitted = submit(
                "incident_attach_run_modal",
                "INC-" + incident,
                select(
                        text(
                                MAPPER.createObjectNode(),
                                "runs",
                                "run_ids",
                                WEATHER_RUN + "\n" + REFUND_RUN + ", " + WEATHER_RUN),
                        "source",
                        "source",
                        "langfuse"));

        assertThat(submitted.statusCode()).isEqualTo(200);
        assertThat(submitted.body()).isEmpty();
        assertThat(strings("select run_id from run_attachment where incident_id = ? order by id", incident))
                .containsExactly(WEATHER_RUN, REFUND_RUN);
        assertThat(fetchState(incident, WEATHER_RUN)).isEqualTo("SUCCEEDED");
        assertThat(fetchState(incident, REFUND_RUN)).isEqualTo("SUCCEEDED");
        await(
                "the card showing both runs and the buttons",
                () -> bot.slack().calls("chat.update").stream()
                        .map(u -> u.get("blocks"))
                        .anyMatch(b -> b.contains("*Runs* (2)")
                                && b.contains(
                                        "`" + WEATHER_RUN + "` Langfuse · :white_check_mark: snapshot 1 · 6/12 fields")
                                && b.contains("\"action_id\":\"incident_attach_run\"")
                                && b.contains("\"value\":\"INC-" + incident + "\"")
                                && b.contains("\"action_id\":\"incident_cause\"")));
    }

    @Test
    void aWrongAttachSubmissionKeepsTheModalOpenWithTheErrorAndAttachesNothing() throws Exception {
        long incident = openIncident("Wrong modal input");

        JsonNode empty = MAPPER.readTree(submit(
                        "incident_attach_run_modal",
                        "INC-" + incident,
                        select(MAPPER.createObjectNode(), "source", "source", "langfuse"))
                .body());
        JsonNode badId = MAPPER.readTree(submit(
                        "incident_attach_run_modal",
                        "INC-" + incident,
                        select(
                                text(MAPPER.createObjectNode(), "runs", "run_ids", "good-id\nbad/id"),
                                "source",
                                "source",
                                "langfuse"))
                .body());
        JsonNode noSource = MAPPER.readTree(submit(
                        "incident_attach_run_modal",
                        "INC-" + incident,
                        text(MAPPER.createObjectNode(), "runs", "run_ids", "good-id"))
                .body());

        assertThat(empty.path("response_action").asText()).isEqualTo("errors");
        assertThat(empty.path("errors").path("runs").asText()).isEqualTo("Enter at least one run ID.");
        assertThat(badId.path("errors").path("runs").asText()).startsWith("bad/id is not a run ID");
        assertThat(noSource.path("errors").path("source").asText())
                .isEqualTo("Choose the backend the runs are traced in.");
        assertThat(bot.count("select count(*) from run_attachment where incident_id = ?", incident))
                .isZero();
    }

    @Test
    void theCauseButtonOpensAModalWithTheSuggestionPreselectedAndOnlyItsSubmissionSetsIt() throws Exception {
        long incident = openIncident("Refund agent, cause by button");
        bot.command("run INC-" + incident + " " + REFUND_RUN);
        assertThat(fetchState(incident, REFUND_RUN)).isEqualTo("SUCCEEDED");
        int opened = bot.slack().calls("views.open").size();

        click(RunsSection.CAUSE, "INC-" + incident);

        JsonNode view = bot.slack()
                .json(bot.slack()
                        .awaitCalls("views.open", opened + 1)
                        .get(opened)
                        .get("view"));
        assertThat(view.path("callback_id").asText()).isEqualTo("incident_cause_modal");
        assertThat(view.path("blocks").get(0).path("text").path("text").asText())
                .contains("Not set yet.")
                .contains("The evidence suggests `TOOL_VALIDATION`")
                .contains("You decide.");
        JsonNode select = view.path("blocks").get(1).path("element");
        assertThat(select.path("options")).hasSize(9);
        assertThat(select.path("initial_option").path("value").asText()).isEqualTo("TOOL_VALIDATION");
        assertThat(bot.count("select count(*) from failure_point where incident_id = ?", incident))
                .isZero();

        JsonNode refused = MAPPER.readTree(submit(
                        "incident_cause_modal",
                        "INC-" + incident,
                        select(MAPPER.createObjectNode(), "point", "point", "TOOL_VALIDATION"))
                .body());
        assertThat(refused.path("errors").path("explanation").asText()).startsWith("Say why");
        HttpResponse<String> accepted = submit(
                "incident_cause_modal",
                "INC-" + incident,
                text(
                        select(MAPPER.createObjectNode(), "point", "point", "TOOL_VALIDATION"),
                        "explanation",
                        "explanation",
                        "issue_refund took a negative amount"));

        assertThat(accepted.body()).isEmpty();
        assertThat(bot.string(
                        "select point || ': ' || explanation || ' by ' || set_by from failure_point where incident_id = ?",
                        incident))
                .isEqualTo("TOOL_VALIDATION: issue_refund took a negative amount by " + TestBot.USER);
        assertThat(bot.string(
                        "select details->>'suggested' from timeline_event where incident_id = ? and kind = 'failure_point_set'",
                        incident))
                .isEqualTo("TOOL_VALIDATION");
    }

    @Test
    void otherFeaturesAttachARunWithTheUserReportItCameWith() {
        long incident = openIncident("Customer reported a wrong refund");

        EvidenceService.AttachOutcome outcome = bot.firebreak()
                .evidence()
                .attach(new EvidenceService.AttachRequest(
                        new IncidentKey(incident), REFUND_RUN, Optional.empty(), "report-form", Optional.of("RPT-7")));

        assertThat(outcome).isInstanceOf(EvidenceService.AttachOutcome.Accepted.class);
        assertThat(fetchState(incident, REFUND_RUN)).isEqualTo("SUCCEEDED");
        JsonNode report = bot.json(bot.api("/api/incidents/INC-" + incident + "/runs/" + REFUND_RUN))
                .path("snapshots")
                .get(0)
                .path("normalized")
                .path("fields")
                .path("user_report");
        assertThat(report.path("status").asText()).isEqualTo("present");
        assertThat(report.path("value").path("report_id").asText()).isEqualTo("RPT-7");
        assertThat(report.path("from").asText()).isEqualTo("the user report RPT-7 the run was attached with");
        assertThat(bot.string(
                        "select actor || ' ' || (details->>'report_id') from timeline_event where incident_id = ? and kind = 'run_attached'",
                        incident))
                .isEqualTo("report-form RPT-7");
        assertThat(bot.firebreak()
                        .evidence()
                        .attach(new EvidenceService.AttachRequest(
                                new IncidentKey(999), REFUND_RUN, Optional.empty(), "report-form", Optional.empty())))
                .isEqualTo(new EvidenceService.AttachOutcome.Refused("There is no incident INC-999."));
    }

    @Test
    void withoutABackendOrWithSeveralTheCommandSaysWhatToDo() {
        try (TestBot none = TestBot.start()) {
            none.command("open high No tracing configured");
            assertThat(none.text(none.command("run INC-1 abc")))
                    .contains(
                            "No tracing backend is configured: set LANGFUSE_HOST, "
                                    + "LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY, or LANGSMITH_API_URL and LANGSMITH_API_KEY, or OTEL_TRACES_URL");
            assertThat(none.count("select count(*) from run_attachment")).isZero();
        }
        try (TestBot two = TestBot.start(Map.of(
                "LANGFUSE_HOST",
                langfuse.baseUrl(),
                "LANGFUSE_PUBLIC_KEY",
                "pk-lf-two-sources-public",
                "LANGFUSE_SECRET_KEY",
                "sk-lf-two-sources-secret",
                "OTEL_TRACES_URL",
                langfuse.baseUrl() + "/api/v3/traces"))) {
            two.command("open high Two tracing backends");
            assertThat(two.text(two.command("run INC-1 abc")))
                    .contains("Say which source the run is in: langfuse or otel (2 are configured).");
            assertThat(two.text(two.command("run INC-1 " + WEATHER_RUN + " langfuse")))
                    .contains("Attached run");
        }
    }

    private static List<String> strings(String sql, Object... args) {
        return bot.db().withHandle(h -> h.select(sql, args).mapTo(String.class).list());
    }

    private static void await(String what, java.util.function.BooleanSupplier done) {
        io.firebreak.bot.testing.Await.until(what, done);
    }
}
