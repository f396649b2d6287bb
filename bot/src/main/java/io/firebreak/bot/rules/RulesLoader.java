package io.firebreak.bot.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.containment.ActionCatalog;
import io.firebreak.bot.containment.ContainmentAction;
import io.firebreak.bot.platform.config.ManifestException;
import io.firebreak.bot.platform.config.ManifestReader;
import io.firebreak.bot.platform.config.SignalSettings;
import io.firebreak.storage.incident.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the rules file ({@code FIREBREAK_RULES}, else {@code manifests/rules.yml} when it exists) and validates all of
 * it against the signal sources and the containment catalog, as the catalog itself is validated: every problem named
 * with the file, the rule and the field, unknown fields refused, and an invalid file stops the bot.
 */
public final class RulesLoader {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    private static final Pattern CHANNEL = Pattern.compile("[CG][A-Z0-9]{2,}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    /** What a containment parameter's value may use. */
    static final Set<String> PLACEHOLDERS = Set.of("workflow", "run_id", "incident");

    private final ManifestReader reader;
    private final ActionCatalog catalog;
    private final Set<String> sources;

    private RulesLoader(String source, ActionCatalog catalog, Set<String> sources) {
        this.reader = new ManifestReader("rules", source);
        this.catalog = catalog;
        this.sources = sources;
    }

    /**
     * The rules, or {@link RuleSet#NONE} when no file is configured and the default one does not exist.
     *
     * @param sources the configured signal sources' names
     */
    public static RuleSet load(SignalSettings settings, ActionCatalog catalog, Set<String> sources) {
        Path file = settings.rulesFile().orElse(SignalSettings.DEFAULT_RULES_FILE);
        if (!Files.isRegularFile(file)) {
            if (settings.rulesFile().isPresent()) {
                throw new ManifestException("rules", List.of(file + ": no such file (FIREBREAK_RULES names it)"));
            }
            return RuleSet.NONE;
        }
        try {
            return parse(Files.readAllBytes(file), file.toString(), catalog, sources);
        } catch (IOException e) {
            throw new ManifestException(
                    "rules", List.of(file + ": cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** Parses and validates the file's bytes; {@code source} names it in problems. */
    public static RuleSet parse(byte[] bytes, String source, ActionCatalog catalog, Set<String> sources) {
        return new RulesLoader(source, catalog, sources).parse(bytes);
    }

    private RuleSet parse(byte[] bytes) {
        List<Rule> rules = new ArrayList<>();
        reader.parse(new String(bytes, StandardCharsets.UTF_8)).ifPresent(root -> {
            ManifestReader.Fields top = reader.fields(root, "", "", Set.of("rules"));
            top.required("rules").ifPresent(nodes -> {
                if (!nodes.isArray()) {
                    reader.problem("", "rules", "must be a list of rules");
                    return;
                }
                Set<String> ids = new HashSet<>();
                int index = 0;
                for (JsonNode node : nodes) {
                    index++;
                    String where = node.path("id").isTextual()
                            ? "rule \"" + node.path("id").asText() + "\""
                            : "rule " + index;
                    if (node.path("id").isTextual() && !ids.add(node.path("id").asText())) {
                        reader.problem(where, "id", "is used by an earlier rule too; ids must be unique");
                    }
                    rule(node, where).ifPresent(rules::add);
                }
            });
        });
        reader.finish();
        return new RuleSet(reader.source(), sha256(bytes).substring(0, 12), rules);
    }

    private Optional<Rule> rule(JsonNode node, String where) {
        ManifestReader.Fields f =
                reader.fields(node, where, "", Set.of("id", "description", "mode", "auto_contain", "when", "then"));
        if (!f.isMapping()) {
            return Optional.empty();
        }
        int before = reader.problemCount();
        Optional<String> id = f.text("id", true);
        id.filter(i -> !ID.matcher(i).matches())
                .ifPresent(i -> reader.problem(
                        where, "id", "must be 1 to 64 lower-case letters, digits or dashes, starting with a letter"));
        String mode = f.text("mode", false).orElse("live");
        if (!mode.equals("live") && !mode.equals("dry-run")) {
            reader.problem(where, "mode", "must be live or dry-run");
        }
        boolean dryRun = mode.equals("dry-run");
        boolean autoContain = f.bool("auto_contain").orElse(false);
        Optional<Rule.When> when = f.required("when").flatMap(w -> when(w, where));
        Optional<Rule.Then> then = f.required("then").flatMap(t -> then(t, where));
        then.ifPresent(t -> checkContainment(t, where, dryRun, autoContain));
        if (when.isEmpty() || then.isEmpty() || id.isEmpty() || reader.problemCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new Rule(
                id.get(), f.text("description", false).orElse(""), dryRun, autoContain, when.get(), then.get()));
    }

    private Optional<Rule.When> when(JsonNode node, String where) {
        ManifestReader.Fields f =
                reader.fields(node, where, "when", Set.of("source", "labels", "severity", "workflow", "reports"));
        if (!f.isMapping()) {
            return Optional.empty();
        }
        if (!node.fields().hasNext()) {
            reader.problem(where, "when", "must say at least one of source, labels, severity, workflow, reports");
            return Optional.empty();
        }
        Optional<String> source = f.text("source", false);
        source.filter(s -> !s.equals(Facts.REPORTS) && !sources.contains(s))
                .ifPresent(s -> reader.problem(
                        where,
                        "when.source",
                        "\"" + s + "\" is not a configured signal source (known: "
                                + String.join(", ", new TreeSet<>(withReports())) + ")"));
        Map<String, String> labels = f.stringMap("labels").orElse(Map.of());
        List<String> severities = f.texts("severity").orElse(List.of());
        if (source.filter(Facts.REPORTS::equals).isPresent() && (!labels.isEmpty() || !severities.isEmpty())) {
            reader.problem(
                    where, "when", "user reports have no labels or severity; match them by workflow and reports");
        }
        Optional<Rule.ReportCount> reports = f.optional("reports").flatMap(r -> {
            ManifestReader.Fields rf = reader.fields(r, where, "when.reports", Set.of("at_least", "within"));
            Optional<Integer> atLeast = rf.wholeNumber("at_least", 1, 100_000);
            if (rf.isMapping() && rf.optional("at_least").isEmpty()) {
                reader.problem(where, "when.reports.at_least", "is required");
            }
            Optional<java.time.Duration> within = rf.duration("within", true);
            return atLeast.flatMap(n -> within.map(w -> new Rule.ReportCount(n, w)));
        });
        Optional<String> workflow = f.text("workflow", false);
        if (f.optional("reports").isPresent() && workflow.isEmpty()) {
            reader.problem(
                    where,
                    "when.workflow",
                    "is required with reports: reports are counted per workflow (\"*\" for any)");
        }
        return Optional.of(new Rule.When(source, labels, severities, workflow, reports));
    }

    private Set<String> withReports() {
        Set<String> all = new HashSet<>(sources);
        all.add(Facts.REPORTS);
        return all;
    }

    private Optional<Rule.Then> then(JsonNode node, String where) {
        ManifestReader.Fields f = reader.fields(node, where, "then", Set.of("severity", "page", "post", "contain"));
        if (!f.isMapping()) {
            return Optional.empty();
        }
        if (!node.fields().hasNext()) {
            reader.problem(where, "then", "must say at least one of severity, page, post, contain");
            return Optional.empty();
        }
        Optional<Severity> severity = f.text("severity", false).flatMap(s -> {
            Optional<Severity> parsed = Severity.parse(s);
            if (parsed.isEmpty()) {
                reader.problem(where, "then.severity", "must be low, medium, high or critical");
            }
            return parsed;
        });
        List<String> page = f.texts("page").orElse(List.of());
        page.stream()
                .filter(s -> !SERVICE.matcher(s).matches())
                .forEach(s -> reader.problem(
                        where, "then.page", "\"" + s + "\" is not a service name (letters, digits, . _ : -)"));
        List<String> post = f.texts("post").orElse(List.of());
        post.stream()
                .filter(c -> !CHANNEL.matcher(c).matches())
                .forEach(c -> reader.problem(
                        where, "then.post", "\"" + c + "\" must be a Slack channel ID such as C0123456789"));
        List<Rule.Contain> contain = new ArrayList<>();
        f.optional("contain").ifPresent(c -> {
            List<JsonNode> items = new ArrayList<>();
            if (c.isArray()) {
                c.forEach(items::add);
            } else {
                items.add(c);
            }
            for (int i = 0; i < items.size(); i++) {
                String path = c.isArray() ? "then.contain[" + i + "]" : "then.contain";
                ManifestReader.Fields cf = reader.fields(items.get(i), where, path, Set.of("action", "parameters"));
                Optional<String> action = cf.text("action", true);
                Map<String, String> parameters = cf.stringMap("parameters").orElse(Map.of());
                action.ifPresent(a -> contain.add(new Rule.Contain(a, parameters)));
            }
        });
        return Optional.of(new Rule.Then(severity, page, post, contain));
    }

    private void checkContainment(Rule.Then then, String where, boolean dryRun, boolean autoContain) {
        if (autoContain && then.contain().isEmpty()) {
            reader.problem(where, "auto_contain", "is true but then has no contain");
        }
        for (int i = 0; i < then.contain().size(); i++) {
            Rule.Contain c = then.contain().get(i);
            String path = then.contain().size() == 1 ? "then.contain" : "then.contain[" + i + "]";
            Optional<ContainmentAction> found = catalog.find(c.action());
            if (found.isEmpty()) {
                reader.problem(
                        where,
                        path + ".action",
                        "\"" + c.action() + "\" is not in the containment catalog (" + catalog.source() + "; actions: "
                                + catalog.ids() + ")");
                continue;
            }
            ContainmentAction action = found.get();
            Map<String, String> sample = new LinkedHashMap<>();
            c.parameters().forEach((name, value) -> {
                Matcher m = PLACEHOLDER.matcher(value);
                while (m.find()) {
                    if (!PLACEHOLDERS.contains(m.group(1))) {
                        reader.problem(
                                where,
                                path + ".parameters." + name,
                                "{" + m.group(1)
                                        + "} is not a placeholder here (use {workflow}, {run_id} or {incident})");
                    }
                }
                sample.put(name, m.replaceAll("refunds"));
            });
            action.problems(sample).forEach((name, problem) -> {
                if (!c.parameters().containsKey(name)
                        || !PLACEHOLDER.matcher(c.parameters().get(name)).find()) {
                    reader.problem(where, path + ".parameters." + name, problem);
                }
            });
            if (dryRun) {
                continue;
            }
            if (!autoContain) {
                reader.problem(
                        where, path, "fires only in a rule with auto_contain: true (or mode: dry-run to try it)");
            } else if (then.severity().isEmpty()) {
                reader.problem(
                        where,
                        "then.severity",
                        "is required to auto-contain: actions fire only when pre-approved at the rule's severity");
            } else if (!action.preapprovedAt(then.severity())) {
                reader.problem(
                        where,
                        path + ".action",
                        c.action() + " is " + action.approvalRule()
                                + " and this rule's severity is "
                                + then.severity().get().label()
                                + ": a rule may only fire actions pre-approved at its severity");
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
