package io.firebreak.bot.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.signing.SigningKey;
import io.firebreak.bot.platform.signing.VerifyingKey;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.storage.integrity.RecordReader;
import io.firebreak.storage.timeline.EventHash;
import io.firebreak.storage.timeline.Timeline;
import io.firebreak.storage.timeline.TimelineEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An insider with the table owner's powers rewrites the record behind the bot's back; a signed checkpoint made before
 * catches each rewrite, naming incident and event, through {@code GET /api/timeline/verify} and {@code firebreak verify}.
 */
class RecordIntegrityTest {
    private static final String AUDIT_CHANNEL = "C0AUDIT0001";

    private final ObjectMapper mapper = new ObjectMapper();
    private Path dir;
    private Path keyFile;
    private Path publicKeyFile;
    private Path checkpoints;
    private TestBot bot;

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory("firebreak-integrity");
        SigningKey key = SigningKey.generate();
        keyFile = Files.writeString(dir.resolve("signing.pem"), key.toPem());
        publicKeyFile =
                Files.writeString(dir.resolve("key.pub"), key.verifyingKey().toPem());
        checkpoints = dir.resolve("published");
        bot = TestBot.start(Map.of(
                "FIREBREAK_SIGNING_KEY",
                keyFile.toString(),
                "FIREBREAK_CHECKPOINT_DIR",
                checkpoints.toString(),
                "FIREBREAK_AUDIT_CHANNEL",
                AUDIT_CHANNEL,
                "FIREBREAK_CHECKPOINT_INTERVAL",
                "PT1H"));
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    @Test
    void aPhaseChangeMakesASignedCheckpointPublishedToAFileAndTheAuditChannel() throws IOException {
        long id = incidentWithNotes("Refund agent refunds the wrong customer", 2);

        Path file = checkpoints.resolve("checkpoint-000001.json");
        bot.awaitCount(1, "select count(*) from checkpoint_publication where checkpoint = 1 and target = 'file'");
        Map<String, String> posted =
                bot.slack().awaitCall("chat.postMessage", c -> AUDIT_CHANNEL.equals(c.get("channel")));
        Checkpoint published = Checkpoint.parse(Files.readString(file), mapper);
        JsonNode latest = bot.json(bot.api("/api/checkpoints/latest"));
        JsonNode verified = bot.json(bot.api("/api/timeline/verify"));

        assertThat(published.problem(VerifyingKey.parse(Files.readString(publicKeyFile)), mapper))
                .isEmpty();
        assertThat(published.head(id))
                .hasValueSatisfying(h -> assertThat(h.seq()).isEqualTo(4));
        assertThat(Files.getPosixFilePermissions(file))
                .as("published checkpoint files are read-only")
                .doesNotContain(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(posted.get("text"))
                .contains("checkpoint *#1*")
                .contains("root=" + published.root())
                .contains("signature=" + published.signature());
        assertThat(latest.path("public_key").asText()).isEqualTo(Files.readString(publicKeyFile));
        assertThat(latest.path("last_checkpoint").path("statement").path("root").asText())
                .isEqualTo(published.root());
        assertThat(bot.json(bot.api("/api/incidents/INC-" + id))
                        .path("integrity")
                        .path("last_checkpoint")
                        .path("statement")
                        .path("number")
                        .asLong())
                .isEqualTo(1);
        String postmortem =
                bot.api("/api/incidents/INC-" + id + "/postmortem.md").body();
        assertThat(postmortem)
                .contains("## Record integrity")
                .contains("Last checkpoint: #1")
                .contains("covers events 1–4")
                .contains(published.keyId())
                .contains(Files.readString(publicKeyFile))
                .doesNotContain("PRIVATE KEY");
        assertThat(latest.toString()).doesNotContain("PRIVATE KEY");
        assertThat(verified.path("ok").asBoolean()).isTrue();
        assertThat(verified.path("checkpoints").asInt()).isEqualTo(1);
        assertThat(verified.path("findings")).isEmpty();
        assertThat(cli(
                        "--database",
                        bot.databaseUrl().jdbcUrl(),
                        "--public-key",
                        publicKeyFile.toString(),
                        "--checkpoints",
                        checkpoints.toString()))
                .startsWith("0\n")
                .contains("OK: ");
    }

    @Test
    void aRewriteWithEveryLaterHashRecomputedIsNamedAfterACheckpoint() {
        long id = incidentWithNotes("Undo rewritten", 3);
        bot.awaitCount(1, "select count(*) from record_checkpoint");

        asOwner(h -> {
            h.execute(
                    "update timeline_event set actor = 'U0MALLORY', details = '{\"text\":\"nothing to see\"}' "
                            + "where incident_id = ? and seq = 3",
                    id);
            rehash(h, id);
        });

        JsonNode verified = bot.json(bot.api("/api/timeline/verify"));
        assertThat(bot.json(bot.api("/api/incidents/INC-" + id + "/timeline/verify"))
                        .path("ok")
                        .asBoolean())
                .as("the chain alone is fooled by recomputed hashes")
                .isTrue();
        assertThat(verified.path("ok").asBoolean()).isFalse();
        assertThat(findings(verified)).containsExactly("CHANGED INC-" + id + " 3");
        assertThat(cli(
                        "--database",
                        bot.databaseUrl().jdbcUrl(),
                        "--public-key",
                        publicKeyFile.toString(),
                        "--checkpoints",
                        checkpoints.toString()))
                .startsWith("1\n")
                .contains("CHANGED INC-" + id + " event 3");
    }

    @Test
    void deletingTheLastFourEventsIsNamedAfterACheckpoint() {
        long id = incidentWithNotes("Tail deleted", 3);
        bot.awaitCount(1, "select count(*) from record_checkpoint");
        long kept = bot.count("select count(*) from timeline_event where incident_id = ?", id) - 4;

        asOwner(h -> h.execute("delete from timeline_event where incident_id = ? and seq > ?", id, kept));

        JsonNode verified = bot.json(bot.api("/api/timeline/verify"));
        assertThat(verified.path("ok").asBoolean()).isFalse();
        assertThat(findings(verified))
                .contains(
                        "REMOVED INC-" + id + " 2",
                        "REMOVED INC-" + id + " 3",
                        "REMOVED INC-" + id + " 4",
                        "REMOVED INC-" + id + " 5");
        // The phase_changed event went with the tail, so the row says a phase the remaining events do not.
        assertThat(findings(verified)).contains("ROW_MISMATCH INC-" + id + " -");
    }

    @Test
    void swappingTwoEventsIsNamedAsReorderedAfterACheckpoint() {
        long id = incidentWithNotes("Reordered", 3);
        bot.awaitCount(1, "select count(*) from record_checkpoint");

        asOwner(h -> {
            h.execute("update timeline_event set seq = 1000 where incident_id = ? and seq = 2", id);
            h.execute("update timeline_event set seq = 2 where incident_id = ? and seq = 3", id);
            h.execute("update timeline_event set seq = 3 where incident_id = ? and seq = 1000", id);
            rehash(h, id);
        });

        JsonNode verified = bot.json(bot.api("/api/timeline/verify"));
        assertThat(findings(verified))
                .containsExactlyInAnyOrder("REORDERED INC-" + id + " 2", "REORDERED INC-" + id + " 3");
    }

    @Test
    void anEventSlippedInBetweenIsNamedAndTheEventsItPushedAlongAreFound() {
        long id = incidentWithNotes("Inserted", 3);
        bot.awaitCount(1, "select count(*) from record_checkpoint");

        asOwner(h -> {
            h.execute("update timeline_event set seq = seq + 100 where incident_id = ? and seq >= 3", id);
            h.execute("update timeline_event set seq = seq - 99 where incident_id = ? and seq > 100", id);
            h.execute("""
                    insert into timeline_event (incident_id, seq, at, actor, kind, details, prev_hash, hash)
                    select incident_id, 3, at, 'U0MALLORY', 'note', '{"text":"approved by legal"}', '', ''
                    from timeline_event where incident_id = ? and seq = 2""", id);
            rehash(h, id);
        });

        JsonNode verified = bot.json(bot.api("/api/timeline/verify"));
        assertThat(findings(verified))
                .containsExactlyInAnyOrder(
                        "INSERTED INC-" + id + " 3",
                        "REORDERED INC-" + id + " 4",
                        "REORDERED INC-" + id + " 5",
                        "REORDERED INC-" + id + " 6");
    }

    @Test
    void anIncidentRowThatDisagreesWithItsEventsIsNamed() {
        long id = incidentWithNotes("Row rewritten", 1);
        bot.awaitCount(1, "select count(*) from record_checkpoint");

        bot.db()
                .useHandle(h ->
                        h.execute("update incident set severity = 'LOW', commander = 'U0MALLORY' where id = ?", id));

        JsonNode verified = bot.json(bot.api("/api/timeline/verify"));
        List<String> details = new ArrayList<>();
        verified.path("findings")
                .forEach(f -> details.add(
                        f.path("kind").asText() + ": " + f.path("detail").asText()));
        assertThat(details)
                .containsExactlyInAnyOrder(
                        "ROW_MISMATCH: severity is LOW but its events say HIGH",
                        "ROW_MISMATCH: commander is U0MALLORY but its events say " + TestBot.USER);
    }

    @Test
    void aCheckpointNotSignedByTheKeyIsRefused() throws IOException {
        long id = incidentWithNotes("Forged", 1);
        bot.awaitCount(1, "select count(*) from checkpoint_publication where target = 'file'");
        Checkpoint real = Checkpoint.parse(Files.readString(checkpoints.resolve("checkpoint-000001.json")), mapper);
        // A forger rewrites the record and signs a checkpoint over it with a key of their own.
        asOwner(h -> {
            h.execute("update timeline_event set actor = 'U0MALLORY' where incident_id = ? and seq = 2", id);
            rehash(h, id);
        });
        String newHead =
                bot.string("select hash from timeline_event where incident_id = ? order by seq desc limit 1", id);
        Checkpoint forged = Checkpoint.sign(
                2,
                Instant.now(),
                real.digest(mapper),
                List.of(new Checkpoint.Head(id, real.head(id).orElseThrow().seq(), newHead)),
                Map.of(),
                SigningKey.generate(),
                mapper);
        Files.writeString(checkpoints.resolve("checkpoint-000002.json"), forged.toDocument(mapper));

        JsonNode verified = bot.json(bot.api("/api/timeline/verify"));
        assertThat(verified.path("checkpoints").asInt()).isEqualTo(1);
        assertThat(findings(verified)).containsExactlyInAnyOrder("CHECKPOINT_REFUSED - -", "CHANGED INC-" + id + " 2");
        assertThat(verified.path("findings").get(0).path("detail").asText())
                .contains("checkpoint #2 is not used: signed by key " + forged.keyId() + ", not by the trusted key "
                        + real.keyId());
    }

    @Test
    void anExportVerifiesOfflineAndFailsAfterOneByteChanges() throws IOException {
        long id = incidentWithNotes("Exported", 2);
        bot.awaitCount(1, "select count(*) from record_checkpoint");
        bot.command("note INC-" + id + " written after the checkpoint");

        String export = bot.api("/api/incidents/INC-" + id + "/export").body();
        Path file = Files.writeString(dir.resolve("export.json"), export);
        String good = cli("--export", file.toString(), "--public-key", publicKeyFile.toString());
        int at = export.indexOf("note number 1");
        Path changed = Files.writeString(
                dir.resolve("changed.json"), export.substring(0, at) + "N" + export.substring(at + 1));
        String bad = cli("--export", changed.toString(), "--public-key", publicKeyFile.toString());
        Path otherKey = Files.writeString(
                dir.resolve("other.pub"), SigningKey.generate().verifyingKey().toPem());
        String wrongKey = cli("--export", file.toString(), "--public-key", otherKey.toString());

        ByteArrayOutputStream fromCli = new ByteArrayOutputStream();
        int exported = ExportCommand.run(
                new String[] {
                    "INC-" + id, "--database", bot.databaseUrl().jdbcUrl(), "--public-key", publicKeyFile.toString()
                },
                Map.of(),
                new PrintStream(fromCli, true, StandardCharsets.UTF_8),
                System.err);
        Path cliFile = Files.write(dir.resolve("cli-export.json"), fromCli.toByteArray());

        assertThat(exported).isZero();
        assertThat(mapper.readTree(cliFile.toFile())).isEqualTo(mapper.readTree(export));
        assertThat(cli("--export", cliFile.toString(), "--public-key", publicKeyFile.toString()))
                .startsWith("0\n");
        assertThat(bot.json(bot.api("/api/incidents/INC-" + id + "/export"))
                        .path("checkpoints")
                        .get(0)
                        .path("inclusion")
                        .has("path"))
                .isTrue();
        assertThat(good)
                .startsWith("0\n")
                .contains("OK: 1 incidents, 5 events checked against 1 signed checkpoints (newest #1)");
        assertThat(bad).startsWith("1\n").contains("CHANGED INC-" + id + " event 2");
        assertThat(wrongKey).startsWith("1\n").contains("CHECKPOINT_REFUSED");
    }

    /** Opens a HIGH incident, adds {@code notes} notes and moves it to investigating, which asks for a checkpoint. */
    private long incidentWithNotes(String title, int notes) {
        bot.command("open high " + title);
        long id = bot.count("select max(id) from incident");
        for (int i = 1; i <= notes; i++) {
            bot.command("note INC-" + id + " note number " + i);
        }
        assertThat(bot.text(bot.command("status INC-" + id + " investigating")))
                .contains("moved from detected to *investigating*");
        return id;
    }

    /** Runs {@code sql} as the table owner would: the append-only triggers switched off for it, then on again. */
    private void asOwner(java.util.function.Consumer<Handle> work) {
        bot.db().useHandle(h -> {
            h.execute("alter table timeline_event disable trigger user");
            try {
                work.accept(h);
            } finally {
                h.execute("alter table timeline_event enable trigger user");
            }
        });
    }

    /** Recomputes every hash and link of an incident's chain from what is now stored, as a careful forger would. */
    private void rehash(Handle h, long incident) {
        EventHash hash = new EventHash(mapper);
        String prev = Timeline.GENESIS;
        for (TimelineEvent e : new RecordReader(h, mapper).events(Optional.of(incident))) {
            String now = hash.of(prev, e.seq(), e);
            h.execute("update timeline_event set prev_hash = ?, hash = ? where id = ?", prev, now, e.id());
            prev = now;
        }
    }

    /** Each finding as {@code KIND INC-n seq}, with {@code -} for what it does not name. */
    private static List<String> findings(JsonNode verified) {
        List<String> out = new ArrayList<>();
        verified.path("findings")
                .forEach(f -> out.add(f.path("kind").asText() + " "
                        + (f.path("incident").isNull()
                                ? "-"
                                : f.path("incident").asText()) + " "
                        + (f.path("seq").isNull() ? "-" : f.path("seq").asText())));
        return out;
    }

    /** {@code firebreak verify} with {@code args}: its exit code, a newline, then what it printed. */
    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VerifyCommand.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return code + "\n" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }
}
