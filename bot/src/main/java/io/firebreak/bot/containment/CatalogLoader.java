package io.firebreak.bot.containment;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.firebreak.bot.platform.config.ContainmentSettings;
import io.firebreak.bot.platform.outbound.RetryPolicy;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.storage.incident.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the action catalog (YAML) and validates all of it, collecting every problem, each naming the file,
 * the target or action, and the field. Environment variables ({@code ${NAME}} or {@code ${NAME:-default}}) may
 * be used in targets only; their values in credentials and headers are treated as secrets.
 */
public final class CatalogLoader {
    /** The shipped catalog inside the jar, used when no file is configured and the default path has none. */
    static final String BUNDLED = "/firebreak/containment-actions.yml";
    /** Placeholder names every request may use besides the action's parameters. */
    static final Set<String> BUILT_INS = Set.of("incident", "reason", "requester", "action_run");
    /** Built-ins short and shaped enough to go into a URL path. */
    private static final Set<String> PATH_BUILT_INS = Set.of("incident", "requester", "action_run");

    private static final int MAX_ACTIONS = 100;
    /** A title is a menu option's text in the Contain modal. */
    private static final int MAX_TITLE = BlockKit.OPTION_TEXT;
    /** An example is shown as the parameter's placeholder, after "e.g. ". */
    public static final String EXAMPLE_PREFIX = "e.g. ";

