package io.firebreak.bot.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.access.Action;
import io.firebreak.bot.access.Role;
import io.firebreak.bot.capture.slack.TimelineCapture;
import io.firebreak.bot.containment.slack.ContainmentCommands;
import io.firebreak.bot.evidence.slack.EvidenceCommands;
import io.firebreak.bot.handoff.slack.HandoffCommands;
import io.firebreak.bot.incident.slack.IncidentCommands;
import io.firebreak.bot.incident.slack.LifecycleCommands;
import io.firebreak.bot.paging.slack.PagingCommands;
import io.firebreak.bot.postmortem.slack.PostmortemCommands;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.Interactions;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Slack entry point of every action (each subcommand, button and modal the middleware knows), on signed
 * requests from a workspace member who holds no other role: refused with the policy's reason and nothing written
 * where the matrix says members may not, let through where it says they may.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixSlackTest {
    /** Every feature's controls, as each declares them (SlackFeature.access()). */
    static final AccessMap CONTROLS = AccessMap.merge(List.of(
            IncidentCommands.ACCESS,
            LifecycleCommands.ACCESS,
            HandoffCommands.ACCESS,
            ContainmentCommands.ACCESS,
            EvidenceCommands.ACCESS,
            PostmortemCommands.ACCESS,
            TimelineCapture.ACCESS,
            PagingCommands.ACCESS));

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MEMBER = "U0MEMBER01";
    /** Arguments that make each subcommand a real request on INC-1. */
    private static final Map<String, String> ARGS = Map.ofEntries(
            Map.entry("open", "low Another problem"),
            Map.entry("list", ""),
            Map.entry("oncall", ""),
            Map.entry("show", "INC-1"),
            Map.entry("assess", "INC-1"),
            Map.entry("sev", "INC-1 critical worse"),
            Map.entry("status", "INC-1 contained"),
            Map.entry("lead", "INC-1 <@U0MEMBER01|me>"),
            Map.entry("note", "INC-1 I saw it too"),
            Map.entry("handoff", "INC-1 <@U0MEMBER01|me>"),
            Map.entry("contain", "INC-1 pause-workflow workflow=refund-agent -- stop"),
            Map.entry("undo", "INC-1 ca-nosuchrun0 -- fine"),
            Map.entry("keep", "INC-1 ca-nosuchrun0 -- needed"),
            Map.entry("run", "INC-1 run-7f3a langfuse"),
            Map.entry("cause", "INC-1 PROMPT the prompt"),
            Map.entry("correct", "INC-1"),
            Map.entry("followup", "INC-1 owner <@U0MEMBER01|me>"),
            Map.entry("close", "INC-1"),
            Map.entry("reopen", "INC-1 again"),
            Map.entry("postmortem", "INC-1"),
            Map.entry("page", "INC-1"));

    private TestBot bot;

    @BeforeAll
    void start() {
        bot = TestBot.start();
        assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                .contains("INC-1");
        Await.until(
                "the card of INC-1", () -> bot.count("select count(*) from incident where card_ts is not null") == 1);
    }

    @AfterAll
    void stop() {
        bot.close();
    }

    private static boolean membersMay(Action action) {
        return action.allowedRoles().contains(Role.MEMBER);
    }

    private long changes() {
        return bot.count("select count(*) from timeline_event where incident_id = 1");
    }

    Stream<Arguments> subcommands() {
        return CONTROLS.subcommands().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "/incident {0} ({1})")
    @MethodSource("subcommands")
    void everySubcommand(String word, Action action) {
        assertThat(ARGS).containsKey(word);
        long before = changes();

        String answer = bot.text(bot.command((word + " " + ARGS.get(word)).strip(), MEMBER, TestBot.CHANNEL));

        if (membersMay(action) || word.equals("contain") && ARGS.get(word).isBlank()) {
            assertThat(answer).doesNotContain(":no_entry:");
        } else {
            assertThat(answer).startsWith(":no_entry: Only ").contains(action.description());
            assertThat(changes()).isEqualTo(before);
        }
    }

    Stream<Arguments> buttons() {
        return CONTROLS.blockActions().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "button {0} ({1})")
    @MethodSource("buttons")
    void everyButton(String actionId, Action action) {
        long before = changes();
        int refusalsBefore = refusals(action);

        HttpResponse<String> response = bot.postSigned(
                Interactions.buttonClick(actionId, "INC-1", MEMBER, TestBot.CHANNEL, "1503435956.000247"), FORM);

        assertThat(response.statusCode()).isEqualTo(200);
        if (membersMay(action)) {
            SlackApiStub.sleep(200);
            assertThat(refusals(action)).isEqualTo(refusalsBefore);
        } else {
            Await.until("the refusal of " + actionId, () -> refusals(action) == refusalsBefore + 1);
            assertThat(changes()).isEqualTo(before);
        }
    }

    private int refusals(Action action) {
        return (int) bot.slack().calls("chat.postEphemeral").stream()
                .filter(c -> c.getOrDefault("text", "").startsWith(":no_entry: Only ")
                        && c.get("text").contains(action.description()))
                .count();
    }

    Stream<Arguments> modals() {
        return CONTROLS.views().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "modal {0} ({1})")
    @MethodSource("modals")
    void everyModal(String callbackId, Action action) {
        long before = changes();

        HttpResponse<String> response = bot.postSigned(
                SlackPayloads.viewSubmission(
                        callbackId, "INC-1", MEMBER, SlackPayloads.textValues("note", "I saw it too")),
                FORM);

        String body = response.body();
        if (membersMay(action)) {
            assertThat(body).doesNotContain(":no_entry:");
        } else {
            assertThat(bot.json(response).path("response_action").asText()).isEqualTo("update");
            assertThat(body).contains(":no_entry: Only ").contains(action.description());
            assertThat(changes()).isEqualTo(before);
        }
    }
}
