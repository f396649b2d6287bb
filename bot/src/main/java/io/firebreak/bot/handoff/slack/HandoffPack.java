package io.firebreak.bot.handoff.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import io.firebreak.bot.handoff.HandoffService;
import io.firebreak.bot.handoff.OnCall;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.IncidentSummary;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.handoff.Handoff;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The handoff pack, built from what is stored, never from memory: for each incident its severity and phase,
 * the features' sections (active containment with who fired it and since when, runs and evidence gaps, …), what
 * it waits on, the newest timeline events and the giver's note, with an "I have it" button. Also re-announces
 * handoffs nobody accepted.
 */
public final class HandoffPack {
    static final String ACCEPT_BUTTON = "incident_handoff_accept";
    /** A private incident in the pack of someone who may not see it yet: its key only, none of what it is about. */
    static final String PRIVATE_IN_PACK =
            ":lock: *%s* is a private incident: what it is about is shown only to the members"
                    + " of its channel, its commander and the security group. Once you accept, you command it and `/incident show %1$s` shows it.";
    /** Incidents shown in full in one pack, over as many messages as they need; the rest are counted. */
    static final int MAX_INCIDENTS = 25;

    static final int EVENTS = 5;

    private final HandoffService handoffs;
    private final IncidentService incidents;
    private final IncidentSummary card;
    private final SlackWebApi slack;
    private final Clock clock;
    private final io.firebreak.bot.access.Visibility visibility;

    public HandoffPack(
            HandoffService handoffs,
            IncidentService incidents,
            IncidentSummary card,
            SlackWebApi slack,
            Clock clock,
            io.firebreak.bot.access.Visibility visibility) {
        this.visibility = visibility;
        this.handoffs = handoffs;
        this.incidents = incidents;
        this.card = card;
        this.slack = slack;
        this.clock = clock;
    }

    /** Job handler for {@link HandoffService#PACK_JOB}: sends the pack to the receiver as a direct message. */
    public void sendJob(String instanceId) {
        List<Handoff> offered = HandoffService.Pack.parse(instanceId).handoffIds().stream()
                .map(handoffs::find)
                .flatMap(Optional::stream)
                .toList();
        if (offered.isEmpty()) {
            return;
        }
        Handoff first = offered.get(0);
        // The pack goes out as the incidents' workspace (a handoff is within one workspace).
        SlackWebApi slack = incidents
                .find(new IncidentKey(first.incidentId()))
                .map(this.slack::forIncident)
                .orElse(this.slack);
        List<List<LayoutBlock>> messages = messages(offered);
        for (int i = 0; i < messages.size(); i++) {
            List<LayoutBlock> blocks = messages.get(i);
            String text = "Handoff from " + SlackText.user(first.fromUser()) + ": " + offered.size() + " incident(s)"
                    + (messages.size() > 1 ? " (" + (i + 1) + " of " + messages.size() + ")" : "");
            SlackWebApi.Result<?> sent = slack.call(
                    "chat.postMessage",
                    m -> m.chatPostMessage(
                            r -> r.channel(first.toUser()).text(text).blocks(blocks)));
            if (sent.refused()) {
                // Never the refused payload again: the keys and the button, so the handoff can still be taken.
                sent = slack.call(
                        "chat.postMessage",
                        m -> m.chatPostMessage(
                                r -> r.channel(first.toUser()).text(text).blocks(plainPack(offered))));
            }
            // A retry sends the whole pack again: a page seen twice is better than an incident never seen.
            retryIfWorthIt(sent, "the handoff pack for " + instanceId);
        }
    }

    /** The pack when Slack refused the full one: who hands what, how to see each, and the "I have it" button. */
    private List<LayoutBlock> plainPack(List<Handoff> offered) {
        Handoff first = offered.get(0);
        List<String> keys = offered.stream().map(h -> "INC-" + h.incidentId()).toList();
        String text = SlackText.user(first.fromUser()) + " is handing " + String.join(", ", keys)
                + " to you. Slack refused the full " + "handoff pack; `/incident show " + keys.get(0)
                + "` shows an incident, `/incident oncall` lists them.";
        return List.of(
                section(s -> s.text(markdownText(BlockKit.cut(text, BlockKit.SECTION_TEXT)))), acceptButton(offered));
    }

    private static LayoutBlock acceptButton(List<Handoff> offered) {
        String ids = String.join(
                ",", offered.stream().map(h -> String.valueOf(h.id())).toList());
        return actions(a -> a.elements(List.of(button(b -> b.actionId(ACCEPT_BUTTON)
                .text(plainText("I have it"))
                .style("primary")
                .value(ids)))));
    }

