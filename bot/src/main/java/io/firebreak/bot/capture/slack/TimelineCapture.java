package io.firebreak.bot.capture.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.staticSelect;

import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.app_backend.interactive_components.payload.MessageShortcutPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.Message;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.event.ReactionAddedEvent;
import com.slack.api.model.event.ReactionRemovedEvent;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.capture.CaptureService;
import io.firebreak.bot.capture.CaptureService.MessageContent;
import io.firebreak.bot.capture.CaptureService.MessageRef;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.Forms;
import io.firebreak.bot.slack.SlackApp;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.capture.CaptureDraft;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timeline capture from Slack: a :pushpin: on a message in an incident's channel puts it on the timeline and
 * removing the pin takes it back; the "Add to incident timeline" message shortcut does the same from any
 * channel, asking which incident when the channel is not an incident's own. Handlers only parse and answer;
 * {@link CaptureService} decides and the {@link MessageCaptureJob} reads the message after the ack.
 */
public final class TimelineCapture implements SlackFeature {
    private static final Logger log = LoggerFactory.getLogger(TimelineCapture.class);
    /** The message shortcut's callback id, as in the app manifest. */
    public static final String SHORTCUT = "add_to_incident_timeline";
    /** The incident picker modal the shortcut opens outside incident channels. */
    static final String PICKER = "add_to_incident_timeline_pick";
    /** The reaction that captures a message. */
    public static final String PIN = "pushpin";

    static final String INCIDENT_BLOCK = "incident";
    static final String INCIDENT_ACTION = "incident";
    /** Slack's limit for the options of a static select. */
    static final int MAX_OPTIONS = 100;
    /** Slack's limit for an option's text. */
    static final int OPTION_TEXT_MAX = 75;

    private static final int EXCERPT_MAX = 500;

    private final CaptureService captures;
    private final IncidentService incidents;
    private final SlackWebApi slack;
    private final Executor afterAck;
    private final io.firebreak.bot.access.Visibility visibility;
    private final io.firebreak.bot.access.Tenancy tenancy;

    /**
     * @param afterAck runs what must follow the ack at once (opening the picker while its trigger is valid,
     *                 answering the person); captures themselves run as durable jobs
     */
    public TimelineCapture(
            CaptureService captures,
            IncidentService incidents,
            SlackWebApi slack,
            Executor afterAck,
            io.firebreak.bot.access.Visibility visibility,
            io.firebreak.bot.access.Tenancy tenancy) {
        this.tenancy = tenancy;
        this.visibility = visibility;
        this.captures = captures;
        this.incidents = incidents;
        this.slack = slack;
        this.afterAck = afterAck;
    }

    public static final AccessMap ACCESS = AccessMap.builder()
            .view(PICKER, Action.CAPTURE)
            .shortcut(SHORTCUT, Action.CAPTURE)
            .build();

    /** The access policy's action for each of its controls; the enforcement middleware decides on it. */
    @Override
    public AccessMap access() {
        return ACCESS;
    }

    @Override
    public void register(App app) {
        app.event(ReactionAddedEvent.class, (req, ctx) -> {
            pinned(req);
            return ctx.ack();
        });
        app.event(ReactionRemovedEvent.class, (req, ctx) -> {
            unpinned(req);
            return ctx.ack();
        });
        app.messageShortcut(SHORTCUT, (req, ctx) -> {
            shortcut(req.getPayload());
            return ctx.ack();
        });
        app.viewSubmission(PICKER, (req, ctx) -> picked(req.getPayload(), ctx));
    }

    private void pinned(EventsApiPayload<ReactionAddedEvent> payload) {
        ReactionAddedEvent event = payload.getEvent();
        if (!PIN.equals(event.getReaction())
                || event.getItem() == null
                || !"message".equals(event.getItem().getType())) {
            return;
        }
        CaptureService.Result result = captures.pinned(
                delivery(payload),
                new MessageRef(event.getItem().getChannel(), event.getItem().getTs()),
                event.getUser());
        log.info(
                "pin on message {} in {}: {}",
                event.getItem().getTs(),
                event.getItem().getChannel(),
                result.outcome());
    }

    private void unpinned(EventsApiPayload<ReactionRemovedEvent> payload) {
        ReactionRemovedEvent event = payload.getEvent();
        if (!PIN.equals(event.getReaction())
                || event.getItem() == null
                || !"message".equals(event.getItem().getType())) {
            return;
        }
        CaptureService.Result result = captures.unpinned(
                delivery(payload),
                new MessageRef(event.getItem().getChannel(), event.getItem().getTs()),
                event.getUser());
        log.info(
                "pin removed from message {} in {}: {}",
                event.getItem().getTs(),
                event.getItem().getChannel(),
                result.outcome());
    }

