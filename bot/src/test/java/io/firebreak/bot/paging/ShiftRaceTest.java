package io.firebreak.bot.paging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.handoff.HandoffService;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Responders;
import io.firebreak.bot.platform.config.ConfigLoader;
import io.firebreak.bot.platform.config.PagingSettings;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas polling the same schedule at the same moment, as their recurring jobs may: the shift change is
 * recorded by both attempts but owned (and its offer enqueued) by exactly one, through the unique shift row. Called
 * directly, on a real PostgreSQL with two connection pools, so the test decides when both poll.
 */
class ShiftRaceTest {
    final PagerDutyStub pagerDuty = new PagerDutyStub();
    final ObjectMapper mapper = new ObjectMapper();
    final List<Database> databases = new ArrayList<>();

    @AfterEach
    void stop() {
        databases.forEach(Database::close);
        pagerDuty.close();
    }

    private ShiftWatch replica(io.firebreak.storage.DatabaseUrl url, PagingSettings settings) {
        Database database = Database.connect(url, Duration.ofSeconds(5));
        databases.add(database);
        Storage storage = new Storage(database.jdbi(), mapper, Clock.systemUTC());
        IncidentService incidents = new IncidentService(storage, mapper, () -> {}, Responders.everyone());
        PeopleDirectory people =
                new PeopleDirectory(Map.of(), (email, workspace) -> Optional.empty(), Clock.systemUTC());
        OnCallReader reader = new OnCallReader(
                settings,
                new OutboundHttp(Duration.ofSeconds(1), Duration.ofSeconds(2), Clock.systemUTC()),
                mapper,
                Clock.systemUTC(),
                people);
        return new ShiftWatch(
                storage,
                settings,
                reader,
                people,
                incidents,
                new HandoffService(storage, incidents, Duration.ofMinutes(15), mapper),
                () -> {},
                io.firebreak.bot.access.Tenancy.single(Optional.empty()));
    }

    @Test
    void eachShiftChangeIsOwnedByExactlyOneOfTwoReplicasPollingAtOnce() throws Exception {
        Map<String, String> env = pagerDuty.env(
                "PAGERDUTY_API_TOKEN", PagerDutyStub.API_TOKEN, "PAGERDUTY_SCHEDULES", PagerDutyStub.SCHEDULE);
        env.put(
                "FIREBREAK_DATA_DIR",
                Files.createTempDirectory("firebreak-test").toString());
        PagingSettings settings = ConfigLoader.load(env).paging();
        io.firebreak.storage.DatabaseUrl url = SharedPostgres.freshDatabase();
        ShiftWatch a = replica(url, settings);
        ShiftWatch b = replica(url, settings);
        int rounds = 15;

        for (int round = 0; round <= rounds; round++) {
            pagerDuty.onCall(pagerDuty.onCallAnswer(
                    "PUSER" + (round % 2),
                    "Person " + (round % 2),
                    "p@example.com",
                    "2026-12-" + (10 + round) + "T09:00:00Z"));
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<List<Long>> first = CompletableFuture.supplyAsync(() -> pollTogether(a, together));
            CompletableFuture<List<Long>> second = CompletableFuture.supplyAsync(() -> pollTogether(b, together));
            int owned = first.get().size() + second.get().size();

            assertThat(owned)
                    .as("round %d: the first shift is a baseline, each later one a change owned once", round)
                    .isEqualTo(round == 0 ? 0 : 1);
        }
        try (var handle = databases.get(0).jdbi().open()) {
            assertThat(handle.select("select count(*) from oncall_shift")
                            .mapTo(Long.class)
                            .one())
                    .isEqualTo(rounds + 1);
            assertThat(handle.select("select count(*) from scheduled_tasks where task_name = ?", ShiftWatch.SHIFT_JOB)
                            .mapTo(Long.class)
                            .one())
                    .isEqualTo(rounds);
        }
    }

    private static List<Long> pollTogether(ShiftWatch watch, CyclicBarrier together) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return watch.poll();
    }
}