    /** Job handler for {@link HandoffService#REMINDER_JOB}: re-announces a handoff nobody accepted yet. */
    public void reminderJob(String instanceId) {
        HandoffService.Reminder reminder = HandoffService.Reminder.parse(instanceId);
        Optional<Handoff> handoff = handoffs.find(reminder.handoffId());
        int round = reminder.round();
        if (handoff.isEmpty() || !handoff.get().pending()) {
            return;
        }
        Incident incident =
                incidents.find(new IncidentKey(handoff.get().incidentId())).orElseThrow();
        Optional<String> channel = incident.channelId().or(incident::cardChannel);
        if (channel.isPresent()) {
            Duration waited = Duration.between(handoff.get().offeredAt(), clock.instant());
            String text = ":alarm_clock: The handoff of *" + incident.key() + "* from "
                    + SlackText.user(handoff.get().fromUser())
                    + " to " + SlackText.user(handoff.get().toUser()) + " has not been accepted after "
                    + Math.max(1, waited.toMinutes()) + " min. " + SlackText.user(incident.commander())
                    + " is still the commander. " + SlackText.user(handoff.get().toUser())
                    + ", click *I have it* in the pack Firebreak sent you.";
            SlackWebApi.Result<?> sent = slack.forIncident(incident)
                    .call(
                            "chat.postMessage",
                            m -> m.chatPostMessage(r -> r.channel(channel.get()).text(text)));
            retryIfWorthIt(sent, "the handoff reminder " + instanceId);
        }
        handoffs.scheduleNextReminder(handoff.get(), round);
    }

    /**
     * The pack as one or more messages, each within Slack's 50 blocks: the header and the giver's note first, then
     * every incident in full (continued in follow-up messages when they do not fit in one), the "I have it" button
     * last. Beyond {@link #MAX_INCIDENTS} the rest are counted and {@code /incident oncall} lists them.
     */
    List<List<LayoutBlock>> messages(List<Handoff> offered) {
        Handoff first = offered.get(0);
        List<List<LayoutBlock>> groups = new ArrayList<>();
        for (Handoff handoff : offered.subList(0, Math.min(MAX_INCIDENTS, offered.size()))) {
            incidents
                    .details(new IncidentKey(handoff.incidentId()), EVENTS)
                    .ifPresent(d -> groups.add(
                            visibility.canSee(handoff.toUser(), d.incident())
                                    ? incidentBlocks(d.incident(), d.events())
                                    : List.of(section(s -> s.text(markdownText(PRIVATE_IN_PACK.formatted(
                                            d.incident().key())))))));
        }
        if (offered.size() > MAX_INCIDENTS) {
            groups.add(List.of(section(s -> s.text(markdownText(
                    "…and " + (offered.size() - MAX_INCIDENTS) + " more: `/incident oncall` lists them all.")))));
        }
        // Two blocks lead the first message (header, note), one each later message (header), one ends the last
        // (button).
        List<List<LayoutBlock>> pages = BlockKit.pages(groups, BlockKit.MESSAGE_BLOCKS, 3);
        List<List<LayoutBlock>> messages = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            List<LayoutBlock> blocks = new ArrayList<>();
            String heading = i == 0
                    ? "Handoff: " + offered.size() + " incident(s) for you"
                    : "Handoff, continued (" + (i + 1) + " of " + pages.size() + ")";
            blocks.add(header(h -> h.text(plainText(BlockKit.plain(heading, BlockKit.HEADER_TEXT)))));
            if (i == 0) {
                blocks.add(section(s -> s.text(markdownText(intro(first, offered.size(), pages.size())))));
            }
            blocks.addAll(pages.get(i));
            if (i == pages.size() - 1) {
                blocks.add(acceptButton(offered));
            }
            messages.add(blocks);
        }
        return messages;
    }

    private static String intro(Handoff first, int incidents, int messages) {
        String who = SlackText.user(first.fromUser());
        String text = who + " is handing " + (incidents == 1 ? "this incident" : "these incidents")
                + " to you. Until you click *I have it*"
                + (messages > 1 ? " (in the last of " + messages + " messages)" : "") + ", " + who
                + " stays commander.";
        String note = first.note()
                .map(n -> "\n>" + SlackText.escape(n).replace("\n", "\n>"))
                .orElse("");
        // The note is quoted after escaping, which is what can outgrow a section: cut that, never the sentence above.
        return text
                + BlockKit.cut(note, BlockKit.SECTION_TEXT - text.length(), "full note on each incident's timeline");
    }

    private List<LayoutBlock> incidentBlocks(Incident incident, List<TimelineEvent> events) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(divider());
        blocks.add(section(
                s -> s.text(markdownText("*" + incident.key() + "* · " + BlockKit.escaped(incident.title(), 600)
                        + "\nWaiting on: " + OnCall.waitingOn(incident, Optional.empty())))));
        blocks.addAll(card.summaryBlocks(incident));
        StringBuilder latest = new StringBuilder("*Latest*\n");
        events.forEach(e -> latest.append(card.timelineLine(e)).append('\n'));
        blocks.add(section(
                s -> s.text(markdownText(BlockKit.cut(latest.toString().stripTrailing(), BlockKit.SECTION_TEXT)))));
        return blocks;
    }

    private void retryIfWorthIt(SlackWebApi.Result<?> sent, String what) {
        if (sent.retryable()) {
            throw new RetryLater(
                    clock.instant().plus(sent.retryAfter().orElse(Duration.ofSeconds(10))),
                    "Slack answered " + sent.error().orElse("?") + " for " + what);
        }
    }
}