    /** The delivery to de-duplicate by its event_id; Slack always sends one, so none means nothing to match. */
    private static Optional<CaptureService.Delivery> delivery(EventsApiPayload<?> payload) {
        return Optional.ofNullable(payload.getEventId())
                .map(id -> new CaptureService.Delivery(id, payload.getEvent().getType()));
    }

    private void shortcut(MessageShortcutPayload payload) {
        Message message = payload.getMessage();
        String ts = message != null && message.getTs() != null ? message.getTs() : payload.getMessageTs();
        MessageContent content =
                message == null ? new MessageContent("unknown", "", Optional.empty()) : content(message);
        Optional<String> responseUrl = Optional.ofNullable(payload.getResponseUrl());
        CaptureService.Result result = captures.shortcut(
                new MessageRef(payload.getChannel().getId(), ts),
                content,
                payload.getUser().getId(),
                responseUrl);
        log.info("shortcut on message {} in {}: {}", ts, payload.getChannel().getId(), result.outcome());
        switch (result.outcome()) {
            case QUEUED -> {
                // The capture job tells the person once the message is on the timeline.
            }
            case CHOOSE_INCIDENT ->
                afterAck.execute(() -> SlackApp.runQuietly(() -> openPicker(
                        payload.getTriggerId(),
                        result.id().getAsLong(),
                        responseUrl,
                        io.firebreak.bot.slack.SlackWorkspace.of(
                                payload.getTeam() == null
                                        ? null
                                        : payload.getTeam().getId(),
                                payload.getEnterprise() == null
                                        ? null
                                        : payload.getEnterprise().getId()))));
            default ->
                responseUrl.ifPresent(url ->
                        afterAck.execute(() -> SlackApp.runQuietly(() -> slack.respond(url, said(result)))));
        }
    }

    /** Opens the modal that asks which open incident should keep the message. */
    private void openPicker(
            String triggerId, long draftId, Optional<String> responseUrl, io.firebreak.bot.access.Workspace workspace) {
        Optional<CaptureDraft> draft = captures.draft(draftId);
        if (draft.isEmpty()) {
            return;
        }
        // The workspace the shortcut was used in: its incidents only, offered with its token.
        List<Incident> open =
                visibility.visibleTo(draft.get().requestedBy(), incidents.listOpen(tenancy.visibleTo(workspace)));
        if (open.isEmpty()) {
            responseUrl.ifPresent(url -> slack.respond(
                    url,
                    ":information_source: There are no open incidents to add this message to. "
                            + "Open one with `/incident open <title>`, then use the shortcut again."));
            return;
        }
        SlackWebApi.Result<?> opened = slack.forWorkspace(workspace)
                .call("views.open", m -> m.viewsOpen(r -> r.triggerId(triggerId).view(picker(draft.get(), open))));
        if (!opened.ok()) {
            log.warn(
                    "could not open the incident picker: Slack answered {}",
                    opened.error().orElse("unknown"));
            responseUrl.ifPresent(url -> slack.respond(
                    url,
                    ":warning: Could not open the incident picker: Slack answered `"
                            + opened.error().orElse("unknown") + "`. Use the shortcut on the message again."));
        }
    }

