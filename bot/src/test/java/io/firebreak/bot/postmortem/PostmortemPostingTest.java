package io.firebreak.bot.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.incident.CloseGate;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Responders;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.incident.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The postmortem is posted by the close itself, in its transaction, however the incident was closed. */
class PostmortemPostingTest {
    private static final IncidentKey KEY = new IncidentKey(1);
    private final ObjectMapper mapper = new ObjectMapper();
    private Database database;
    private Jdbi db;
    private Storage storage;

    @BeforeEach
    void start() {
        database = Database.connect(SharedPostgres.freshDatabase(), Duration.ofSeconds(5));
        db = database.jdbi();
        storage = new Storage(db, mapper, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        database.close();
    }

    private IncidentService incidents(CloseGate gate) {
        PostmortemPosting posting = new PostmortemPosting(storage, Clock.systemUTC(), () -> {});
        IncidentService incidents =
                new IncidentService(storage, mapper, () -> {}, Responders.everyone(), gate, List.of(posting));
        incidents.open(new IncidentService.OpenRequest(
                "Refund agent sent wrong refunds",
                Optional.of(Severity.HIGH),
                "U2CERLKJA",
                Optional.empty(),
                "slash-command"));
        return incidents;
    }

    private List<String> postings() {
        return db.withHandle(
                h -> h.select("select task_instance from scheduled_tasks where task_name = ?", PostmortemPosting.JOB)
                        .mapTo(String.class)
                        .list());
    }

    @Test
    void closingEnqueuesThePostingInTheSameChange() {
        IncidentService incidents = incidents(CloseGate.open());
        incidents.moveTo(KEY, Phase.RESOLVED, "U2CERLKJA", Optional.empty());
        assertThat(postings()).as("resolving posts nothing yet").isEmpty();

        assertThat(incidents
                        .moveTo(KEY, Phase.CLOSED, "U2CERLKJA", Optional.empty())
                        .changed())
                .isTrue();

        assertThat(postings()).hasSize(1);
        assertThat(PostmortemPosting.Request.parse(postings().get(0)).incident())
                .isEqualTo(KEY);
    }

    @Test
    void aRefusedCloseEnqueuesNothing() {
        IncidentService incidents =
                incidents((tx, incident) -> List.of(new CloseGate.Item("An owner", false, "name one")));
        incidents.moveTo(KEY, Phase.RESOLVED, "U2CERLKJA", Optional.empty());

        assertThat(incidents
                        .moveTo(KEY, Phase.CLOSED, "U2CERLKJA", Optional.empty())
                        .changed())
                .isFalse();

        assertThat(postings()).isEmpty();
    }

    @Test
    void aRequestIdReadsBackAsWritten() {
        PostmortemPosting.Request request =
                new PostmortemPosting.Request(new IncidentKey(42), Instant.ofEpochMilli(1_764_000_000_123L));
        assertThat(PostmortemPosting.Request.parse(request.instanceId())).isEqualTo(request);
    }
}
