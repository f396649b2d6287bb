package io.firebreak.bot.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.containment.ContainmentAction;
import io.firebreak.bot.containment.ContainmentService;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.SeverityHistory;
import io.firebreak.bot.platform.jobs.JobIds;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Severity;
import io.firebreak.storage.signals.RulesDao;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rules: matches a new signal or a user report against every rule, in the transaction that stored it, and
 * does what a matching rule says, each outcome at most once per rule, incident and target ({@code rule_outcome}).
 * Paused (a database flag every replica reads), rules do nothing but say so on the timeline.
 */
public final class RulesEngine {
    private static final Logger log = LoggerFactory.getLogger(RulesEngine.class);
    /** Posts an incident a rule matched to the rule's channel; instance {@code <incident id>:<rule id>:<channel>}. */
    public static final String POST_JOB = "rule-post";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    private final Storage storage;
    private final RuleSet rules;
    private final IncidentService incidents;
    private final ContainmentService containment;
    private final Pager pager;
    private final ObjectMapper mapper;
    private final Clock clock;

    public RulesEngine(
            Storage storage,
            RuleSet rules,
            IncidentService incidents,
            ContainmentService containment,
            Pager pager,
            ObjectMapper mapper) {
        this.storage = storage;
        this.rules = rules;
        this.incidents = incidents;
        this.containment = containment;
        this.pager = pager;
        this.mapper = mapper;
        this.clock = storage.clock();
    }

    public RuleSet rules() {
        return rules;
    }

    /**
     * Matches {@code facts} (about {@code incident}) against every rule and acts on those that match, in the caller's
     * transaction. Call {@link IncidentService#wakeJobs()} after it commits.
     */
    public void evaluate(Storage.Tx tx, IncidentKey incident, Facts facts) {
        if (rules.rules().isEmpty()) {
            return;
        }
        List<Rule> matching =
                rules.rules().stream().filter(r -> matches(tx, r, facts)).toList();
        if (matching.isEmpty()) {
            return;
        }
        boolean paused = tx.attach(RulesDao.class).paused().orElse(false);
        for (Rule rule : matching) {
            if (paused) {
                skipPaused(tx, incident, rule);
            } else {
                act(tx, incident, rule, facts);
            }
        }
    }