    /** The picker: the message as kept (credentials masked), and the open incidents, most severe first. */
    static View picker(CaptureDraft draft, List<Incident> open) {
        List<OptionObject> options = open.stream()
                .limit(MAX_OPTIONS)
                .map(i -> option(
                        plainText(BlockKit.plain(
                                i.key() + " · " + SlackText.severityPlain(i) + " · " + i.title(), OPTION_TEXT_MAX)),
                        String.valueOf(i.id())))
                .toList();
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText("Which incident's timeline should keep this message from "
                + SlackText.user(draft.author()) + "?\n>"
                + BlockKit.escaped(draft.text(), EXCERPT_MAX).replace("\n", "\n>")))));
        blocks.add(input(i -> i.blockId(INCIDENT_BLOCK)
                .label(plainText("Incident"))
                .element(staticSelect(s -> s.actionId(INCIDENT_ACTION)
                        .placeholder(plainText("Pick an open incident"))
                        .options(options)))));
        if (open.size() > MAX_OPTIONS) {
            blocks.add(context(
                    c -> c.elements(List.of(markdownText("Showing the " + MAX_OPTIONS + " most severe of " + open.size()
                            + " open incidents. To reach another, use the shortcut in that incident's channel.")))));
        }
        return Forms.form(PICKER, String.valueOf(draft.id()), "Add to timeline", "Add", blocks);
    }

    private Response picked(ViewSubmissionPayload payload, ViewSubmissionContext ctx) {
        Optional<Long> draftId = number(payload.getView().getPrivateMetadata());
        Optional<Long> incidentId = selected(payload.getView().getState()).flatMap(TimelineCapture::number);
        if (incidentId.isEmpty() || incidentId.get() < 1) {
            return ctx.ackWithErrors(Map.of(INCIDENT_BLOCK, "Pick an incident."));
        }
        IncidentKey key = new IncidentKey(incidentId.get());
        io.firebreak.bot.access.Workspace workspace =
                io.firebreak.bot.slack.SlackWorkspace.of(ctx.getTeamId(), ctx.getEnterpriseId());
        if (incidents.find(tenancy.visibleTo(workspace), key).isEmpty()) {
            // Not offered in this workspace's picker: a forged choice, answered as an incident that does not exist.
            return ctx.ackWithErrors(
                    Map.of(INCIDENT_BLOCK, "There is no incident " + key + " any more. Pick another."));
        }
        Optional<String> responseUrl = draftId.flatMap(captures::draft).flatMap(d -> d.responseUrl());
        CaptureService.Result result = draftId.map(
                        id -> captures.addDraft(id, key, payload.getUser().getId()))
                .orElse(new CaptureService.Result(
                        CaptureService.Outcome.DRAFT_GONE, Optional.empty(), java.util.OptionalLong.empty()));
        log.info("incident picked for a shortcut: {} → {}", key, result.outcome());
        return switch (result.outcome()) {
            case QUEUED -> ctx.ack();
            case RESTORED -> {
                responseUrl.ifPresent(url ->
                        afterAck.execute(() -> SlackApp.runQuietly(() -> slack.respond(url, said(result)))));
                yield ctx.ack();
            }
            case INCIDENT_NOT_OPEN ->
                ctx.ackWithErrors(Map.of(
                        INCIDENT_BLOCK,
                        result.incident().isPresent()
                                ? key + " is closed now. Pick another incident."
                                : "There is no incident " + key + " any more. Pick another."));
            case DRAFT_GONE ->
                ctx.ackWithErrors(Map.of(
                        INCIDENT_BLOCK,
                        "This request has expired. Close this window and use the shortcut on the message again."));
            default ->
                ctx.ackWithErrors(Map.of(
                        INCIDENT_BLOCK,
                        said(result).replaceFirst("^:\\w+: ", "") + " Pick another incident, or cancel."));
        };
    }

    private static Optional<String> selected(ViewState state) {
        return Optional.ofNullable(state)
                .map(ViewState::getValues)
                .map(v -> v.get(INCIDENT_BLOCK))
                .map(b -> b.get(INCIDENT_ACTION))
                .map(ViewState.Value::getSelectedOption)
                .map(ViewState.SelectedOption::getValue);
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text == null ? "" : text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** What to tell the person about a request that was not queued. */
    static String said(CaptureService.Result result) {
        String key = result.incident().map(i -> "*" + i.key() + "*").orElse("the incident");
        return switch (result.outcome()) {
            case IN_PROGRESS ->
                ":hourglass_flowing_sand: That message is already being added to the timeline of " + key + ".";
            case ALREADY_CAPTURED -> ":pushpin: That message is already on the timeline of " + key + ".";
            case RESTORED -> ":pushpin: That message is back on the timeline of " + key + ".";
            default ->
                "That message was not added (" + result.outcome().name().toLowerCase(java.util.Locale.ROOT) + ").";
        };
    }

    /** A message as Slack gave it: its author (a user, else a bot), text and thread. */
    static MessageContent content(Message message) {
        String author = Optional.ofNullable(message.getUser())
                .or(() -> Optional.ofNullable(message.getBotId()))
                .or(() -> Optional.ofNullable(message.getUsername()))
                .orElse("unknown");
        Optional<String> thread = Optional.ofNullable(message.getThreadTs()).filter(t -> !t.equals(message.getTs()));
        return new MessageContent(author, Optional.ofNullable(message.getText()).orElse(""), thread);
    }
}
