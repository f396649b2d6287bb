package io.firebreak.bot.handoff.slack;


import io.firebreak.bot.slack.IncidentSummary;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import com.slack.api.model.block.LayoutBlock;
import io.firebreak.bot.handoff.HandoffService;
import io.firebreak.bot.handoff.OnCall;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.storage.handoff.Handoff;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.timeline.TimelineEvent;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

/**
 * The handoff pack, built from what is stored, never from memory: for each incident its severity and phase,
 * the features' sections (active containment with who fired it and since when, runs and evidence gaps, …), what
 * it waits on, the newest timeline events and the giver's note, with an "I have it" button. Also re-announces
 * handoffs nobody accepted.
 */
public final class HandoffPack {
    public static final String ACCEPT_BUTTON = "incident_handoff_accept";
    /** Incidents shown in full in one pack; Slack allows 50 blocks in a message. */
    static final int MAX_INCIDENTS = 5;
    static final int EVENTS = 5;

    private final HandoffService handoffs;
    private final IncidentService incidents;
    private final IncidentSummary card;
    private final SlackWebApi slack;
    private final Clock clock;

    public HandoffPack(HandoffService handoffs, IncidentService incidents, IncidentSummary card,
                       SlackWebApi slack, Clock clock) {
        this.handoffs = handoffs;
        this.incidents = incidents;
        this.card = card;
        this.slack = slack;
        this.clock = clock;
    }

    /** Job handler for {@link HandoffService#PACK_JOB}: sends the pack to the receiver as a direct message. */
    public void sendJob(String instanceId) {
        List<Handoff> offered = HandoffService.Pack.parse(instanceId).handoffIds().stream()
                .map(handoffs::find).flatMap(Optional::stream).toList();
        if (offered.isEmpty()) {
            return;
        }
        Handoff first = offered.get(0);
        List<LayoutBlock> blocks = blocks(offered);
        String text = "Handoff from " + SlackText.user(first.fromUser()) + ": " + offered.size() + " incident(s)";
        SlackWebApi.Result<?> sent = slack.call("chat.postMessage", m -> m.chatPostMessage(r -> r.channel(first.toUser())
                .text(text).blocks(blocks)));
        retryIfWorthIt(sent, "the handoff pack for " + instanceId);
    }

    /** Job handler for {@link HandoffService#REMINDER_JOB}: re-announces a handoff nobody accepted yet. */
    public void reminderJob(String instanceId) {
        HandoffService.Reminder reminder = HandoffService.Reminder.parse(instanceId);
        Optional<Handoff> handoff = handoffs.find(reminder.handoffId());
        int round = reminder.round();
        if (handoff.isEmpty() || !handoff.get().pending()) {
            return;
        }
        Incident incident = incidents.find(new IncidentKey(handoff.get().incidentId())).orElseThrow();
        Optional<String> channel = incident.channelId().or(incident::cardChannel);
        if (channel.isPresent()) {
            Duration waited = Duration.between(handoff.get().offeredAt(), clock.instant());
            String text = ":alarm_clock: The handoff of *" + incident.key() + "* from " + SlackText.user(handoff.get().fromUser())
                    + " to " + SlackText.user(handoff.get().toUser()) + " has not been accepted after "
                    + Math.max(1, waited.toMinutes()) + " min. " + SlackText.user(incident.commander())
                    + " is still the commander. " + SlackText.user(handoff.get().toUser()) + ", click *I have it* in the pack Firebreak sent you.";
            SlackWebApi.Result<?> sent = slack.call("chat.postMessage", m -> m.chatPostMessage(r -> r.channel(channel.get()).text(text)));
            retryIfWorthIt(sent, "the handoff reminder " + instanceId);
        }
        handoffs.scheduleNextReminder(handoff.get(), round);
    }

    List<LayoutBlock> blocks(List<Handoff> offered) {
        Handoff first = offered.get(0);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(TextLimits.cut("Handoff: " + offered.size() + " incident(s) for you", 150)))));
        blocks.add(section(s -> s.text(markdownText(SlackText.user(first.fromUser()) + " is handing "
                + (offered.size() == 1 ? "this incident" : "these incidents") + " to you. Until you click *I have it*, "
                + SlackText.user(first.fromUser()) + " stays commander."
                + first.note().map(n -> "\n>" + SlackText.escape(n).replace("\n", "\n>")).orElse("")))));
        for (Handoff handoff : offered.subList(0, Math.min(MAX_INCIDENTS, offered.size()))) {
            incidents.details(new IncidentKey(handoff.incidentId()), EVENTS).ifPresent(d -> blocks.addAll(incidentBlocks(d.incident(), d.events())));
        }
        if (offered.size() > MAX_INCIDENTS) {
            blocks.add(section(s -> s.text(markdownText("…and " + (offered.size() - MAX_INCIDENTS)
                    + " more: `/incident oncall` lists them all."))));
        }
        String ids = String.join(",", offered.stream().map(h -> String.valueOf(h.id())).toList());
        blocks.add(actions(a -> a.elements(List.of(button(b -> b.actionId(ACCEPT_BUTTON).text(plainText("I have it"))
                .style("primary").value(ids))))));
        return blocks;
    }

    private List<LayoutBlock> incidentBlocks(Incident incident, List<TimelineEvent> events) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(divider());
        blocks.add(section(s -> s.text(markdownText("*" + incident.key() + "* · " + SlackText.escape(TextLimits.cut(incident.title(), 200))
                + "\nWaiting on: " + OnCall.waitingOn(incident, Optional.empty())))));
        blocks.addAll(card.summaryBlocks(incident));
        StringBuilder latest = new StringBuilder("*Latest*\n");
        events.forEach(e -> latest.append(card.timelineLine(e)).append('\n'));
        blocks.add(section(s -> s.text(markdownText(TextLimits.cut(latest.toString().stripTrailing(), 3000)))));
        return blocks;
    }

    private void retryIfWorthIt(SlackWebApi.Result<?> sent, String what) {
        if (sent.retryable()) {
            throw new RetryLater(clock.instant().plus(sent.retryAfter().orElse(Duration.ofSeconds(10))),
                    "Slack answered " + sent.error().orElse("?") + " for " + what);
        }
    }
}
