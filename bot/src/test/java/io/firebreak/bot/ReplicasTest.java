package io.firebreak.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.slack.SlackSigner;
import io.firebreak.bot.testing.PrometheusText;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.TestBot;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one database behind a load balancer, started together and driven at the same time: Slack's
 * retries land on the other replica, commands are spread over both, and both claim durable jobs.
 */
class ReplicasTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final Path MIGRATIONS = Path.of("../storage/src/main/resources/db/migration");
    static final int INCIDENTS = 8;
    static final int NOTES = 24;
    static final String INCIDENT_CHANNEL = "C0REPLICA02";
    static final String PINNER = "U27FFLNF4";
    static final String TS = "1477958101.000004";

    List<TestBot> replicas;
    TestBot first;
    TestBot second;
    ExecutorService clients;

    @BeforeEach
    void start() {
        replicas = TestBot.startReplicas(2, Map.of());
        first = replicas.get(0);
        second = replicas.get(1);
        clients = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        second.close();
        first.close();
    }

    @Test
    void migrationsRanOnceThoughBothReplicasStartedTogether() throws IOException {
        List<String> versions;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            versions = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")))
                    .sorted()
                    .toList();
        }
        List<Map<String, Object>> applied = first.db()
                .withHandle(h -> h.select(
                                "select version, count(*) as times, bool_and(success) as ok from flyway_schema_history where version is not null group by version order by version")
                        .mapToMap()
                        .list());

        assertThat(applied)
                .extracting(row -> (String) row.get("version"))
                .containsExactlyInAnyOrderElementsOf(versions);
        assertThat(applied).allSatisfy(row -> {
            assertThat((Long) row.get("times"))
                    .as("migration V%s applied", row.get("version"))
                    .isEqualTo(1L);
            assertThat((Boolean) row.get("ok")).isTrue();
        });
        assertThat(first.firebreak().ready()).isTrue();
        assertThat(second.firebreak().ready()).isTrue();
    }

    @Test
    void theSameRequestsOnBothReplicasLoseNothingAndDoNothingTwice() throws Exception {
        // Incidents opened through both replicas at once.
        List<HttpResponse<String>> opened =
                concurrently(INCIDENTS, i -> replica(i).command("open high Refund agent incident " + i));
        assertThat(opened).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(opened.stream()
                        .map(r -> first.text(r).replaceAll("(?s).*\\*(INC-\\d+)\\*.*", "$1"))
                        .distinct())
                .hasSize(INCIDENTS);

        // Notes on one incident, spread over both replicas, all at once.
        List<HttpResponse<String>> notes = concurrently(NOTES, i -> replica(i).command("note INC-1 note number " + i));
        assertThat(notes).allSatisfy(r -> assertThat(first.text(r)).contains("INC-1"));

        // The same signed Resolve click delivered to both replicas (Slack retrying on the other one).
        String responseUrl = first.slack().responseUrl("resolve");
        List<HttpResponse<String>> clicks =
                deliverToBothAtOnce(SlackPayloads.button("incident_resolve", "INC-1", TestBot.USER, responseUrl), FORM);
        assertThat(clicks).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        List<String> answers = first.slack().awaitResponseTexts("resolve", 2);
        assertThat(answers).filteredOn(a -> a.contains("to *resolved*")).hasSize(1);
        assertThat(answers).filteredOn(a -> a.contains("already resolved")).hasSize(1);

        // The same Events API delivery (one event_id) to both replicas: a pin in INC-2's channel.
        first.db().useHandle(h -> h.execute("update incident set channel_id = ? where id = 2", INCIDENT_CHANNEL));
        first.slack().message(INCIDENT_CHANNEL, TS, TestBot.USER, "Refunds go to the wrong accounts since 14:02");
        List<HttpResponse<String>> pins = deliverToBothAtOnce(
                SlackRequests.reaction("reaction_added", "Ev0REPLICA01", PINNER, "pushpin", INCIDENT_CHANNEL, TS),
                "application/json");
        assertThat(pins).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));

        first.awaitCount(1, "select count(*) from timeline_event where kind = 'message_captured'");
        first.awaitCount(0, "select count(*) from scheduled_tasks");

        // Nothing lost, nothing twice: each kind of event as many times as it was asked for, seqs without gaps.
        assertThat(kinds())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "opened", (long) INCIDENTS, "note", (long) NOTES, "phase_changed", 1L, "message_captured", 1L));
        assertThat(first.count("select count(*) from incident")).isEqualTo(INCIDENTS);
        List<Map<String, Object>> chains = first.db()
                .withHandle(h -> h.select(
                                "select incident_id, count(*) as events, max(seq) as last, count(distinct seq) as seqs from timeline_event group by incident_id")
                        .mapToMap()
                        .list());
        assertThat(chains).hasSize(INCIDENTS).allSatisfy(chain -> {
            assertThat(((Number) chain.get("last")).longValue()).isEqualTo((Long) chain.get("events"));
            assertThat((Long) chain.get("seqs")).isEqualTo((Long) chain.get("events"));
        });
        for (int id = 1; id <= INCIDENTS; id++) {
            JsonNode verified = replica(id).json(replica(id).api("/api/incidents/INC-" + id + "/timeline/verify"));
            assertThat(verified.path("ok").asBoolean())
                    .as("INC-%d's hash chain", id)
                    .isTrue();
        }
        assertThat(first.slack().calls("conversations.history")).hasSize(1);

        // Each card was posted once, whichever replica ran its jobs, and both replicas ran some.
        for (int id = 1; id <= INCIDENTS; id++) {
            String key = "INC-" + id + " ";
            assertThat(first.slack().calls("chat.postMessage"))
                    .as("posts of %s's card", key)
                    .filteredOn(call ->
                            !call.containsKey("thread_ts") && call.get("text").startsWith(key))
                    .hasSize(1);
        }
        // Changes made while a card publication waits fold into it (issue 17: one waiting publication per incident,
        // rendering the latest state), so there are at most as many updates as changes; the last shows where INC-1
        // ended.
        List<String> updates = first.slack().calls("chat.update").stream()
                .map(call -> call.get("text"))
                .toList();
        assertThat(updates)
                .as("card updates")
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(NOTES + 1)
                .allMatch(text -> text.startsWith("INC-1 "));
        assertThat(updates.get(updates.size() - 1))
                .as("INC-1's card after the last job")
                .contains(", resolved]");
        assertThat(cardJobsRun(first)).as("card jobs run by the first replica").isPositive();
        assertThat(cardJobsRun(second))
                .as("card jobs run by the second replica")
                .isPositive();
    }

    /** The replica the {@code i}-th request goes to: round robin, as a load balancer would. */
    TestBot replica(int i) {
        return replicas.get(i % replicas.size());
    }

    /**
     * Sends the same request, signed once, to every replica at the same moment, as Slack does when it retries a
     * delivery and the load balancer picks another replica. Returns each replica's answer. For containment, the same
     * approved "Contain" submission sent through this must reach the agent control API once.
     */
    List<HttpResponse<String>> deliverToBothAtOnce(String body, String contentType) throws Exception {
        long timestamp = System.currentTimeMillis() / 1000;
        String signature = new SlackSigner(new Secret(TestBot.SIGNING_SECRET)).sign(timestamp, body);
        return concurrently(
                replicas.size(), i -> replicas.get(i).postToSlackEvents(body, contentType, timestamp, signature));
    }

    /** Runs {@code request} for 0..count-1 from several client threads at once; answers in order. */
    List<HttpResponse<String>> concurrently(int count, IntFunction<HttpResponse<String>> request) throws Exception {
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            sent.add(clients.submit(() -> request.apply(n)));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> f : sent) {
            answers.add(f.get(30, TimeUnit.SECONDS));
        }
        return answers;
    }

    Map<String, Long> kinds() {
        return first
                .db()
                .withHandle(h -> h.select("select kind, count(*) as n from timeline_event group by kind")
                        .mapToMap()
                        .list())
                .stream()
                .collect(Collectors.toMap(r -> (String) r.get("kind"), r -> (Long) r.get("n")));
    }

    static double cardJobsRun(TestBot replica) {
        String scraped = replica.get("/metrics", Optional.empty()).body();
        return new PrometheusText(scraped)
                .value("firebreak_jobs_run_seconds_count", Map.of("task", "incident-card", "outcome", "done"))
                .orElse(0.0);
    }
}
