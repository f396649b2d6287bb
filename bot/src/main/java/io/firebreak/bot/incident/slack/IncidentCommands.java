package io.firebreak.bot.incident.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.bolt.App;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Visibility;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.IncidentResolver;
import io.firebreak.bot.slack.Invocation;
import io.firebreak.bot.slack.Modals;
import io.firebreak.bot.slack.Reply;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWorkspace;
import io.firebreak.bot.slack.Subcommand;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Severity;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code open}, {@code list} and {@code show}: parsing what was typed and rendering the answer. */
public final class IncidentCommands implements SlackFeature {
    static final String SEVERITIES = "low|medium|high|critical";
    private static final int SHOW_EVENTS = 10;
    /** Words people type meaning a severity Firebreak does not use; refused rather than read as the title. */
    private static final Set<String> SEVERITY_LIKE =
            Set.of("urgent", "severe", "blocker", "trivial", "crit", "med", "moderate", "sev");

    private static final Pattern SEV_NUMBER = Pattern.compile("(sev|p|s)-?[0-5]");

    private final IncidentService incidents;
    private final IncidentResolver resolver;
    private final IncidentCard card;
    private final Modals modals;
    private final Clock clock;
    private final Visibility visibility;
    private final Tenancy tenancy;

    public IncidentCommands(
            IncidentService incidents,
            IncidentCard card,
            Modals modals,
            Clock clock,
            Visibility visibility,
            IncidentResolver resolver,
            Tenancy tenancy) {
        this.visibility = visibility;
        this.tenancy = tenancy;
        this.incidents = incidents;
        this.resolver = resolver;
        this.card = card;
        this.modals = modals;
        this.clock = clock;
    }

    @Override
    public List<Subcommand> subcommands() {
        return List.of(
                new Subcommand("open", "open [--private] [" + SEVERITIES + "] <title>", "open an incident", this::open),
                new Subcommand("list", "list", "open incidents, most severe first", this::list),
                new Subcommand("show", "show [INC-<n>]", "an incident's card and latest timeline", this::show));
    }

    Reply open(Invocation in, String args) {
        String usage = "open [--private] [" + SEVERITIES + "] <title>";
        PrivateFlag flag = PrivateFlag.read(args);
        String text = flag.rest();
        Optional<Severity> severity = Optional.empty();
        String first = text.isEmpty() ? "" : text.split("\\s+", 2)[0];
        if (!first.isEmpty() && !first.startsWith("\"")) {
            severity = Severity.parse(first);
            if (severity.isPresent()) {
                text = text.substring(first.length()).strip();
            } else if (looksLikeSeverity(first)) {
                return Reply.error(
                        "`" + SlackText.escape(first)
                                + "` is not a severity: use low, medium, high or critical, or leave it out and assess the impact later. "
                                + "To start a title with that word, put the title in quotes.",
                        in.command(),
                        usage);
            }
        }
        String title = SlackText.decode(unquote(text)).strip();
        if (title.isEmpty()) {
            return Reply.error("An incident needs a title that says what went wrong.", in.command(), usage);
        }
        IncidentService.Opened opened = incidents.openOnce(new IncidentService.OpenRequest(
                        title,
                        severity,
                        in.userId(),
                        in.userId(),
                        Optional.ofNullable(in.channelId()),
                        "slash-command",
                        flag.privateIncident())
                .in(in.workspace()));
        Incident incident = opened.incident();
        LogContext.incident(incident.key());
        if (opened.existing()) {
            return alreadyOpened(incident, severity, flag.privateIncident());
        }
        String said = ":rotating_light: Opened *" + incident.key() + "* (" + SlackText.severityPlain(incident) + "): "
                + BlockKit.escaped(incident.title(), RefusedCard.TITLE)
                + "\nYou are its commander. The incident card is being posted."
                + (incident.privateIncident() ? "\n" + PrivateFlag.OPENED : "");
        if (severity.isEmpty() && in.triggerId().isPresent()) {
            modals.in(in.workspace())
                    .open(
                            in.triggerId().get(),
                            AssessmentModal.forIncident(incident.key(), incident.title()),
                            in.responseUrl());
            said += " Assess its impact in the form that just opened to set the severity.";
        }
        return Reply.ephemeral(said);
    }

    /** A retry of an open that already made {@code incident}: that one, and a button to open another anyway. */
    private static Reply alreadyOpened(Incident incident, Optional<Severity> severity, boolean privateIncident) {
        String text = ":information_source: Already opened as *" + incident.key() + "* ("
                + SlackText.severityPlain(incident) + "): " + BlockKit.escaped(incident.title(), RefusedCard.TITLE)
                + "\nYou opened it moments ago, so nothing new was opened. If this is another incident, open another"
                + " anyway.";
        String value = incident.key() + ":" + severity.map(Enum::name).orElse("") + ":" + (privateIncident ? "p" : "");
        return Reply.ephemeral(text)
                .withBlocks(List.of(
                        section(s -> s.text(markdownText(text))),
                        actions(a -> a.elements(List.of(button(b -> b.actionId(OPEN_ANYWAY)
                                .text(plainText("Open another anyway"))
                                .value(value)))))));
    }

