package io.firebreak.bot.enforcement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import io.firebreak.bot.access.AccessPolicy;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.access.Actor;
import io.firebreak.bot.access.Decision;
import io.firebreak.bot.access.Directory;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Visibility;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.containment.ContainmentService;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.bot.slack.SlackWorkspace;
import io.firebreak.storage.Database;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one enforcement point for Slack: before any handler runs, resolves who asks, the incident the request names
 * (the key typed in a command or the command's channel, a button's {@code value}, a modal's {@code private_metadata},
 * so a forged value is decided on the incident it names) and the {@link AccessPolicy}'s decision, once. A refusal is
 * answered visibly only to the person, and the handler never runs: nothing is written and nothing is sent.
 */
public final class AccessMiddleware implements Middleware {
    private static final Logger log = LoggerFactory.getLogger(AccessMiddleware.class);
    private static final Pattern KEY = Pattern.compile("(?i)\\bINC-\\d+\\b");
    private static final Pattern RUN = Pattern.compile("\\bca-[a-z0-9]+\\b");
    /**
     * Opening makes a new incident: no existing incident has a say in it, so none is looked up (otherwise a database
     * round trip on every {@code open}, for the incident whose channel it was typed in).
     */
    private static final Set<Action> NEW_INCIDENT = EnumSet.of(Action.OPEN);

    private final String slashCommand;
    private final AccessMap controls;
    private final AccessPolicy policy;
    private final Directory directory;
    private final Visibility visibility;
    private final IncidentService incidents;
    private final ContainmentService containment;
    private final SlackWebApi slack;
    private final Executor afterAck;
    private final ObjectMapper mapper;
    private final WorkLimits limits;
    private final Tenancy tenancy;

    /** {@code controls}: every feature's {@link AccessMap}, merged; what a request asks for is looked up there. */
    public AccessMiddleware(
            String slashCommand,
            AccessMap controls,
            AccessPolicy policy,
            Directory directory,
            Visibility visibility,
            IncidentService incidents,
            ContainmentService containment,
            SlackWebApi slack,
            Executor afterAck,
            ObjectMapper mapper,
            WorkLimits limits,
            Tenancy tenancy) {
        this.slashCommand = slashCommand;
        this.controls = controls;
        this.policy = policy;
        this.directory = directory;
        this.visibility = visibility;
        this.incidents = incidents;
        this.containment = containment;
        this.slack = slack;
        this.afterAck = afterAck;
        this.mapper = mapper;
        this.limits = limits;
        this.tenancy = tenancy;
    }

