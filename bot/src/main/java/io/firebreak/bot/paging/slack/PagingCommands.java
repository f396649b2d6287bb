package io.firebreak.bot.paging.slack;

import com.slack.api.bolt.App;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.paging.PagingService;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.IncidentResolver;
import io.firebreak.bot.slack.Invocation;
import io.firebreak.bot.slack.Modals;
import io.firebreak.bot.slack.Reply;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.Subcommand;
import io.firebreak.bot.slack.ThreadNotices;
import io.firebreak.storage.incident.IncidentKey;
import java.util.List;
import java.util.Optional;

/** {@code /incident page [INC-<n>] [service] [reason]} and the card's "Page" button. */
public final class PagingCommands implements SlackFeature {
    /** The card's "Page" button; its value is the incident key. Stable: posted cards keep it. */
    public static final String PAGE_BUTTON = "incident_page";

    static final String USAGE = "page [INC-<n>] [service] [-- reason]";

    private final PagingService paging;
    private final IncidentResolver resolver;
    private final Modals modals;
    private final ThreadNotices notices;

    public PagingCommands(PagingService paging, IncidentResolver resolver, Modals modals, ThreadNotices notices) {
        this.paging = paging;
        this.resolver = resolver;
        this.modals = modals;
        this.notices = notices;
    }

    @Override
    public List<Subcommand> subcommands() {
        return List.of(new Subcommand(
                "page", USAGE, "page the on-call in PagerDuty (once per incident and service)", this::page));
    }

    Reply page(Invocation in, String args) {
        IncidentResolver.Resolved r = resolver.resolve(in, args, USAGE);
        if (r.failed()) {
            return r.error().get();
        }
        String rest = r.rest();
        String reason = "";
        int dashes = (" " + rest + " ").indexOf(" -- ");
        if (dashes >= 0) {
            // Padded with a space, so " -- " found at i is "--" at i in rest.
            reason = rest.substring(Math.min(rest.length(), dashes + 2)).strip();
            rest = rest.substring(0, dashes).strip();
        }
        String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        if (words.length > 1) {
            return Reply.error("Name one service, then `--` and the reason.", in.command(), USAGE);
        }
        Optional<String> service = words.length == 1 ? Optional.of(words[0]) : Optional.empty();
        return Reply.ephemeral(answer(
                paging.page(r.get().key(), service, Optional.of(SlackText.decode(reason)), in.userId()), in.userId()));
    }

    private String answer(PagingService.PageResult result, String actor) {
        if (result instanceof PagingService.Queued q) {
            notices.post(
                    q.incident().key(),
                    ":pager: <@" + actor + "> is paging *" + q.service() + "* in PagerDuty for "
                            + q.incident().key() + ".");
            return ":pager: Paging *" + q.service() + "* in PagerDuty for "
                    + q.incident().key() + " (dedup key `"
                    + q.incident().key() + "`). The incident's thread says when PagerDuty has it."
                    + others(q.service());
        }
        if (result instanceof PagingService.AlreadyPaged a) {
            return ":information_source: " + a.incident().key() + " was already paged to *" + a.service() + "* by "
                    + SlackText.user(a.previous().requestedBy()) + " ("
                    + state(a.previous().state(), a.previous().attempts()) + "). PagerDuty keeps one alert per"
                    + " incident (dedup key `" + a.incident().key() + "`), so nothing new was sent.";
        }
        return ":no_entry: " + SlackText.escape(((PagingService.Refused) result).why());
    }

    private String others(String paged) {
        List<String> rest =
                paging.services().stream().filter(s -> !s.equals(paged)).toList();
        return rest.isEmpty() ? "" : " Other services: " + String.join(", ", rest) + ".";
    }

    private static String state(String state, int attempts) {
        return switch (state) {
            case "SENT" -> "PagerDuty has it";
            case "QUEUED" -> attempts == 0 ? "being sent" : "still trying to reach PagerDuty";
            default -> state.toLowerCase();
        };
    }

    public static final AccessMap ACCESS = AccessMap.builder()
            .subcommand("page", Action.PAGE)
            .blockAction(PAGE_BUTTON, Action.PAGE)
            .build();

    /** Paging is a responder's call; the enforcement middleware decides on it. */
    @Override
    public AccessMap access() {
        return ACCESS;
    }

    @Override
    public void register(App app) {
        app.blockAction(PAGE_BUTTON, (req, ctx) -> {
            var payload = req.getPayload();
            Optional<IncidentKey> key =
                    Optional.ofNullable(payload.getActions().get(0).getValue()).flatMap(IncidentKey::parse);
            String actor = payload.getUser().getId();
            String text = key.map(k -> answer(paging.page(k, Optional.empty(), Optional.empty(), actor), actor))
                    .orElse(":warning: That button does not name an incident.");
            modals.respond(payload.getResponseUrl(), text);
            return ctx.ack();
        });
    }
}
