package io.firebreak.bot.integrity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.signing.VerifyingKey;
import io.firebreak.bot.postmortem.PostmortemSection;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.integrity.CheckpointDao;
import java.util.Optional;

/** The postmortem's "Record integrity" section: the public key and the newest checkpoint covering the incident. */
public final class IntegritySection implements PostmortemSection {
    private final Optional<VerifyingKey> key;
    private final ObjectMapper mapper;

    public IntegritySection(Optional<VerifyingKey> key, ObjectMapper mapper) {
        this.key = key;
        this.mapper = mapper;
    }

    @Override
    public String title() {
        return "Record integrity";
    }

    @Override
    public String markdown(Storage.Tx tx, Incident incident) {
        if (key.isEmpty()) {
            return "Checkpoints are off (no `FIREBREAK_SIGNING_KEY`): the timeline is hash-chained but not signed or published.\n";
        }
        StringBuilder md = new StringBuilder();
        md.append("- Checkpoint signing key: `").append(key.get().id()).append("` (Ed25519)\n");
        Optional<Checkpoint> covering =
                tx.attach(CheckpointDao.class).latest().map(s -> Checkpoint.parse(s.document(), mapper));
        Optional<Checkpoint.Head> head = covering.flatMap(c -> c.head(incident.id()));
        if (head.isEmpty()) {
            md.append("- No checkpoint covers this incident yet.\n");
        } else {
            Checkpoint c = covering.get();
            md.append("- Last checkpoint: #")
                    .append(c.number())
                    .append(", made ")
                    .append(c.madeAt())
                    .append(", covers events 1–")
                    .append(head.get().seq())
                    .append(" (head `")
                    .append(head.get().hash())
                    .append("`), root `")
                    .append(c.root())
                    .append("`\n");
        }
        md.append("- Verify offline: `./firebreak verify --export ")
                .append(incident.key())
                .append("-export.json --public-key key.pub`\n");
        md.append("\n```\n").append(key.get().toPem()).append("```\n");
        return md.toString();
    }
}
