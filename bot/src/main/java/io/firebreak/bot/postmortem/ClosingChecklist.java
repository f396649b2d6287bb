package io.firebreak.bot.postmortem;

import io.firebreak.bot.incident.CloseGate;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.postmortem.FollowUp;
import io.firebreak.storage.postmortem.PostmortemDao;
import java.util.ArrayList;
import java.util.List;

/**
 * The close gate: an incident closes only when it is resolved and has produced a regression case, an owner and a
 * verification check, plus what the features add (a named failure point; every containment action undone or kept
 * with a reason).
 */
public final class ClosingChecklist implements CloseGate {
    private final List<CloseGate> features;

    /** The core items, then each of {@code features}' items in the order given. */
    public ClosingChecklist(List<CloseGate> features) {
        this.features = List.copyOf(features);
    }

    @Override
    public List<Item> checklist(Storage.Tx tx, Incident incident) {
        List<FollowUp> followUps = tx.attach(PostmortemDao.class).followUps(incident.id());
        List<Item> items = new ArrayList<>();
        boolean resolved = incident.phase() == Phase.RESOLVED || incident.phase() == Phase.CLOSED;
        items.add(new Item(
                "Resolved",
                resolved,
                resolved ? "" : "it is " + incident.phase().label() + "; resolve it first"));
        items.add(has(
                followUps,
                FollowUp.Kind.REGRESSION_CASE,
                "A regression case",
                "add one built from the failing run: `followup regression <expected behaviour>`"));
        items.add(has(followUps, FollowUp.Kind.OWNER, "An owner", "name who owns the fix: `followup owner @user`"));
        items.add(has(
                followUps,
                FollowUp.Kind.VERIFICATION_CHECK,
                "A verification check",
                "say how we will know it stays fixed: `followup verification <eval, CI job or monitor>`"));
        features.forEach(feature -> items.addAll(feature.checklist(tx, incident)));
        return items;
    }

    private static Item has(List<FollowUp> followUps, FollowUp.Kind kind, String label, String missing) {
        long count = followUps.stream().filter(f -> f.kind() == kind).count();
        return new Item(label, count > 0, count > 0 ? "" : missing);
    }
}