    /**
     * The click on "Open another anyway": a new incident titled as the one it was taken for, with the severity and
     * privacy of the retried command, never handed back as a retry.
     */
    private void openAnyway(
            String value, String user, Optional<String> channel, String responseUrl, Workspace workspace) {
        String[] parts = Optional.ofNullable(value).orElse("").split(":", 3);
        Optional<Incident> first =
                IncidentKey.parse(parts[0]).flatMap(k -> incidents.find(tenancy.visibleTo(workspace), k));
        if (first.isEmpty() || parts.length < 3) {
            modals.respond(
                    responseUrl, ":warning: That button no longer names an incident. Open it with `/incident open`.");
            return;
        }
        Incident incident = incidents.open(new IncidentService.OpenRequest(
                        first.get().title(),
                        Severity.parse(parts[1].toLowerCase(Locale.ROOT)),
                        user,
                        user,
                        channel,
                        "slash-command",
                        parts[2].equals("p"))
                .in(workspace));
        LogContext.incident(incident.key());
        modals.respond(
                responseUrl,
                ":rotating_light: Opened *" + incident.key() + "* (" + SlackText.severityPlain(incident) + "): "
                        + BlockKit.escaped(incident.title(), RefusedCard.TITLE)
                        + "\nYou are its commander. The incident card is being posted.");
    }

    @Override
    public void register(App app) {
        app.blockAction(OPEN_ANYWAY, (req, ctx) -> {
            var payload = req.getPayload();
            openAnyway(
                    payload.getActions().get(0).getValue(),
                    payload.getUser().getId(),
                    Optional.ofNullable(payload.getChannel()).map(c -> c.getId()),
                    payload.getResponseUrl(),
                    SlackWorkspace.of(req));
            return ctx.ack();
        });
    }

    Reply list(Invocation in, String args) {
        List<Incident> open = visibility.visibleTo(in.userId(), incidents.listOpen(tenancy.visibleTo(in.workspace())));
        if (open.isEmpty()) {
            return Reply.ephemeral(":white_check_mark: No open incidents.");
        }
        List<String> lines = open.stream()
                .map(i -> "• *" + i.key() + "* " + SlackText.severity(i) + " · "
                        + i.phase().label() + " · " + BlockKit.escaped(i.title(), 80) + " · commander "
                        + BlockKit.cut(SlackText.user(i.commander()), 100)
                        + " · " + SlackText.age(i.openedAt(), clock.instant()))
                .toList();
        // Whole lines only, and the rest counted with where to find them: an incident is listed or counted, never cut
        // off.
        return Reply.ephemeral(
                BlockKit.lines(
                        "*Open incidents* (" + open.size() + "), most severe first:\n",
                        lines,
                        BlockKit.MESSAGE_TEXT,
                        more -> "…and " + more
                                + " more: `/incident show INC-&lt;n&gt;` shows one, the Home tab and `GET /api/incidents` list them all."));
    }

    Reply show(Invocation in, String args) {
        String usage = "show [INC-<n>]";
        String first = args.isBlank() ? "" : args.strip().split("\\s+")[0];
        if (!first.isEmpty() && !IncidentKey.looksLikeKey(first)) {
            return Reply.error(
                    "`" + SlackText.escape(first) + "` is not an incident key; keys look like INC-12.",
                    in.command(),
                    usage);
        }
        IncidentResolver.Resolved r = resolver.resolve(in, args, usage);
        if (r.failed()) {
            return r.error().get();
        }
        return incidents
                .details(r.get().key(), SHOW_EVENTS)
                .map(d -> Reply.ephemeral(card.fallbackText(d.incident()))
                        .withBlocks(card.blocksWithTimeline(d.incident(), d.events(), d.eventCount())))
                .orElseThrow();
    }

    static boolean looksLikeSeverity(String word) {
        String w = word.toLowerCase(Locale.ROOT).replaceAll("[:,.!]+$", "");
        if (SEVERITY_LIKE.contains(w) || SEV_NUMBER.matcher(w).matches()) {
            return true;
        }
        // A typo of a severity name: same first letter, one or two letters off ("hight", "critcal", "meduim").
        return w.length() >= 4
                && Arrays.stream(Severity.values())
                        .anyMatch(s -> w.charAt(0) == s.label().charAt(0)
                                && distance(s.label(), w) <= (s.label().length() >= 6 ? 2 : 1));
    }

    private static String unquote(String text) {
        String t = text.strip();
        for (String[] q : new String[][] {{"\"", "\""}, {"“", "”"}}) {
            if (t.length() >= 2 && t.startsWith(q[0]) && t.endsWith(q[1])) {
                return t.substring(1, t.length() - 1);
            }
        }
        return t;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The button under "already opened as INC-n" that opens a new incident all the same. */
    public static final String OPEN_ANYWAY = "incident_open_anyway";

    public static final AccessMap ACCESS = AccessMap.builder()
            .subcommand("open", Action.OPEN)
            .blockAction(OPEN_ANYWAY, Action.OPEN)
            .subcommand("list", Action.READ_LIST)
            .subcommand("show", Action.READ_INCIDENT)
            .build();

    /** The access policy's action for each of its controls; the enforcement middleware decides on it. */
    @Override
    public AccessMap access() {
        return ACCESS;
    }
}
