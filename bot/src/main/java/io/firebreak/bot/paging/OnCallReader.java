package io.firebreak.bot.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.handoff.OnCallRoster;
import io.firebreak.bot.platform.config.PagingSettings;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is on call, from PagerDuty's REST API ({@code GET /oncalls} for the configured schedules and escalation
 * policies, {@code include[]=users} for e-mails). Answers are kept for {@code PAGERDUTY_ONCALL_CACHE}, so
 * {@code /incident oncall} costs PagerDuty one call a minute however often it is typed.
 */
public final class OnCallReader implements OnCallRoster {
    private static final Logger log = LoggerFactory.getLogger(OnCallReader.class);
    /** A failed read is not repeated for this long, so a PagerDuty outage is not hammered by every command. */
    private static final Duration FAILURE_CACHE = Duration.ofSeconds(5);

    private final PagingSettings settings;
    private final OutboundHttp http;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final People people;
    private volatile Cached cached;

    /**
     * One person on call.
     *
     * @param scheduleId the schedule's ID, or the escalation policy's when they are on call directly in it
     * @param start      the shift's start as PagerDuty wrote it, empty for a permanent assignment
     */
    public record OnCall(
            String scheduleId,
            String scheduleName,
            String userId,
            String userName,
            Optional<String> email,
            String start,
            Optional<Instant> end) {}

    /** An answer: who is on call, or why it is not known. */
    public record Answer(List<OnCall> onCalls, Optional<String> failure) {}

    private record Cached(Answer answer, Instant until) {}

    /** Maps a PagerDuty user to a Slack user, for the roster; see {@link PeopleDirectory}. */
    @FunctionalInterface
    public interface People {
        Optional<String> slackUser(String pagerDutyUserId, Optional<String> email, Workspace workspace);
    }

    public OnCallReader(PagingSettings settings, OutboundHttp http, ObjectMapper mapper, Clock clock, People people) {
        this.settings = settings;
        this.http = http;
        this.mapper = mapper;
        this.clock = clock;
        this.people = people;
    }

    /** The on-call as read at most {@code PAGERDUTY_ONCALL_CACHE} ago. */
    public Answer cached() {
        Cached now = cached;
        if (now != null && clock.instant().isBefore(now.until())) {
            return now.answer();
        }
        return read();
    }

    /** The on-call read now (and kept for the next {@link #cached()}). */
    public Answer read() {
        Answer answer = fetch();
        cached = new Cached(
                answer, clock.instant().plus(answer.failure().isPresent() ? FAILURE_CACHE : settings.onCallCache()));
        return answer;
    }

    @Override
    public Roster now(Workspace workspace) {
        if (!settings.onCallOn()) {
            return new Roster(false, List.of(), Optional.empty());
        }
        Answer answer = cached();
        List<Entry> entries = answer.onCalls().stream()
                .map(o -> new Entry(
                        o.scheduleName(),
                        people.slackUser(o.userId(), o.email(), workspace).orElse(o.userName()),
                        o.end()))
                .toList();
        return new Roster(
                true,
                entries,
                answer.failure()
                        .map(f -> "PagerDuty could not be asked who is on call: " + f
                                + ". The open incidents below are Firebreak's own."));
    }

    private Answer fetch() {
        List<OnCall> all = new ArrayList<>();
        int offset = 0;
        for (int page = 0; page < 10; page++) {
            Exchange exchange = http.send(
                    OutboundRequest.get(
                            uri(offset),
                            Map.of(
                                    "Authorization",
                                    "Token token="
                                            + settings.apiToken().orElseThrow().value(),
                                    "Accept",
                                    "application/vnd.pagerduty+json;version=2"),
                            Set.of(settings.apiToken().orElseThrow().value())),
                    2 * 1024 * 1024);
            if (!exchange.succeeded()) {
                String why = exchange.describe("PagerDuty's REST API");
                log.warn("on-call could not be read: {}", why);
                return new Answer(List.of(), Optional.of(why));
            }
            try {
                JsonNode body = mapper.readTree(exchange.body());
                body.path("oncalls").forEach(o -> parse(o).ifPresent(all::add));
                if (!body.path("more").asBoolean(false)) {
                    break;
                }
                offset += body.path("limit").asInt(100);
            } catch (IOException e) {
                return new Answer(List.of(), Optional.of("PagerDuty's REST API answered something that is not JSON"));
            }
        }
        // One line per schedule and person: a schedule used at two levels is listed once.
        Map<String, OnCall> unique = new LinkedHashMap<>();
        all.forEach(o -> unique.putIfAbsent(o.scheduleId() + "/" + o.userId(), o));
        return new Answer(List.copyOf(unique.values()), Optional.empty());
    }

    /** Entries of a configured schedule, and the first level of a configured escalation policy. */
    private Optional<OnCall> parse(JsonNode o) {
        JsonNode user = o.path("user");
        JsonNode schedule = o.path("schedule");
        JsonNode policy = o.path("escalation_policy");
        String scheduleId = schedule.path("id").asText("");
        boolean watched = settings.schedules().contains(scheduleId);
        boolean firstLevel =
                settings.escalationPolicies().contains(policy.path("id").asText(""))
                        && o.path("escalation_level").asInt(1) == 1;
        if (!watched && !firstLevel) {
            return Optional.empty();
        }
        String id = watched ? scheduleId : policy.path("id").asText();
        String name = watched
                ? schedule.path("summary").asText(scheduleId)
                : policy.path("summary").asText(id);
        return Optional.of(new OnCall(
                id,
                name,
                user.path("id").asText(""),
                user.path("summary")
                        .asText(user.path("name").asText(user.path("id").asText("someone"))),
                Optional.ofNullable(user.path("email").textValue()),
                o.path("start").asText(""),
                time(o.path("end").textValue())));
    }

    private static Optional<Instant> time(String text) {
        try {
            return Optional.ofNullable(text).map(t -> OffsetDateTime.parse(t).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private URI uri(int offset) {
        StringBuilder query = new StringBuilder("include%5B%5D=users&limit=100&offset=" + offset);
        settings.schedules().forEach(s -> query.append("&schedule_ids%5B%5D=").append(encode(s)));
        settings.escalationPolicies()
                .forEach(p -> query.append("&escalation_policy_ids%5B%5D=").append(encode(p)));
        return URI.create(settings.apiUrl() + "/oncalls?" + query);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