    private static final int MAX_EXAMPLE = BlockKit.PLACEHOLDER - EXAMPLE_PREFIX.length();
    private static final int MAX_DESCRIPTION = 300;
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,63}");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String source;
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private CatalogLoader(String source, Map<String, String> env) {
        this.source = source;
        this.env = env;
    }

    /**
     * Reads the catalog {@code settings} name: {@code FIREBREAK_ACTIONS}, else
     * {@code manifests/containment-actions.yml}, else the copy inside the jar.
     *
     * @throws CatalogException listing every problem
     */
    public static ActionCatalog load(ContainmentSettings settings) {
        Optional<Path> explicit = settings.actionsFile();
        Path file = explicit.orElse(ContainmentSettings.DEFAULT_ACTIONS_FILE);
        try {
            if (Files.isRegularFile(file)) {
                return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), settings.environment());
            }
            if (explicit.isPresent()) {
                throw new CatalogException(List.of(file + ": no such file (FIREBREAK_ACTIONS names it)"));
            }
            try (InputStream in = CatalogLoader.class.getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new CatalogException(List.of(
                            file + ": no such file, and no catalog is built into this jar; set FIREBREAK_ACTIONS"));
                }
                return parse(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        "containment-actions.yml (built in)",
                        settings.environment());
            }
        } catch (IOException e) {
            throw new CatalogException(
                    List.of(file + ": cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** Parses and validates catalog {@code text}; {@code source} names it in problems. */
    public static ActionCatalog parse(String text, String source, Map<String, String> env) {
        return new CatalogLoader(source, env).parse(text);
    }

    private ActionCatalog parse(String text) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new CatalogException(List.of(source + ": not valid YAML"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new CatalogException(List.of(source + ": must be a mapping with `targets` and `actions`"));
        }
        Fields top = new Fields(root, "", Set.of("targets", "actions"));
        Map<String, Target> targets = new LinkedHashMap<>();
        Set<String> declaredTargets = new HashSet<>();
        JsonNode targetNodes = top.required("targets");
        if (targetNodes != null && !targetNodes.isObject()) {
            problem("", "targets", "must be a mapping of target id to target");
        } else if (targetNodes != null) {
            targetNodes.fields().forEachRemaining(e -> {
                declaredTargets.add(e.getKey());
                target(e.getKey(), e.getValue()).ifPresent(t -> targets.put(t.id(), t));
            });
        }
        List<ContainmentAction> actions = new ArrayList<>();
        JsonNode actionNodes = top.required("actions");
        if (actionNodes != null && !actionNodes.isArray()) {
            problem("", "actions", "must be a list of actions");
        } else if (actionNodes != null) {
            if (actionNodes.size() > MAX_ACTIONS) {
                problem(
                        "",
                        "actions",
                        "has " + actionNodes.size() + " actions; Slack's menus show at most " + MAX_ACTIONS);
            }
            Set<String> ids = new HashSet<>();
            int index = 0;
            for (JsonNode node : actionNodes) {
                index++;
                String where = node.path("id").isTextual()
                        ? "action \"" + node.path("id").asText() + "\""
                        : "action " + index;
                if (node.path("id").isTextual() && !ids.add(node.path("id").asText())) {
                    problem(where, "id", "is used by an earlier action too; ids must be unique");
                }
                action(node, where, targets, declaredTargets).ifPresent(actions::add);
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new ActionCatalog(source, List.copyOf(targets.values()), actions);
    }

    private Optional<Target> target(String id, JsonNode node) {
        String where = "target \"" + id + "\"";
        int before = problems.size();
        if (!ID.matcher(id).matches()) {
            problem(where, "id", "must be 2 to 64 lower-case letters, digits or dashes, starting with a letter");
        }
        if (!node.isObject()) {
            problem(
                    where,
                    "",
                    "must be a mapping with name, base_url and optionally auth, headers, timeouts and retry");
            return Optional.empty();
        }
        Fields f = new Fields(
                node, where, Set.of("name", "base_url", "auth", "headers", "connect_timeout", "timeout", "retry"));
        String name = f.text("name", true).orElse(id);
        List<String> missing = new ArrayList<>();
        Set<String> secrets = new LinkedHashSet<>();
        String baseUrl = f.text("base_url", true)
                .map(raw -> {
                    Resolved r = resolve(raw);
                    missing.addAll(r.missing());
                    String url = r.value().replaceAll("/+$", "");
                    if (r.missing().isEmpty() && !isHttpUrl(url)) {
                        problem(where, "base_url", "must give an http:// or https:// URL" + r.checkVariables());
                    }
                    return url;
                })
                .orElse("");
        Map<String, String> headers = new LinkedHashMap<>();
        f.optional("headers")
                .ifPresent(h -> stringMap(h, where, "headers").forEach((header, raw) -> {
                    if (!HEADER_NAME.matcher(header).matches()) {
                        problem(where, "headers." + header, "is not a valid header name");
                    }
                    Resolved r = resolve(raw);
                    missing.addAll(r.missing());
                    if (!r.variables().isEmpty()) {
                        secrets.addAll(r.values());
                        secrets.add(r.value());
                    }
                    headers.put(header, r.value());
                }));
        f.optional("auth")
                .ifPresent(auth -> auth(auth, where, missing, secrets).ifPresent(v -> headers.put("Authorization", v)));
        Duration connectTimeout = f.text("connect_timeout", false)
                .map(raw -> duration(raw, where, "connect_timeout"))
                .orElse(DEFAULT_CONNECT_TIMEOUT);
        Duration timeout = f.text("timeout", false)
                .map(raw -> duration(raw, where, "timeout"))
                .orElse(DEFAULT_TIMEOUT);
        RetryPolicy retry = f.optional("retry").map(r -> retry(r, where)).orElse(RetryPolicy.standard());
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Target(
                id,
                name,
                baseUrl,
                headers,
                secrets,
                missing.stream().distinct().toList(),
                connectTimeout,
                timeout,
                retry));
    }

    private Optional<String> auth(JsonNode auth, String where, List<String> missing, Set<String> secrets) {
        Fields f = new Fields(auth, where, "auth", Set.of("bearer", "basic"));
        Optional<String> bearer = f.text("bearer", false);
        Optional<JsonNode> basic = f.optional("basic");
        if (bearer.isPresent() == basic.isPresent()) {
            problem(where, "auth", "must have exactly one of bearer or basic");
            return Optional.empty();
        }
        if (bearer.isPresent()) {
            Resolved token = resolve(bearer.get());
            missing.addAll(token.missing());
            String header = "Bearer " + token.value();
            secrets.addAll(List.of(token.value(), header));
            return Optional.of(header);
        }
        Fields b = new Fields(basic.get(), where, "auth.basic", Set.of("username", "password"));
        Resolved user = resolve(b.text("username", true).orElse(""));
        Resolved password = resolve(b.text("password", true).orElse(""));
        missing.addAll(user.missing());
        missing.addAll(password.missing());
        String encoded = Base64.getEncoder()
                .encodeToString((user.value() + ":" + password.value()).getBytes(StandardCharsets.UTF_8));
        secrets.addAll(List.of(user.value(), password.value(), encoded, "Basic " + encoded));
        return Optional.of("Basic " + encoded);
    }

    private RetryPolicy retry(JsonNode node, String where) {
        RetryPolicy standard = RetryPolicy.standard();
        Fields f = new Fields(node, where, "retry", Set.of("attempts", "backoff", "max_backoff", "max_retry_after"));
        int attempts = f.text("attempts", false)
                .map(raw -> {
                    Resolved r = resolve(raw);
                    try {
                        int n = Integer.parseInt(r.value().trim());
                        if (n >= 1 && n <= 20) {
                            return n;
                        }
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                    problem(where, "retry.attempts", "must be a whole number from 1 to 20" + r.checkVariables());
                    return standard.maxAttempts();
                })
                .orElse(standard.maxAttempts());
        Duration backoff = f.text("backoff", false)
                .map(raw -> duration(raw, where, "retry.backoff"))
                .orElse(standard.baseDelay());
        Duration maxBackoff = f.text("max_backoff", false)
                .map(raw -> duration(raw, where, "retry.max_backoff"))
                .orElse(standard.maxDelay());
        Duration maxRetryAfter = f.text("max_retry_after", false)
                .map(raw -> duration(raw, where, "retry.max_retry_after"))
                .orElse(standard.maxRetryAfter());
        if (maxBackoff.compareTo(backoff) < 0) {
            problem(where, "retry.max_backoff", "must not be shorter than retry.backoff");
        }
        return new RetryPolicy(attempts, backoff, maxBackoff, maxRetryAfter);
    }

    private Optional<ContainmentAction> action(
            JsonNode node, String where, Map<String, Target> targets, Set<String> declaredTargets) {
        if (!node.isObject()) {
            problem(where, "", "must be a mapping with id, title, description, target, parameters, request and undo");
            return Optional.empty();
        }
        int before = problems.size();
        Fields f = new Fields(
                node,
                where,
                Set.of(
                        "id",
                        "title",
                        "description",
                        "target",
                        "preapproved_from",
                        "parameters",
                        "capture",
                        "request",
                        "undo",
                        "verify"));
        String id = f.text("id", true).orElse("");
        if (!id.isEmpty() && !ID.matcher(id).matches()) {
            problem(where, "id", "must be 2 to 64 lower-case letters, digits or dashes, starting with a letter");
        }
        String title = f.text("title", true).orElse("");
        if (title.length() > MAX_TITLE) {
            problem(where, "title", "is " + title.length() + " characters; Slack's menus show at most " + MAX_TITLE);
        }
        String description = f.text("description", true).orElse("");
        if (description.length() > MAX_DESCRIPTION) {
            problem(
                    where,
                    "description",
                    "is " + description.length() + " characters; keep it under " + MAX_DESCRIPTION);
        }
        Optional<Target> target = f.text("target", true).flatMap(t -> {
            Optional<Target> found = Optional.ofNullable(targets.get(t));
            if (found.isEmpty() && !declaredTargets.contains(t)) {
                problem(
                        where,
                        "target",
                        "there is no target \"" + t + "\" under targets"
                                + (targets.isEmpty()
                                        ? ""
                                        : " (the catalog has " + String.join(", ", targets.keySet()) + ")"));
            }
            return found;
        });
        Optional<Severity> preapproved = f.text("preapproved_from", false).flatMap(s -> {
            Optional<Severity> severity = Severity.parse(s);
            if (severity.isEmpty()) {
                problem(
                        where,
                        "preapproved_from",
                        "must be low, medium, high or critical (or left out to always need an approver)");
            }
            return severity;
        });
        Set<String> names = new LinkedHashSet<>(BUILT_INS);
        Set<String> pathNames = new LinkedHashSet<>(PATH_BUILT_INS);
        List<ActionParameter> parameters = f.optional("parameters")
                .map(p -> parameters(p, where, names, pathNames))
                .orElse(List.of());

        Optional<Capture> capture = f.optional("capture").flatMap(c -> capture(c, where, names, pathNames));
        Set<String> afterCapture = new LinkedHashSet<>(names);
        Set<String> pathAfterCapture = new LinkedHashSet<>(pathNames);
        capture.ifPresent(c -> {
            afterCapture.addAll(c.keep().keySet());
            pathAfterCapture.addAll(c.keep().keySet());
        });
        Optional<RequestTemplate> request = f.required("request") == null
                ? Optional.empty()
                : request(node.get("request"), where, "request", names, pathNames);
        Optional<RequestTemplate> undo = f.required("undo") == null
                ? Optional.empty()
                : request(node.get("undo"), where, "undo", afterCapture, pathAfterCapture);
        Optional<Check> check = f.optional("verify").flatMap(v -> check(v, where, afterCapture, pathAfterCapture));
        if (problems.size() > before || target.isEmpty() || request.isEmpty() || undo.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ContainmentAction(
                id,
                title,
                description,
                target.get(),
                parameters,
                preapproved,
                capture,
                request.get(),
                undo.get(),
                check));
    }

    /** The valid parameters; every declared name goes to {@code names} (and required ones to {@code pathNames}). */
    private List<ActionParameter> parameters(JsonNode node, String where, Set<String> names, Set<String> pathNames) {
        if (!node.isArray()) {
            problem(where, "parameters", "must be a list of parameters");
            return List.of();
        }
        List<ActionParameter> parameters = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String field = "parameters[" + i + "]";
            JsonNode p = node.get(i);
            if (!p.isObject()) {
                problem(where, field, "must be a mapping with name, description, required and pattern");
                continue;
            }
            Fields f = new Fields(p, where, field, Set.of("name", "description", "required", "pattern", "example"));
            String name = f.text("name", true).orElse("");
            if (!name.isEmpty() && !NAME.matcher(name).matches()) {
                problem(where, field + ".name", "must be lower-case letters, digits or _, starting with a letter");
            } else if (BUILT_INS.contains(name)) {
                problem(where, field + ".name", "`" + name + "` is a built-in placeholder; choose another name");
            } else if (!name.isEmpty() && !seen.add(name)) {
                problem(where, field + ".name", "`" + name + "` is declared twice");
            }
            String description = f.text("description", true).orElse("");
            boolean required = f.bool("required", true);
            if (!BUILT_INS.contains(name)) {
                names.add(name);
                if (required) {
                    pathNames.add(name);
                }
            }
            Optional<Pattern> pattern = f.text("pattern", true).flatMap(regex -> {
                try {
                    return Optional.of(Pattern.compile(regex));
                } catch (PatternSyntaxException e) {
                    problem(
                            where,
                            field + ".pattern",
                            "is not a valid regular expression (" + e.getDescription() + ")");
                    return Optional.empty();
                }
            });
            if (description.length() > BlockKit.INPUT_LABEL) {
                problem(
                        where,
                        field + ".description",
                        "is " + description.length() + " characters; Slack shows a field's hint up to "
                                + BlockKit.INPUT_LABEL);
            }
            Optional<String> example = f.text("example", false);
            if (example.isPresent() && example.get().length() > MAX_EXAMPLE) {
                problem(
                        where,
                        field + ".example",
                        "is " + example.get().length() + " characters; Slack shows a placeholder of at most "
                                + BlockKit.PLACEHOLDER + ", so an example may have " + MAX_EXAMPLE);
            }
            if (pattern.isPresent()
                    && example.isPresent()
                    && !pattern.get().matcher(example.get()).matches()) {
                problem(where, field + ".example", "does not match the pattern");
            }
            pattern.ifPresent(
                    regex -> parameters.add(new ActionParameter(name, description, required, regex, example)));
        }
        return parameters;
    }

    private Optional<Capture> capture(JsonNode node, String where, Set<String> names, Set<String> pathNames) {
        Fields f = new Fields(node, where, "capture", Set.of("request", "keep"));
        Optional<RequestTemplate> request = f.required("request") == null
                ? Optional.empty()
                : request(node.get("request"), where, "capture.request", names, pathNames);
        Map<String, String> keep =
                f.required("keep") == null ? Map.of() : stringMap(node.get("keep"), where, "capture.keep");
        keep.forEach((name, pointer) -> {
            if (!NAME.matcher(name).matches() || names.contains(name)) {
                problem(
                        where,
                        "capture.keep." + name,
                        "must be a new name (lower-case letters, digits or _), not a parameter or built-in");
            }
            if (!pointer.startsWith("/")) {
                problem(where, "capture.keep." + name, "must be a JSON Pointer into the answer, such as /live_version");
            }
        });
        if (keep.isEmpty() && node.has("keep")) {
            problem(where, "capture.keep", "must name at least one value to keep");
        }
        return request.map(r -> new Capture(r, keep));
    }

    private Optional<Check> check(JsonNode node, String where, Set<String> names, Set<String> pathNames) {
        Fields f = new Fields(node, where, "verify", Set.of("request", "expect"));
        Optional<RequestTemplate> request = f.required("request") == null
                ? Optional.empty()
                : request(node.get("request"), where, "verify.request", names, pathNames);
        JsonNode expectNode = f.required("expect");
        if (expectNode == null) {
            return Optional.empty();
        }
        Fields expect = new Fields(expectNode, where, "verify.expect", Set.of("status", "json"));
        Optional<Integer> status = expect.text("status", false).flatMap(s -> {
            try {
                int code = Integer.parseInt(s);
                if (code >= 100 && code <= 599) {
                    return Optional.of(code);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(where, "verify.expect.status", "must be an HTTP status code such as 200");
            return Optional.empty();
        });
        Map<String, String> json = expect.optional("json")
                .map(j -> stringMap(j, where, "verify.expect.json"))
                .orElse(Map.of());
        json.forEach((pointer, expected) -> {
            if (!pointer.startsWith("/")) {
                problem(where, "verify.expect.json." + pointer, "keys must be JSON Pointers such as /live_version");
            }
            unknownPlaceholders(Placeholders.names(expected), names, where, "verify.expect.json." + pointer);
        });
        if (status.isEmpty() && json.isEmpty()) {
            problem(where, "verify.expect", "must give a status, json values, or both");
        }
        return request.map(r -> new Check(r, status, json));
    }

    private Optional<RequestTemplate> request(
            JsonNode node, String where, String field, Set<String> names, Set<String> pathNames) {
        if (!node.isObject()) {
            problem(where, field, "must be a mapping with method, path and optionally headers and body");
            return Optional.empty();
        }
        int before = problems.size();
        Fields f = new Fields(node, where, field, Set.of("method", "path", "headers", "body"));
        String method = f.text("method", true)
                .map(m -> m.toUpperCase(java.util.Locale.ROOT))
                .orElse("");
        if (!method.isEmpty() && !METHODS.contains(method)) {
            problem(where, field + ".method", "must be one of GET, POST, PUT, PATCH or DELETE");
        }
        String path = f.text("path", true).orElse("/");
        if (!path.startsWith("/")) {
            problem(where, field + ".path", "must start with / (it is appended to the target's base_url)");
        }
        noEnvironment(path, where, field + ".path");
        unknownPlaceholders(Placeholders.names(path), names, where, field + ".path");
        Placeholders.names(path).stream()
                .filter(n -> names.contains(n) && !pathNames.contains(n))
                .forEach(n -> problem(
                        where,
                        field + ".path",
                        "{" + n + "} may be empty or free text; a path may use only required parameters, "
                                + "kept values, {incident}, {requester} and {action_run}"));
        Map<String, String> headers = f.optional("headers")
                .map(h -> stringMap(h, where, field + ".headers"))
                .orElse(Map.of());
        headers.forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                problem(where, field + ".headers." + name, "is not a valid header name");
            }
            noEnvironment(value, where, field + ".headers." + name);
            unknownPlaceholders(Placeholders.names(value), names, where, field + ".headers." + name);
        });
        Optional<JsonNode> body = f.optional("body");
        body.ifPresent(b -> {
            if (!b.isObject() && !b.isArray()) {
                problem(where, field + ".body", "must be a JSON object or array (written as YAML)");
            }
            if (method.equals("GET")) {
                problem(where, field + ".body", "a GET request cannot have a body");
            }
            checkBody(b, where, field + ".body", names);
        });
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new RequestTemplate(method, path, headers, body));
    }

    private void checkBody(JsonNode node, String where, String field, Set<String> names) {
        if (node.isTextual()) {
            noEnvironment(node.asText(), where, field);
            unknownPlaceholders(Placeholders.names(node.asText()), names, where, field);
        } else if (node.isObject()) {
            if (node.size() == 1 && node.fields().next().getValue().isNull()) {
                problem(
                        where,
                        field,
                        "looks like an unquoted placeholder; write \"{"
                                + node.fieldNames().next() + "}\" in quotes");
                return;
            }
            node.fields().forEachRemaining(e -> checkBody(e.getValue(), where, field + "." + e.getKey(), names));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkBody(node.get(i), where, field + "[" + i + "]", names);
            }
        }
    }

    private void unknownPlaceholders(Set<String> used, Set<String> known, String where, String field) {
        used.stream()
                .filter(n -> !known.contains(n))
                .forEach(
                        n -> problem(
                                where,
                                field,
                                "{" + n
                                        + "} is not a parameter, a kept value or a built-in ({incident}, {reason}, {requester}, {action_run})"));
    }

    private void noEnvironment(String text, String where, String field) {
        if (ENV.matcher(text).find()) {
            problem(where, field, "environment variables belong in targets (base_url, auth, headers), not in actions");
        }
    }

    private Duration duration(String raw, String where, String field) {
        Resolved r = resolve(raw);
        if (!r.missing().isEmpty()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            Duration d = Duration.parse(r.value().trim());
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problem(where, field, "must be a positive ISO-8601 duration such as PT10S" + r.checkVariables());
        return DEFAULT_TIMEOUT;
    }

    private Map<String, String> stringMap(JsonNode node, String where, String field) {
        Map<String, String> map = new LinkedHashMap<>();
        if (!node.isObject()) {
            problem(where, field, "must be a mapping of names to values");
            return map;
        }
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                map.put(e.getKey(), e.getValue().asText());
            } else {
                problem(where, field + "." + e.getKey(), "must be a single value (quote placeholders: \"{name}\")");
            }
        });
        return map;
    }

    /** A text with its {@code ${NAME}} references replaced by environment values (or their defaults). */
    private record Resolved(String value, List<String> variables, List<String> missing, List<String> values) {
        /** E.g. " (check AGENT_CONTROL_URL)", naming the variables and never their values. */
        String checkVariables() {
            return variables.isEmpty() ? "" : " (check " + String.join(", ", variables) + ")";
        }
    }

    private Resolved resolve(String text) {
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        List<String> variables = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> values = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            variables.add(name);
            Optional<String> value = Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
            if (value.isPresent()) {
                values.add(value.get());
            }
            String replacement = value.or(() -> Optional.ofNullable(m.group(2))).orElseGet(() -> {
                missing.add(name);
                return m.group();
            });
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return new Resolved(out.toString(), variables, missing, values);
    }

    private static boolean isHttpUrl(String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private void problem(String where, String field, String message) {
        StringBuilder line = new StringBuilder(source).append(": ");
        if (!where.isEmpty()) {
            line.append(where).append(": ");
        }
        if (!field.isEmpty()) {
            line.append(field).append(": ");
        }
        problems.add(line.append(message).toString());
    }

    /** The fields of one YAML mapping, refusing unknown ones so a misspelt field is not silently ignored. */
    private final class Fields {
        private final JsonNode node;
        private final String where;
        private final String prefix;
        private final boolean mapping;

        Fields(JsonNode node, String where, Set<String> allowed) {
            this(node, where, "", allowed);
        }

        Fields(JsonNode node, String where, String path, Set<String> allowed) {
            this.node = node;
            this.where = where;
            this.prefix = path.isEmpty() ? "" : path + ".";
            this.mapping = node.isObject();
            if (!mapping) {
                problem(where, path, "must be a mapping");
                return;
            }
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    problem(
                            where,
                            prefix + name,
                            "is not a known field (known: "
                                    + String.join(
                                            ", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }

        /** The field, or null after recording that it is missing. */
        JsonNode required(String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                if (mapping) {
                    problem(where, prefix + name, "is required");
                }
                return null;
            }
            return value;
        }

        Optional<JsonNode> optional(String name) {
            return Optional.ofNullable(node.get(name)).filter(v -> !v.isNull());
        }

        Optional<String> text(String name, boolean required) {
            JsonNode value = required ? required(name) : optional(name).orElse(null);
            if (value == null) {
                return Optional.empty();
            }
            if (!value.isValueNode()) {
                problem(
                        where,
                        prefix + name,
                        "must be a single value, not a " + (value.isArray() ? "list" : "mapping")
                                + " (quote placeholders: \"{name}\")");
                return Optional.empty();
            }
            String text = value.asText().strip();
            if (required && text.isEmpty()) {
                problem(where, prefix + name, "must not be empty");
                return Optional.empty();
            }
            return Optional.of(text);
        }

        boolean bool(String name, boolean fallback) {
            return optional(name)
                    .map(v -> {
                        if (!v.isBoolean()) {
                            problem(where, prefix + name, "must be true or false");
                            return fallback;
                        }
                        return v.asBoolean();
                    })
                    .orElse(fallback);
        }
    }
}
