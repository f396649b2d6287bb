package io.firebreak.bot.containment.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.staticSelect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.view.View;
import io.firebreak.bot.containment.ActionCatalog;
import io.firebreak.bot.containment.ActionParameter;
import io.firebreak.bot.containment.ContainmentAction;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.Forms;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The containment modals: pick an action, fill its parameters and a reason, or give the reason for an undo.
 * Block and action IDs are stable: tests and Slack's stored views rely on them.
 */
public final class ContainmentViews {
    /** The card's "Contain…" button; its value is the incident key. */
    static final String CONTAIN_BUTTON = "incident_contain";

    static final String APPROVE_BUTTON = "containment_approve";
    static final String DENY_BUTTON = "containment_deny";
    static final String UNDO_BUTTON = "containment_undo";
    /** Sends again a run whose outcome is unknown (Firebreak stopped during its call). */
    static final String RETRY_BUTTON = "containment_retry";

    static final String PICK_VIEW = "containment_pick";
    static final String FIRE_VIEW = "containment_fire";
    static final String UNDO_VIEW = "containment_undo_reason";
    static final String ACTION_BLOCK = "action";
    static final String REASON_BLOCK = "reason";
    static final String PARAMETER_BLOCK = "param_";
    /** The action id of every text input. */
    static final String VALUE = "value";

    private static final int REASON_MAX = 1000;

    private final ObjectMapper mapper;

    public ContainmentViews(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Step 1: which action. Its private metadata is the incident key. */
    View pick(Incident incident, ActionCatalog catalog) {
        return pick(incident, catalog, incident.severity());
    }

    /** As above, with {@code granting} the severity that pre-approves (empty while not confirmed by a responder). */
    View pick(
            Incident incident,
            ActionCatalog catalog,
            java.util.Optional<io.firebreak.storage.incident.Severity> granting) {
        List<OptionObject> options = catalog.actions().stream()
                .map(a -> OptionObject.builder()
                        .text(plainText(BlockKit.plain(a.title(), BlockKit.OPTION_TEXT)))
                        .value(a.id())
                        .description(plainText(BlockKit.plain(
                                a.preapprovedAt(granting)
                                        ? "runs at once (" + a.approvalRule() + ")"
                                        : "needs an approver (" + a.approvalRule() + ")",
                                BlockKit.OPTION_DESCRIPTION)))
                        .build())
                .toList();
        return modal(
                PICK_VIEW,
                incident.key().toString(),
                incident.key(),
                "Next",
                List.of(
                        section(s -> s.text(markdownText(header(incident)))),
                        input(i -> i.blockId(ACTION_BLOCK)
                                .label(plainText("Action"))
                                .element(staticSelect(e -> e.actionId(VALUE)
                                        .placeholder(plainText("Choose what to contain"))
                                        .options(options))))));
    }

    /** Step 2: the action's parameters and a reason. Its private metadata is {@code {"incident", "action"}}. */
    View fire(Incident incident, ContainmentAction action) {
        return fire(incident, action, incident.severity());
    }

    /** As above, with {@code granting} the severity that pre-approves (empty while not confirmed by a responder). */
    View fire(
            Incident incident,
            ContainmentAction action,
            java.util.Optional<io.firebreak.storage.incident.Severity> granting) {
        boolean atOnce = action.preapprovedAt(granting);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(BlockKit.cut(
                "*" + SlackText.escape(action.title()) + "* on " + incident.key() + "\n"
                        + SlackText.escape(action.description()) + "\n_"
                        + (atOnce
                                ? "Runs at once: " + action.approvalRule() + "."
                                : "Needs an approver: " + action.approvalRule() + ", and " + incident.key() + " is "
                                        + SlackText.severityPlain(incident)
                                        + (granting.isEmpty()
                                                        && incident.severity().isPresent()
                                                ? ", not confirmed by a responder"
                                                : "")
                                        + ".")
                        + "_",
                BlockKit.SECTION_TEXT)))));
        for (ActionParameter p : action.parameters()) {
            blocks.add(input(i -> i.blockId(PARAMETER_BLOCK + p.name())
                    .label(plainText(BlockKit.plain(p.name(), BlockKit.INPUT_LABEL)))
                    .optional(!p.required())
                    .hint(plainText(BlockKit.plain(p.description(), BlockKit.INPUT_LABEL)))
                    .element(plainTextInput(e -> e.actionId(VALUE)
                            .maxLength(500)
                            .placeholder(plainText(BlockKit.plain(
                                    p.example()
                                            .map(x -> io.firebreak.bot.containment.CatalogLoader.EXAMPLE_PREFIX + x)
                                            .orElse(p.name()),
                                    BlockKit.PLACEHOLDER)))))));
        }
        blocks.add(reasonInput("Sent with the call and kept on the incident's timeline."));
        String metadata = mapper.createObjectNode()
                .put("incident", incident.key().toString())
                .put("action", action.id())
                .toString();
        return modal(FIRE_VIEW, metadata, incident.key(), atOnce ? "Contain now" : "Ask for approval", blocks);
    }

    /** The reason for undoing {@code run}. Its private metadata is the run id. */
    View undo(ContainmentRun run, String title) {
        return modal(
                UNDO_VIEW,
                run.id(),
                run.incident(),
                "Undo",
                List.of(
                        section(s -> s.text(markdownText("Undo *" + BlockKit.escaped(title, 500) + "* on "
                                + run.incident() + " (`" + run.id() + "`)?\n" + "This lifts the containment."))),
                        reasonInput("Sent with the undo call and kept on the incident's timeline.")));
    }

    /** What happened after a submission, with only a Close button. */
    View done(IncidentKey incident, String text) {
        return Forms.message(null, title(incident), text);
    }

    /** The incident and action a fire modal was for. */
    record FireTarget(IncidentKey incident, String action) {}

    Optional<FireTarget> fireTarget(String privateMetadata) {
        try {
            JsonNode node = mapper.readTree(privateMetadata);
            return IncidentKey.parse(node.path("incident").asText())
                    .map(key -> new FireTarget(key, node.path("action").asText()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private LayoutBlock reasonInput(String hint) {
        return input(i -> i.blockId(REASON_BLOCK)
                .label(plainText("Reason"))
                .hint(plainText(hint))
                .element(plainTextInput(e -> e.actionId(VALUE)
                        .multiline(true)
                        .maxLength(REASON_MAX)
                        .placeholder(plainText("What is it stopping, and why now?")))));
    }

    private static String header(Incident incident) {
        return BlockKit.cut(
                "*" + incident.key() + "* · " + BlockKit.escaped(incident.title(), 1000) + "\nSeverity "
                        + SlackText.severityPlain(incident)
                        + ". Actions pre-approved at this severity run at once; the others need an approver.",
                BlockKit.SECTION_TEXT);
    }

    private static View modal(
            String callbackId, String metadata, IncidentKey incident, String submit, List<LayoutBlock> blocks) {
        return Forms.form(callbackId, metadata, title(incident), submit, blocks);
    }

    /** "Contain INC-12": a modal title may hold 24 characters, which fits any key. */
    private static String title(IncidentKey incident) {
        return BlockKit.plain("Contain " + incident, BlockKit.VIEW_TITLE);
    }
}
