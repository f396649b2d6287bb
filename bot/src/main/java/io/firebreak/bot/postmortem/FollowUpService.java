package io.firebreak.bot.postmortem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.postmortem.FollowUp;
import io.firebreak.storage.postmortem.PostmortemDao;
import java.util.List;
import java.util.Optional;

/**
 * Follow-ups an incident must produce. A regression case is built from an attached run's frozen evidence: its
 * input, its bad output, the expected behaviour a person writes, the failure point and tags, keeping the run ID.
 */
public final class FollowUpService {
    /** The durable job that pushes a regression case to the eval dataset; instance id = follow-up id. */
    public static final String DATASET_JOB = "regression-dataset-push";

    private final Storage storage;
    private final IncidentService incidents;
    private final RunEvidence evidence;
    private final boolean pushToDataset;
    private final ObjectMapper mapper;

    public FollowUpService(
            Storage storage,
            IncidentService incidents,
            RunEvidence evidence,
            boolean pushToDataset,
            ObjectMapper mapper) {
        this.storage = storage;
        this.incidents = incidents;
        this.evidence = evidence;
        this.pushToDataset = pushToDataset;
        this.mapper = mapper;
    }

    /**
     * A follow-up to add.
     *
     * @param text  for a regression case, the expected behaviour; otherwise what is to be done
     * @param owner a Slack user ID: required for an owner, optional for the rest
     * @param runId for a regression case, the run it is built from; empty for the latest attached run
     */
    public record Request(
            FollowUp.Kind kind, String text, Optional<String> owner, Optional<String> runId, List<String> tags) {}

    public Outcome add(IncidentKey key, Request request, String actor) {
        Optional<Incident> found = incidents.find(key);
        if (found.isEmpty()) {
            return new Outcome(Outcome.Status.NOT_FOUND, Optional.empty(), "There is no incident " + key + ".");
        }
        Incident incident = found.get();
        String text = TextLimits.cut(request.text().strip(), 3000);
        if (request.kind() == FollowUp.Kind.OWNER && request.owner().isEmpty()) {
            return Outcome.refused(
                    incident, "An owner follow-up names who owns the fix and the follow-ups: `followup owner @user`.");
        }
        if (request.kind() != FollowUp.Kind.OWNER && text.isEmpty()) {
            return Outcome.refused(
                    incident,
                    request.kind() == FollowUp.Kind.REGRESSION_CASE
                            ? "A regression case needs the expected behaviour, written by a person: what should the agent have done?"
                            : "Say what the follow-up is.");
        }
        Optional<RunEvidence.Facts> facts = Optional.empty();
        if (request.kind() == FollowUp.Kind.REGRESSION_CASE) {
            facts = request.runId()
                    .map(r -> evidence.run(incident.id(), r))
                    .orElseGet(() -> evidence.latest(incident.id()));
            if (facts.isEmpty()) {
                return Outcome.refused(
                        incident,
                        request.runId()
                                .map(r -> "Run `" + r + "` is not attached to " + key + " with evidence yet.")
                                .orElse("A regression case is built from a failing run, and " + key
                                        + " has no run with evidence yet: " + "attach one with `run " + key
                                        + " <run-id>`."));
            }
        }
        Optional<RunEvidence.Facts> run = facts;
        Outcome outcome = storage.inTransaction(tx -> {
            Optional<String> failurePoint = run.isPresent() ? evidence.failurePoint(incident.id()) : Optional.empty();
            long id = tx.attach(PostmortemDao.class)
                    .insertFollowUp(
                            incident.id(),
                            request.kind(),
                            text.isEmpty() ? "owns the fix" : text,
                            request.owner().orElse(null),
                            run.map(RunEvidence.Facts::runId).orElse(null),
                            run.flatMap(RunEvidence.Facts::input)
                                    .map(Object::toString)
                                    .orElse(null),
                            run.flatMap(RunEvidence.Facts::output)
                                    .map(Object::toString)
                                    .orElse(null),
                            request.kind() == FollowUp.Kind.REGRESSION_CASE ? text : null,
                            failurePoint.orElse(null),
                            mapper.valueToTree(request.tags()).toString(),
                            actor,
                            storage.clock().instant());
            FollowUp added = tx.attach(PostmortemDao.class).followUp(id).orElseThrow();
            ObjectNode details = mapper.createObjectNode();
            details.put("follow_up", added.key());
            details.put("kind", request.kind().name());
            details.put("text", added.text());
            request.owner().ifPresent(o -> details.put("owner", o));
            run.ifPresent(r -> details.put("source_run_id", r.runId()));
            incidents.record(tx, key, actor, EventKinds.FOLLOW_UP_ADDED, details);
            if (request.kind() == FollowUp.Kind.REGRESSION_CASE && pushToDataset) {
                tx.jobs()
                        .enqueue(
                                DATASET_JOB, String.valueOf(id), storage.clock().instant());
            }
            return Outcome.changed(tx.incidents().find(incident.id()).orElseThrow(), describe(added));
        });
        incidents.wakeJobs();
        return outcome;
    }

    public List<FollowUp> followUps(IncidentKey key) {
        return storage.inTransaction(tx -> tx.attach(PostmortemDao.class).followUps(key.id()));
    }

    /** Regression cases of every incident since {@code since}, oldest first. */
    public List<FollowUp> regressionCasesSince(java.time.Instant since) {
        return storage.inTransaction(tx -> tx.attach(PostmortemDao.class).regressionCasesSince(since));
    }

    static String describe(FollowUp f) {
        return switch (f.kind()) {
            case REGRESSION_CASE ->
                "Regression case " + f.key() + " added from run `"
                        + f.sourceRunId().orElse("?") + "`: expected " + TextLimits.cut(f.text(), 200) + ".";
            case OWNER -> Outcome.person(f.owner().orElse("?")) + " owns the fix and the follow-ups (" + f.key() + ").";
            case VERIFICATION_CHECK -> "Verification check " + f.key() + ": " + TextLimits.cut(f.text(), 200) + ".";
            case VALIDATION -> "Validation " + f.key() + ": " + TextLimits.cut(f.text(), 200) + ".";
            case OTHER -> "Follow-up " + f.key() + ": " + TextLimits.cut(f.text(), 200) + ".";
        };
    }
}