    boolean matches(Storage.Tx tx, Rule rule, Facts facts) {
        Rule.When when = rule.when();
        if (when.source().isPresent() && !when.source().get().equals(facts.source())) {
            return false;
        }
        if ((!when.labels().isEmpty() || !when.severities().isEmpty()) && facts.fromReport()) {
            return false;
        }
        if (!when.labels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(facts.labels().get(e.getKey())))) {
            return false;
        }
        if (!when.severities().isEmpty()
                && !facts.severity()
                        .map(s -> when.severities().stream().anyMatch(s::equalsIgnoreCase))
                        .orElse(false)) {
            return false;
        }
        if (when.workflow().isPresent()) {
            if (facts.workflow().isEmpty()) {
                return false;
            }
            if (!when.workflow().get().equals("*") && !when.workflow().equals(facts.workflow())) {
                return false;
            }
        }
        if (when.reports().isPresent()) {
            Rule.ReportCount count = when.reports().get();
            return facts.workflow().isPresent()
                    && tx.attach(RulesDao.class)
                                    .reportsAbout(
                                            facts.workflow().get(),
                                            clock.instant().minus(count.within()))
                            >= count.atLeast();
        }
        return true;
    }

    private void skipPaused(Storage.Tx tx, IncidentKey incident, Rule rule) {
        Instant now = clock.instant();
        if (tx.attach(RulesDao.class).claim(incident.id(), rule.id(), "paused", "", rules.actor(rule), true, now)) {
            incidents.record(
                    tx,
                    incident,
                    rules.actor(rule),
                    EventKinds.RULE_SKIPPED,
                    ruleDetails(rule)
                            .put("text", "rule " + rule.id() + " matched; rules are paused, nothing was done"));
        }
    }

    private void act(Storage.Tx tx, IncidentKey key, Rule rule, Facts facts) {
        RulesDao outcomes = tx.attach(RulesDao.class);
        String actor = rules.actor(rule);
        Instant now = clock.instant();
        List<String> done = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Rule.Then then = rule.then();
        if (then.severity().isPresent()
                && outcomes.claim(
                        key.id(), rule.id(), "severity", then.severity().get().name(), actor, rule.dryRun(), now)) {
            setSeverity(tx, key, rule, then.severity().get(), actor, done, skipped);
        }
        for (String service : then.page()) {
            if (outcomes.claim(key.id(), rule.id(), "page", service, actor, rule.dryRun(), now)) {
                if (!rule.dryRun()) {
                    pager.page(tx, key, service, "rule " + rule.id() + ": " + why(rule), actor);
                }
                done.add("page " + service);
            }
        }
        for (String channel : then.post()) {
            if (outcomes.claim(key.id(), rule.id(), "post", channel, actor, rule.dryRun(), now)) {
                if (!rule.dryRun()) {
                    tx.jobs().enqueue(POST_JOB, JobIds.join(key.id(), rule.id(), channel), now);
                }
                done.add("post to " + channel);
            }
        }
        for (Rule.Contain c : then.contain()) {
            contain(tx, key, rule, c, facts, actor, done, skipped);
        }
        if (done.isEmpty() && skipped.isEmpty()) {
            return;
        }
        ObjectNode details = ruleDetails(rule);
        ArrayNode list = details.putArray(rule.dryRun() ? "would_have" : "did");
        done.forEach(list::add);
        if (!skipped.isEmpty()) {
            ArrayNode not = details.putArray("not_done");
            skipped.forEach(not::add);
        }
        String text = rule.dryRun()
                ? "rule " + rule.id() + " (dry run) matched and would have: " + String.join("; ", done)
                        + "; nothing was done or sent"
                : "rule " + rule.id() + " matched: " + (done.isEmpty() ? "nothing new" : String.join("; ", done))
                        + (skipped.isEmpty() ? "" : "; not done: " + String.join("; ", skipped));
        details.put("text", text);
        incidents.record(tx, key, actor, rule.dryRun() ? EventKinds.RULE_DRY_RUN : EventKinds.RULE_MATCHED, details);
        log.info("{} on {}", text, key);
    }

    /** Sets the severity unless a person set one: a rule never overrides an assessment (it may raise its own). */
    private void setSeverity(
            Storage.Tx tx,
            IncidentKey key,
            Rule rule,
            Severity severity,
            String actor,
            List<String> done,
            List<String> skipped) {
        Incident incident = tx.incidents().lock(key.id()).orElseThrow();
        Optional<String> setBy = SeverityHistory.setBy(tx, key.id());
        boolean byPerson = incident.severity().isPresent()
                && setBy.filter(a -> !a.startsWith(IncidentService.RULE_ACTOR_PREFIX))
                        .isPresent();
        if (byPerson) {
            skipped.add("severity left at " + incident.severity().get().label() + ", set by a person");
            return;
        }
        if (incident.severity().filter(s -> s.compareTo(severity) >= 0).isPresent()) {
            return;
        }
        done.add("severity " + severity.label());
        if (rule.dryRun()) {
            return;
        }
        tx.incidents().setSeverity(key.id(), severity, "rule " + rule.id(), clock.instant());
        ObjectNode details = mapper.createObjectNode();
        details.put("from", incident.severity().map(Enum::name).orElse(null));
        details.put("to", severity.name());
        details.put("reason", "rule " + rule.id() + ": " + why(rule));
        incidents.record(tx, key, actor, EventKinds.SEVERITY_CHANGED, details);
    }

    private void contain(
            Storage.Tx tx,
            IncidentKey key,
            Rule rule,
            Rule.Contain c,
            Facts facts,
            String actor,
            List<String> done,
            List<String> skipped) {
        Map<String, String> values = new LinkedHashMap<>();
        facts.workflow().ifPresent(w -> values.put("workflow", w));
        facts.runId().ifPresent(r -> values.put("run_id", r));
        values.put("incident", key.toString());
        Map<String, String> parameters = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        c.parameters().forEach((name, template) -> {
            Matcher m = PLACEHOLDER.matcher(template);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    missing.add(m.group(1));
                    value = "";
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            parameters.put(name, out.toString());
        });
        String target = c.action() + "?"
                + parameters.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("&"));
        String described = c.action() + " "
                + parameters.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" "));
        if (!missing.isEmpty()) {
            skipped.add(c.action() + ": the " + String.join(", ", missing) + " it needs is not known");
            return;
        }
        if (!tx.attach(RulesDao.class)
                .claim(key.id(), rule.id(), "contain", target, actor, rule.dryRun(), clock.instant())) {
            return;
        }
        if (rule.dryRun()) {
            done.add("fire " + described.strip());
            return;
        }
        Incident incident = tx.incidents().find(key.id()).orElseThrow();
        ContainmentAction action = containment.catalog().find(c.action()).orElseThrow();
        Optional<Severity> granting = containment.preApproving(incident, actor, c.action(), parameters);
        if (!action.preapprovedAt(granting)) {
            skipped.add(described.strip() + " (" + action.approvalRule() + "; " + key + " is "
                    + incident.severity().map(Severity::label).orElse("not assessed")
                    + (granting.isEmpty() && incident.severity().isPresent() ? ", set by someone else" : "") + ")");
            return;
        }
        ContainmentService.FireResult result = containment.fire(new ContainmentService.FireRequest(
                key,
                c.action(),
                parameters,
                "rule " + rule.id() + ": " + why(rule),
                actor,
                Optional.of(actor + ":" + key.id() + ":" + target)));
        String what = described.strip();
        if (result instanceof ContainmentService.FireResult.Fired fired) {
            done.add("fired " + what + " (" + fired.run().id() + ")");
        } else if (result instanceof ContainmentService.FireResult.Linked linked) {
            done.add(what + " is already in effect for " + linked.run().incident());
        } else if (result instanceof ContainmentService.FireResult.AlreadyLive) {
            done.add(what + " is already live");
        } else if (result instanceof ContainmentService.FireResult.AwaitingApproval) {
            done.add("asked for approval of " + what);
        } else if (result instanceof ContainmentService.FireResult.Refused refused) {
            skipped.add(what + ": " + refused.message());
        }
    }

    private ObjectNode ruleDetails(Rule rule) {
        return mapper.createObjectNode()
                .put("rule", rule.id())
                .put("ref", rules.actor(rule))
                .put("mode", rule.dryRun() ? "dry-run" : "live");
    }

    /** The rule's description, or its id. */
    static String why(Rule rule) {
        return rule.description().isBlank() ? rule.id() : rule.description();
    }

    /** Whether rules are paused, read from the database every replica shares. */
    public boolean paused() {
        return storage.inTransaction(tx -> tx.attach(RulesDao.class).paused().orElse(false));
    }

    /** Pauses or resumes every rule, for every replica; false when it already was so. */
    public boolean setPaused(boolean paused, String actor) {
        boolean changed =
                storage.inTransaction(tx -> tx.attach(RulesDao.class).setPaused(paused, actor, clock.instant()));
        if (changed) {
            log.info("rules {} by {}", paused ? "paused" : "resumed", actor);
        }
        return changed;
    }
}
