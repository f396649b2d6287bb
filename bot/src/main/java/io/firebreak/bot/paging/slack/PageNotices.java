package io.firebreak.bot.paging.slack;

import com.slack.api.methods.response.chat.ChatGetPermalinkResponse;
import io.firebreak.bot.paging.PagerDutyEvents;
import io.firebreak.bot.paging.PagerDutyWebhooks;
import io.firebreak.bot.paging.PagingService;
import io.firebreak.bot.paging.ShiftWatch;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.bot.slack.ThreadNotices;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What paging tells people in Slack: the outcome of each PagerDuty event in the incident's thread, PagerDuty's own
 * changes (webhooks) there too, and the outgoing on-call's direct message at a shift change. Also Slack's side of
 * paging: the card's permalink sent to PagerDuty, and Slack users found by e-mail.
 */
public final class PageNotices {
    private static final Logger log = LoggerFactory.getLogger(PageNotices.class);

    private final PagingService paging;
    private final ShiftWatch shifts;
    private final ThreadNotices notices;
    private final SlackWebApi slack;
    private final Optional<URI> publicUrl;

    public PageNotices(
            PagingService paging,
            ShiftWatch shifts,
            ThreadNotices notices,
            SlackWebApi slack,
            Optional<URI> publicUrl) {
        this.paging = paging;
        this.shifts = shifts;
        this.notices = notices;
        this.slack = slack;
        this.publicUrl = publicUrl;
    }

    /** The event job: sends the event and says in the thread how it went; runs again while PagerDuty is not taking it. */
    public void eventJob(String instance) {
        PagingService.Delivery delivery = paging.deliver(Long.parseLong(instance), this::links);
        if (delivery instanceof PagingService.Sent sent) {
            notices.post(sent.incident().key(), sentText(sent));
        } else if (delivery instanceof PagingService.Retrying r) {
            if (r.attempt() == 1) {
                notices.post(
                        r.incident().key(),
                        ":hourglass_flowing_sand: PagerDuty did not take the "
                                + noun(r.event().action()) + " for *"
                                + r.event().service() + "* yet: " + SlackText.escape(r.why())
                                + ". Firebreak keeps trying (up to " + r.attempts()
                                + " attempts); the incident is unaffected.");
            }
            throw new RetryLater(r.at(), "PagerDuty: " + r.why());
        } else if (delivery instanceof PagingService.Failed f) {
            notices.post(f.incident().key(), failedText(f));
        }
    }

    private static String sentText(PagingService.Sent sent) {
        String service = "*" + sent.event().service() + "*";
        return switch (sent.event().action()) {
            case "trigger" ->
                ":pager: PagerDuty has the page for " + service + " (dedup key `"
                        + sent.incident().key() + "`).";
            case "resolve" -> ":pager: Resolved the PagerDuty alert of " + service + ".";
            default ->
                ":pager: Acknowledged the PagerDuty alert of " + service
                        + ": a responder is on it, so PagerDuty stops escalating.";
        };
    }

    private static String failedText(PagingService.Failed f) {
        String text = ":warning: PagerDuty did not accept the " + noun(f.event().action()) + " for *"
                + f.event().service() + "*: " + SlackText.escape(f.why()) + (f.retried() ? "." : "; not retried.");
        if (f.event().action().equals("trigger")) {
            return text + " Check " + f.variable() + ". The incident is unaffected; `/incident page "
                    + f.incident().key() + " " + f.event().service() + "` pages again.";
        }
        return text + " The incident is unaffected; " + f.event().action() + " the alert in PagerDuty.";
    }

    private static String noun(String action) {
        return action.equals("trigger") ? "page" : action;
    }

