package io.firebreak.bot.containment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.storage.Storage;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.ContainmentRunDao;
import io.firebreak.storage.containment.RunState;
import io.firebreak.storage.containment.UndoState;
import io.firebreak.storage.containment.Verification;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable jobs that make containment calls: {@link ContainmentService#ACTION_JOB} and
 * {@link ContainmentService#UNDO_JOB}. Each loads the run, counts the attempt, makes the call with the run's id as
 * {@code Idempotency-Key}, records the exchange on the timeline, and either settles the run or asks to run again
 * ({@link RetryLater}) as the target's retry policy allows. A job that runs again after a crash finds the run's
 * state and never repeats a settled call.
 */
public final class ContainmentExecutor {
    private static final Logger log = LoggerFactory.getLogger(ContainmentExecutor.class);
    /** Most of an answer read; answers are small JSON documents. */
    static final long MAX_BODY_BYTES = 64 * 1024;
    /** Most of a request or answer body kept on the timeline. */
    static final int TIMELINE_BODY_LIMIT = 4000;

    private final Storage storage;
    private final IncidentService incidents;
    private final io.firebreak.bot.platform.metrics.Metrics metrics;
    private final ActionCatalog catalog;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Runnable wakeJobs;
    private final RunEvents events;
    private final Map<String, OutboundHttp> clients = new LinkedHashMap<>();

    public ContainmentExecutor(
            Storage storage,
            ActionCatalog catalog,
            IncidentService incidents,
            io.firebreak.bot.platform.metrics.Metrics metrics,
            ObjectMapper mapper,
            Runnable wakeJobs) {
        this.storage = storage;
        this.incidents = incidents;
        this.metrics = metrics;
        this.catalog = catalog;
        this.mapper = mapper;
        this.clock = storage.clock();
        this.wakeJobs = wakeJobs;
        this.events = new RunEvents(mapper, clock);
        catalog.targets().forEach(t -> clients.put(t.id(), new OutboundHttp(t.connectTimeout(), t.timeout(), clock)));
    }

    /** A run as its job finds it: ready for an attempt, or cut short by a stop during its action call. */
    private record Started(ContainmentRun run, boolean interrupted) {}

    /** Job handler of {@link ContainmentService#ACTION_JOB}. */
    public void runAction(String runId) {
        Optional<Started> started = storage.inTransaction(tx -> {
            ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
            Optional<ContainmentRun> found =
                    runs.lock(runId).filter(r -> r.state() == RunState.QUEUED || r.state() == RunState.RUNNING);
            if (found.isEmpty()) {
                return Optional.<Started>empty();
            }
            ContainmentRun r = found.get();
            if (r.state() == RunState.RUNNING && inActionCall(r)) {
                // Stopped during the call: reconciled below (its check, or "unknown"), never blindly sent again.
                recordInterrupted(tx, r);
                return Optional.of(new Started(r, true));
            }
            return runs.startAttempt(r.id(), clock.instant())
                    ? runs.find(r.id()).map(s -> new Started(s, false))
                    : Optional.<Started>empty();
        });
        if (started.isEmpty()) {
            return;
        }
        ContainmentRun run = started.get().run();
        if (run.execution().attempts() == 1 && !started.get().interrupted()) {
            metrics.containmentFired(run.action());
        }
        Optional<String> cannot = cannotRun(run);
        if (cannot.isPresent()) {
            settle(run, catalog.title(run.action()), List.of(), RunState.FAILED, cannot.get(), Optional.empty());
            return;
        }
        ContainmentAction action = catalog.find(run.action()).orElseThrow();
        Map<String, String> values =
                ContainmentService.values(run.parameters(), run.incident(), run.reason(), run.requestedBy(), run.id());
        values.putAll(run.execution().captured());
        List<Call> calls = new ArrayList<>();
        if (started.get().interrupted()) {
            Optional<ContainmentRun> again = reconcile(run, action, values, calls);
            if (again.isEmpty()) {
                return;
            }
            run = again.get();
        }
        fire(run, action, values, calls);
    }

    /** True when a running run had got past its capture (if any): its action call may have been sent. */
    private boolean inActionCall(ContainmentRun run) {
        boolean capturing =
                catalog.find(run.action()).flatMap(ContainmentAction::capture).isPresent()
                        && run.execution().captured().isEmpty();
        return !capturing;
    }

    /**
     * A run stopped during its action call, answer unrecorded. With a check: applied settles it, not applied sends the
     * call again (returned: a new attempt, same {@code Idempotency-Key}). Without one, or when the check cannot tell,
     * the run is settled as unknown, "may have been applied", for a responder to retry or undo.
     */
    private Optional<ContainmentRun> reconcile(
            ContainmentRun run, ContainmentAction action, Map<String, String> values, List<Call> calls) {
        String target = action.target().name();
        String stopped = "Firebreak stopped during the call to " + target + " and recorded no answer";
        if (action.check().isPresent()) {
            Checked checked = check(action.target(), action.check().get(), values);
            calls.add(checked.call());
            if (checked.verdict() == Verification.CONFIRMED) {
                settle(
                        run,
                        action.title(),
                        calls,
                        RunState.SUCCEEDED,
                        stopped + "; the check shows it was applied",
                        Optional.of(Verification.CONFIRMED));
                return Optional.empty();
            }
            if (checked.verdict() == Verification.NOT_CONFIRMED) {
                log.info("containment {} was not applied before the stop ({}); sending it again", run.id(), checked);
                // The check belongs to the attempt it reconciles; the call goes again as the next attempt.
                boolean next = storage.inTransaction(tx -> {
                    calls.forEach(c -> recordCall(tx, run, c, run.execution().attempts(), Optional.empty()));
                    return tx.attach(ContainmentRunDao.class).startAttempt(run.id(), clock.instant());
                });
                calls.clear();
                return next ? find(run.id()) : Optional.empty();
            }
            stopped += "; the check could not tell (" + checked.detail() + ")";
        }
        settle(
                run,
                action.title(),
                calls,
                RunState.FAILED,
                "unknown: " + stopped + ", so it may have been applied. Retry sends it again with the same"
                        + " Idempotency-Key; Undo lifts it",
                Optional.of(Verification.UNKNOWN));
        return Optional.empty();
    }

    private Optional<ContainmentRun> find(String runId) {
        return storage.inTransaction(tx -> tx.attach(ContainmentRunDao.class).find(runId));
    }

    /** One attempt: the capture when still needed, the call, and the check when the catalog has one. */
    private void fire(ContainmentRun run, ContainmentAction action, Map<String, String> values, List<Call> calls) {
        if (action.capture().isPresent()
                && run.execution().captured().isEmpty()
                && !capture(run, action, values, calls)) {
            return;
        }
        Call call = send(
                action.target(),
                "action",
                action.request().render(action.target(), values, Optional.of(run.id()), mapper));
        calls.add(call);
        if (!call.exchange().succeeded()) {
            retryOrFail(run, action, calls, call.exchange(), "");
            return;
        }
        String outcome = call.exchange().describe(action.target().name());
        if (action.check().isEmpty()) {
            settle(run, action.title(), calls, RunState.SUCCEEDED, outcome, Optional.empty());
            return;
        }
        Checked checked = check(action.target(), action.check().get(), values);
        calls.add(checked.call());
        outcome += switch (checked.verdict()) {
            case CONFIRMED -> ", and the check confirms it took effect";
            case NOT_CONFIRMED -> ", but the check shows it did not take effect: " + checked.detail();
            case NOT_CHECKED, UNKNOWN -> "; the check could not run (" + checked.detail() + ")";
        };
        settle(
                run,
                action.title(),
                calls,
                checked.verdict() == Verification.NOT_CONFIRMED ? RunState.FAILED : RunState.SUCCEEDED,
                outcome,
                Optional.of(checked.verdict()));
    }

    /**
     * Reads and keeps what the undo will need; false when it could not (the run is then settled or retried).
     */
    private boolean capture(
            ContainmentRun run, ContainmentAction action, Map<String, String> values, List<Call> calls) {
        Capture capture = action.capture().orElseThrow();
        Target target = action.target();
        Call read = send(target, "capture", capture.request().render(target, values, Optional.empty(), mapper));
        calls.add(read);
        if (!read.exchange().succeeded()) {
            retryOrFail(run, action, calls, read.exchange(), "could not read what the undo will need: ");
            return false;
        }
        Map<String, String> kept = keep(capture, read.exchange());
        if (kept.size() < capture.keep().size()) {
            settle(
                    run,
                    action.title(),
                    calls,
                    RunState.FAILED,
                    "could not read what the undo will need: the answer of " + target.name() + " has no "
                            + String.join(", ", capture.keep().values()) + "; nothing was changed",
                    Optional.empty());
            return false;
        }
        storage.inTransaction(tx -> {
            tx.attach(ContainmentRunDao.class).keepCaptured(run.id(), events.json(kept));
            return null;
        });
        values.putAll(kept);
        return true;
    }

    /**
     * Give-up handler of {@link ContainmentService#ACTION_JOB}: the run fails with the reason, on the timeline, the card
     * and in the thread, so the action can be fired again and the incident can close. A call may have reached the
     * target before the job broke, and the outcome says so.
     */
    public void giveUpAction(String runId, int failures, String reason) {
        String outcome = "Firebreak gave up after " + failures + " failed tries (" + reason + "); "
                + "a call may have reached the target: check it, then fire again or undo";
        storage.inTransaction(tx -> {
            ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
            if (!runs.abandon(runId, clock.instant(), outcome)) {
                return null;
            }
            ContainmentRun run = runs.find(runId).orElseThrow();
            metrics.containmentFailed(run.action());
            ObjectNode details = events.details(run)
                    .put("outcome", outcome)
                    .put("attempts", run.execution().attempts())
                    .put("gave_up", true);
            events.append(
                    tx,
                    run,
                    IncidentService.FIREBREAK,
                    EventKinds.CONTAINMENT_FAILED,
                    details,
                    catalog.title(run.action()) + " failed: " + outcome,
                    Optional.of(Notice.FAILED));
            return null;
        });
        log.warn("containment {} failed: its job was given up after {} failures ({})", runId, failures, reason);
        wakeJobs.run();
    }

    /** Give-up handler of {@link ContainmentService#UNDO_JOB}: the undo fails with the reason and may be asked for again. */
    public void giveUpUndo(String runId, int failures, String reason) {
        String outcome = "Firebreak gave up after " + failures + " failed tries (" + reason + "); "
                + "the undo call may have reached the target: check it, then undo again";
        storage.inTransaction(tx -> {
            ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
            if (!runs.abandonUndo(runId, clock.instant(), outcome)) {
                return null;
            }
            ContainmentRun run = runs.find(runId).orElseThrow();
            events.append(
                    tx,
                    run,
                    IncidentService.FIREBREAK,
                    EventKinds.CONTAINMENT_UNDO_FAILED,
                    events.details(run).put("outcome", outcome).put("gave_up", true),
                    "undo of " + catalog.title(run.action()) + " failed: " + outcome,
                    Optional.of(Notice.UNDO_FAILED));
            return null;
        });
        log.warn("undo of containment {} failed: its job was given up after {} failures ({})", runId, failures, reason);
        wakeJobs.run();
    }

    /** Why no call can be made for {@code run}: its action left the catalog, or its target is not configured. */
    private Optional<String> cannotRun(ContainmentRun run) {
        Optional<ContainmentAction> action = catalog.find(run.action());
        if (action.isEmpty()) {
            return Optional.of("the action " + run.action() + " is no longer in the catalog; nothing was sent");
        }
        if (!action.get().target().configured()) {
            return Optional.of(action.get().target().notConfigured() + "; nothing was sent");
        }
        return Optional.empty();
    }

    /** Job handler of {@link ContainmentService#UNDO_JOB}. */
    public void runUndo(String runId) {
        Optional<ContainmentRun> started = storage.inTransaction(tx -> {
            ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
            return runs.lock(runId)
                    .filter(r -> r.undo()
                            .map(u -> u.state() == UndoState.QUEUED || u.state() == UndoState.RUNNING)
                            .orElse(false))
                    .filter(r -> runs.startUndoAttempt(r.id()))
                    .flatMap(r -> runs.find(r.id()));
        });
        if (started.isEmpty()) {
            return;
        }
        ContainmentRun run = started.get();
        ContainmentRun.Undo undo = run.undo().orElseThrow();
        Optional<String> cannot = cannotRun(run);
        if (cannot.isPresent()) {
            settleUndo(run, catalog.title(run.action()), Optional.empty(), UndoState.FAILED, cannot.get());
            return;
        }
        ContainmentAction action = catalog.find(run.action()).orElseThrow();
        Target target = action.target();
        Map<String, String> values = ContainmentService.values(
                run.parameters(), run.incident(), undo.reason(), undo.requestedBy(), run.id());
        values.putAll(run.execution().captured());
        Call call = send(
                target,
                "undo",
                action.undo().render(target, values, Optional.of(run.id() + "-undo-" + undo.requests()), mapper));
        String outcome = call.exchange().describe(target.name());
        if (call.exchange().succeeded()) {
            settleUndo(run, action.title(), Optional.of(call), UndoState.SUCCEEDED, outcome);
            return;
        }
        Optional<Instant> next = target.retry().next(undo.attempts(), call.exchange(), clock.instant());
        if (next.isPresent()) {
            storage.inTransaction(tx -> {
                recordCall(tx, run, call, undo.attempts(), next);
                tx.attach(ContainmentRunDao.class)
                        .scheduleUndoRetry(run.id(), retrying(outcome, undo.attempts(), target, next.get()));
                return null;
            });
            wakeJobs.run();
            throw new RetryLater(next.get(), "undo of " + run.id() + ": " + outcome);
        }
        settleUndo(run, action.title(), Optional.of(call), UndoState.FAILED, attemptsSuffix(outcome, undo.attempts()));
    }

    /** One request sent to {@code target}, with the step it served: {@code capture}, {@code action}, {@code verify} or {@code undo}. */
    private record Call(String step, String target, Exchange exchange) {}

    private record Checked(Call call, Verification verdict, String detail) {}

    private Call send(Target target, String step, OutboundRequest request) {
        Exchange exchange = clients.get(target.id()).send(request, MAX_BODY_BYTES);
        log.info(
                "containment {} {} {}: {} in {} ms",
                step,
                request.method(),
                exchange.status().map(String::valueOf).orElse("-"),
                exchange.failure(),
                exchange.elapsed().toMillis());
        return new Call(step, target.name(), exchange);
    }

    private Checked check(Target target, Check check, Map<String, String> values) {
        Call call = send(target, "verify", check.request().render(target, values, Optional.empty(), mapper));
        Exchange exchange = call.exchange();
        if (exchange.status().isEmpty() || exchange.failure().retryable()) {
            return new Checked(call, Verification.NOT_CHECKED, exchange.describe(target.name()));
        }
        List<String> mismatches = check.mismatches(exchange.status().get(), parse(exchange), values);
        return mismatches.isEmpty()
                ? new Checked(call, Verification.CONFIRMED, "")
                : new Checked(call, Verification.NOT_CONFIRMED, String.join("; ", mismatches));
    }

    private Map<String, String> keep(Capture capture, Exchange exchange) {
        Map<String, String> kept = new LinkedHashMap<>();
        parse(exchange)
                .ifPresent(body -> capture.keep().forEach((name, pointer) -> {
                    JsonNode value = body.at(pointer);
                    if (value.isValueNode() && !value.isNull()) {
                        kept.put(name, value.asText());
                    }
                }));
        return kept;
    }

    private Optional<JsonNode> parse(Exchange exchange) {
        try {
            return Optional.ofNullable(mapper.readTree(exchange.bodyText())).filter(n -> !n.isMissingNode());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** After a failed call: run again when the policy allows, else settle as failed. */
    private void retryOrFail(
            ContainmentRun run, ContainmentAction action, List<Call> calls, Exchange last, String prefix) {
        Target target = action.target();
        String outcome = prefix + last.describe(target.name());
        Optional<Instant> next = target.retry().next(run.execution().attempts(), last, clock.instant());
        if (next.isEmpty()) {
            settle(
                    run,
                    action.title(),
                    calls,
                    RunState.FAILED,
                    attemptsSuffix(outcome, run.execution().attempts()),
                    Optional.empty());
            return;
        }
        storage.inTransaction(tx -> {
            calls.forEach(c ->
                    recordCall(tx, run, c, run.execution().attempts(), c.exchange() == last ? next : Optional.empty()));
            tx.attach(ContainmentRunDao.class)
                    .scheduleRetry(
                            run.id(),
                            next.get(),
                            retrying(outcome, run.execution().attempts(), target, next.get()));
            return null;
        });
        wakeJobs.run();
        throw new RetryLater(next.get(), run.id() + ": " + outcome);
    }

    /** Records the calls and the outcome, tells the thread, and moves the incident to CONTAINED on the first success. */
    private void settle(
            ContainmentRun run,
            String title,
            List<Call> calls,
            RunState end,
            String outcome,
            Optional<Verification> verification) {
        storage.inTransaction(tx -> {
            calls.forEach(c -> recordCall(tx, run, c, run.execution().attempts(), Optional.empty()));
            ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
            if (!runs.finish(run.id(), end, clock.instant(), outcome, verification)) {
                return null;
            }
            if (end == RunState.SUCCEEDED) {
                metrics.containmentSucceeded(run.action());
            } else {
                metrics.containmentFailed(run.action());
            }
            ContainmentRun settled = runs.find(run.id()).orElseThrow();
            ObjectNode details = events.details(settled)
                    .put("outcome", outcome)
                    .put("attempts", settled.execution().attempts());
            verification.ifPresent(v -> details.put("verification", v.name()));
            if (end == RunState.SUCCEEDED) {
                events.append(
                        tx,
                        settled,
                        IncidentService.FIREBREAK,
                        EventKinds.CONTAINMENT_SUCCEEDED,
                        details,
                        title + " is in effect: " + outcome,
                        Optional.of(Notice.SUCCEEDED));
                events.markContained(tx, incidents, settled, title);
            } else {
                events.append(
                        tx,
                        settled,
                        IncidentService.FIREBREAK,
                        EventKinds.CONTAINMENT_FAILED,
                        details,
                        title + " failed: " + outcome,
                        Optional.of(Notice.FAILED));
            }
            return null;
        });
        log.info("containment {} ({}) {}: {}", run.id(), run.action(), end, outcome);
        wakeJobs.run();
    }

    private void settleUndo(ContainmentRun run, String title, Optional<Call> call, UndoState end, String outcome) {
        storage.inTransaction(tx -> {
            call.ifPresent(c -> recordCall(
                    tx, run, c, run.undo().map(ContainmentRun.Undo::attempts).orElse(1), Optional.empty()));
            ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
            if (!runs.finishUndo(run.id(), end, clock.instant(), outcome)) {
                return null;
            }
            ContainmentRun settled = runs.find(run.id()).orElseThrow();
            ObjectNode details = events.details(settled).put("outcome", outcome);
            if (end == UndoState.SUCCEEDED) {
                events.append(
                        tx,
                        settled,
                        IncidentService.FIREBREAK,
                        EventKinds.CONTAINMENT_UNDONE,
                        details,
                        title + " is lifted: " + outcome,
                        Optional.of(Notice.UNDONE));
            } else {
                events.append(
                        tx,
                        settled,
                        IncidentService.FIREBREAK,
                        EventKinds.CONTAINMENT_UNDO_FAILED,
                        details,
                        "undo of " + title + " failed: " + outcome,
                        Optional.of(Notice.UNDO_FAILED));
            }
            return null;
        });
        log.info("containment {} ({}) undo {}: {}", run.id(), run.action(), end, outcome);
        wakeJobs.run();
    }

    /**
     * A run found {@code RUNNING} when its job starts was in a call when Firebreak stopped (a crash, a kill): that
     * attempt was counted but its answer never recorded. It goes on the timeline as what it is, a call that may have
     * reached the target, so the record shows every attempt and not one call against two attempts; then the run is
     * reconciled ({@link #reconcile}).
     */
    private void recordInterrupted(Storage.Tx tx, ContainmentRun run) {
        String target = catalog.find(run.action()).map(a -> a.target().name()).orElse("the target");
        ObjectNode details = events.details(run)
                .put("step", "action")
                .put("attempt", run.execution().attempts())
                .put("interrupted", true)
                .put("idempotency_key", run.id());
        events.append(
                tx,
                run,
                IncidentService.FIREBREAK,
                EventKinds.CONTAINMENT_CALL,
                details,
                "action call attempt " + run.execution().attempts()
                        + " (no answer recorded): Firebreak stopped during the call, " + "which may have reached "
                        + target + "; reconciling",
                Optional.empty());
    }

    /** Every request and answer goes on the timeline: status, headers and bodies without secrets, and timings. */
    private void recordCall(Storage.Tx tx, ContainmentRun run, Call call, int attempt, Optional<Instant> retryAt) {
        ObjectNode details = events.details(run).put("step", call.step()).put("attempt", attempt);
        details.set("exchange", call.exchange().toJson(mapper, TIMELINE_BODY_LIMIT));
        retryAt.ifPresent(at -> details.put("next_attempt_at", at.toString()));
        Exchange e = call.exchange();
        events.append(
                tx,
                run,
                IncidentService.FIREBREAK,
                EventKinds.CONTAINMENT_CALL,
                details,
                call.step() + " call " + e.request().method() + " "
                        + e.status().map(String::valueOf).orElse("(no answer)") + ": " + e.describe(call.target())
                        + " in " + e.elapsed().toMillis() + " ms",
                Optional.empty());
    }

    private static String retrying(String outcome, int attempts, Target target, Instant next) {
        return outcome + "; trying again at " + next + " (attempt " + (attempts + 1) + " of "
                + target.retry().maxAttempts() + ")";
    }

    private static String attemptsSuffix(String outcome, int attempts) {
        return attempts > 1 ? outcome + ", after " + attempts + " attempts" : outcome;
    }
}