    @Override
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        Optional<AccessRequest> asked = AccessRequest.of(req, slashCommand, controls, mapper);
        if (asked.isEmpty()) {
            return chain.next(req);
        }
        AccessRequest request = asked.get();
        Workspace workspace = SlackWorkspace.of(req);
        Optional<Incident> incident;
        Decision decision;
        try {
            incident = incident(request, workspace);
            if (incident.isPresent() && !tenancy.sees(workspace, incident.get())) {
                log.info(
                        "refused {} to {} of workspace {}: {} is another workspace's",
                        request.action(),
                        request.userId(),
                        workspace.teamId(),
                        incident.get().key());
                if (req instanceof SlashCommandRequest && request.typedKey()) {
                    // Typed: its handler, which looks in this workspace only, answers as for a key that names nothing.
                    incident = Optional.empty();
                } else {
                    // A button, a modal or an action run naming another workspace's incident: replayed or forged.
                    return refuse(req, request, workspace, unknown(incident.get()));
                }
            }
            Actor actor = directory.actor(request.userId(), request.teamId(), incident);
            decision = policy.decide(actor, request.action(), incident.map(i -> visibility.subject(actor, i)));
        } catch (RuntimeException e) {
            if (Database.isBusy(e)) {
                // Not refused: busy. The request's budget (RequestBudget) answers it, as it answers every busy request.
                throw e;
            }
            // Fail closed: what cannot be decided is not done.
            return refuse(req, request, workspace, failure(e));
        }
        if (decision.allowed()) {
            return request.action().isRead() ? chain.next(req) : withinLimits(req, request, workspace, chain);
        }
        log.info(
                "refused {} to {}{}",
                request.action(),
                request.userId(),
                incident.map(i -> " on " + i.key()).orElse(""));
        return refuse(req, request, workspace, text(decision));
    }

    /** What a request about another workspace's incident is told: what a key that names no incident is told. */
    static String unknown(Incident incident) {
        return ":warning: There is no incident " + incident.key() + ".";
    }

    /** A change goes ahead while its user and workspace are within their limits; otherwise nothing happens. */
    private Response withinLimits(Request req, AccessRequest request, Workspace workspace, MiddlewareChain chain)
            throws Exception {
        Optional<WorkLimits.Reached> reached;
        try {
            reached = limits.take(request.userId(), request.teamId());
        } catch (RuntimeException e) {
            if (Database.isBusy(e)) {
                throw e; // busy, not refused: the request's budget answers it (RequestBudget)
            }
            return refuse(req, request, workspace, failure(e));
        }
        if (reached.isEmpty()) {
            return chain.next(req);
        }
        log.info(
                "limited {} by {}: {} limit reached",
                request.action(),
                request.userId(),
                reached.get().scope());
        return refuse(req, request, workspace, text(reached.get()));
    }

    /** The limit reached, in words, with how long to wait. */
    static String text(WorkLimits.Reached reached) {
        long seconds = Math.max(1, (reached.waitFor().toMillis() + 999) / 1000);
        String who = reached.scope() == WorkLimits.Scope.USER ? "You have" : "This workspace has";
        return ":hourglass: " + who + " started " + reached.started() + " changes in the last minute, the most "
                + (reached.scope() == WorkLimits.Scope.USER ? "one person" : "one workspace") + " may. Wait "
                + seconds + (seconds == 1 ? " second" : " seconds") + " and try again; nothing was changed.";
    }

    /** The incident the request names, read from the same field its handler reads. */
    private Optional<Incident> incident(AccessRequest request, Workspace workspace) {
        if (NEW_INCIDENT.contains(request.action())) {
            return Optional.empty();
        }
        if (request.incidentRef().isPresent()) {
            String ref = request.incidentRef().get();
            Matcher key = KEY.matcher(ref);
            if (key.find()) {
                return IncidentKey.parse(key.group()).flatMap(incidents::find);
            }
            Matcher run = RUN.matcher(ref);
            if (run.find()) {
                return containment.find(run.group()).flatMap(r -> incidents.find(r.incident()));
            }
            if (request.typedKey()) {
                return Optional.empty();
            }
        }
        return request.channelId().flatMap(c -> incidents.findByChannel(tenancy.visibleTo(workspace), c));
    }

    private Response refuse(Request<?> req, AccessRequest request, Workspace workspace, String text) {
        if (req instanceof SlashCommandRequest) {
            return Response.json(200, Map.of("response_type", "ephemeral", "text", text));
        }
        if (req instanceof ViewSubmissionRequest) {
            return Response.json(200, Map.of("response_action", "update", "view", refusalView(text)));
        }
        Optional<String> responseUrl = request.responseUrl();
        Optional<String> channel = request.channelId();
        afterAck.execute(() -> {
            // In a channel, as the handlers answer; a response_url otherwise (App Home, shortcuts outside a channel).
            if (channel.isPresent()) {
                slack.forWorkspace(workspace)
                        .call(
                                "chat.postEphemeral",
                                m -> m.chatPostEphemeral(r -> r.channel(channel.get())
                                        .user(request.userId())
                                        .text(text)));
            } else if (responseUrl.isPresent()) {
                slack.forWorkspace(workspace).respond(responseUrl.get(), text);
            }
        });
        return Response.ok();
    }

    private static String failure(RuntimeException e) {
        if (Database.isUnavailable(e)) {
            log.error(
                    "storage is unavailable ({}); refused the request undecided",
                    e.getClass().getSimpleName());
            return ":x: Storage is unavailable, nothing was changed. Try again in a moment.";
        }
        String errorId = UUID.randomUUID().toString().substring(0, 8);
        log.error("could not decide who may do this (error id {})", errorId, e);
        return ":x: Something went wrong and nothing was changed (error id " + errorId + ").";
    }

    /** The refusal as a person reads it: the policy's reason, then who to ask as mentions. */
    static String text(Decision decision) {
        StringBuilder out = new StringBuilder(":no_entry: ")
                .append(SlackText.escape(decision.reason().orElse("Not allowed.")));
        List<String> contacts = decision.contacts();
        if (!contacts.isEmpty()) {
            out.append("\nWho can: ")
                    .append(String.join(
                            ", ",
                            contacts.stream()
                                    .map(id -> id.startsWith("S") ? "<!subteam^" + id + ">" : "<@" + id + ">")
                                    .toList()))
                    .append('.');
        }
        return out.toString();
    }

    private static Map<String, Object> refusalView(String text) {
        return Map.of(
                "type",
                "modal",
                "title",
                Map.of("type", "plain_text", "text", "Not allowed"),
                "close",
                Map.of("type", "plain_text", "text", "Close"),
                "blocks",
                List.of(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text))));
    }
}