    /** Links sent with a trigger: the card (its permalink), and the incident in the read API when it is reachable. */
    List<PagerDutyEvents.Link> links(Incident incident) {
        List<PagerDutyEvents.Link> links = new ArrayList<>();
        if (incident.cardChannel().isPresent() && incident.cardTs().isPresent()) {
            SlackWebApi.Result<ChatGetPermalinkResponse> link = slack.forIncident(incident)
                    .call(
                            "chat.getPermalink",
                            m -> m.chatGetPermalink(
                                    r -> r.channel(incident.cardChannel().get())
                                            .messageTs(incident.cardTs().get())));
            link.response()
                    .map(ChatGetPermalinkResponse::getPermalink)
                    .ifPresent(p -> links.add(new PagerDutyEvents.Link(p, incident.key() + " in Slack (the card)")));
        }
        incident.channelId()
                .or(incident::cardChannel)
                .filter(c -> links.isEmpty())
                .ifPresent(c -> links.add(new PagerDutyEvents.Link(
                        "https://slack.com/app_redirect?channel=" + c, incident.key() + "'s channel in Slack")));
        publicUrl.ifPresent(u -> links.add(new PagerDutyEvents.Link(
                u.toString().replaceAll("/$", "") + "/api/incidents/" + incident.key(),
                incident.key() + " in Firebreak's read API")));
        return links;
    }

    /** Tells the incident's thread what PagerDuty says happened, e.g. "Acknowledged in PagerDuty by Tim Wright". */
    public void webhook(PagerDutyWebhooks.Result result) {
        if (result instanceof PagerDutyWebhooks.Recorded r) {
            String what = r.what().isEmpty()
                    ? r.what()
                    : Character.toUpperCase(r.what().charAt(0)) + r.what().substring(1);
            notices.post(r.incident().key(), ":pager: " + SlackText.escape(what) + ".");
        }
    }

    /** The shift change job: the handoff offer, and a direct message to the outgoing person saying what was done. */
    public void shiftJob(String instance) {
        for (ShiftWatch.Handover handover : shifts.handOver(Long.parseLong(instance))) {
            directMessage(handover.change()).ifPresent(dm -> tell(handover.workspace(), dm));
        }
    }

    /** The direct message, sent as the workspace whose Slack user the person is. */
    private void tell(io.firebreak.bot.access.Workspace workspace, Dm dm) {
        SlackWebApi.Result<?> sent = slack.forWorkspace(workspace)
                .call(
                        "chat.postMessage",
                        m -> m.chatPostMessage(r -> r.channel(dm.user()).text(dm.text())));
        if (!sent.ok()) {
            // The offer is made and its pack is durable; running the job again would offer twice, so only say so.
            log.warn(
                    "shift change: the direct message to {} was not sent ({}); the handoff pack was offered",
                    dm.user(),
                    sent.error().orElse("?"));
        }
    }

    private record Dm(String user, String text) {}

    /** The refusal of a handoff is the handoff service's own mrkdwn (it mentions people), so it is not escaped. */
    private Optional<Dm> directMessage(ShiftWatch.Change change) {
        if (change instanceof ShiftWatch.Offered o) {
            String keys = o.keys().stream().map(IncidentKey::toString).collect(Collectors.joining(", "));
            return Optional.of(new Dm(
                    o.outgoing(),
                    ":wave: Your PagerDuty shift on *"
                            + SlackText.escape(o.shift().scheduleName())
                            + "* has ended: <@" + o.incoming() + "> is on call now. Firebreak offered them the "
                            + o.keys().size() + " open incident(s) you command (" + keys + ") in one handoff pack;"
                            + " you stay commander until they click *I have it*. (Both found in Slack by "
                            + o.how() + ".)"));
        }
        if (change instanceof ShiftWatch.Refused r) {
            return Optional.of(new Dm(
                    r.outgoing(),
                    ":warning: Your PagerDuty shift on *"
                            + SlackText.escape(r.shift().scheduleName())
                            + "* has ended and <@" + r.incoming() + "> is on call now, but Firebreak could not offer"
                            + " them your open incidents: " + r.why()
                            + " Hand them off with `/incident handoff @someone`."));
        }
        if (change instanceof ShiftWatch.Unmapped u && u.outgoing().isPresent()) {
            return Optional.of(new Dm(
                    u.outgoing().get(),
                    ":warning: Your PagerDuty shift on *"
                            + SlackText.escape(u.shift().scheduleName())
                            + "* has ended; " + SlackText.escape(u.who()) + " is on call now but Firebreak found no"
                            + " Slack user for them (by e-mail, or PAGERDUTY_USER_MAP). Hand your open incidents off"
                            + " with `/incident handoff @them`."));
        }
        return Optional.empty();
    }
}
