package io.firebreak.bot.platform.config;

import io.firebreak.bot.access.ApiScope;
import io.firebreak.bot.access.ApiToken;
import io.firebreak.storage.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@link Config} from environment variables, collecting every problem before failing, one line each,
 * naming the variable and never its value.
 */
public final class ConfigLoader {
    /** The file in the data folder that keeps a generated signing secret. */
    public static final String GENERATED_SECRET_FILE = "slack-signing-secret";
    /** What the Kubernetes Secret template holds for every credential, refused so an unfilled copy cannot start. */
    public static final String PLACEHOLDER = "REPLACE_ME";

    private static final Pattern COMMAND = Pattern.compile("/[a-z0-9_\\-]{1,31}");
    private static final Pattern SLACK_ID = Pattern.compile("[UWS][A-Z0-9]{2,}");
    private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern TEAM_ID = Pattern.compile("T[A-Z0-9]{2,}");
    private static final Pattern API_TOKEN_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    /** An app-level token: {@code xapp-<n>-<app id>-<n>-<hex>}. */
    private static final Pattern APP_TOKEN = Pattern.compile("xapp-[0-9]+-[A-Za-z0-9]+-[0-9]+-[A-Za-z0-9]+");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /** Validates {@code env}; throws {@link ConfigException} listing every problem. */
    public static Config load(Map<String, String> env) {
        return new ConfigLoader(env).load();
    }

    private Config load() {
        env.keySet().stream()
                .sorted()
                .filter(name -> PLACEHOLDER.equals(
                        Optional.ofNullable(env.get(name)).map(String::trim).orElse("")))
                .forEach(name -> problems.add(name + " still holds the placeholder " + PLACEHOLDER
                        + " from manifests/kubernetes/secret.template.yml"));
        int port = wholeNumber("PORT", 3000, 0, 65535, "must be a port number between 0 and 65535");
        Path dataDir = Path.of(get("FIREBREAK_DATA_DIR").orElse("./.firebreak"));
        Optional<Secret> botToken = get("SLACK_BOT_TOKEN").flatMap(token -> {
            if (!token.startsWith("xoxb-")) {
                problems.add(
                        "SLACK_BOT_TOKEN must be a bot token starting with xoxb- (from OAuth & Permissions in your Slack app)");
                return Optional.empty();
            }
            return Optional.of(new Secret(token));
        });
        String slackApiUrl = parse(
                        "SLACK_API_URL",
                        Config.DEFAULT_SLACK_API_URL,
                        value -> {
                            httpUrl(value);
                            return value.endsWith("/") ? value : value + "/";
                        },
                        "must be an http:// or https:// URL, such as https://slack.com/api/")
                .orElse(Config.DEFAULT_SLACK_API_URL);
        String command = get("SLACK_COMMAND").orElse("/incident");
        if (!COMMAND.matcher(command).matches()) {
            problems.add(
                    "SLACK_COMMAND must be a slash command such as /incident: a / then up to 31 lower-case letters, digits, - or _");
        }
        Optional<DatabaseUrl> databaseUrl = get("DATABASE_URL").flatMap(value -> {
            try {
                return Optional.of(DatabaseUrl.parse(value));
            } catch (IllegalArgumentException e) {
                problems.add(
                        "DATABASE_URL " + e.getMessage()
                                + " (expected postgres://user:password@host:port/database or jdbc:postgresql://host:port/database)");
                return Optional.empty();
            }
        });
        Optional<Secret> apiToken = get("FIREBREAK_API_TOKEN").flatMap(value -> {
            if (value.length() < 16) {
                problems.add("FIREBREAK_API_TOKEN must be at least 16 characters long");
                return Optional.empty();
            }
            return Optional.of(new Secret(value));
        });
        Optional<URI> publicUrl = get("FIREBREAK_PUBLIC_URL").flatMap(value -> {
            try {
                return Optional.of(httpUrl(value));
            } catch (IllegalArgumentException e) {
                problems.add(
                        "FIREBREAK_PUBLIC_URL must be an http:// or https:// URL, such as https://firebreak.example.com");
                return Optional.empty();
            }
        });
        List<String> responders = get("FIREBREAK_RESPONDERS")
                .map(v -> List.of(v.split("[,\\s]+")))
                .orElse(List.of());
        if (responders.stream().anyMatch(id -> !SLACK_ID.matcher(id).matches())) {
            problems.add(
                    "FIREBREAK_RESPONDERS must list Slack user IDs (U…, W…) or user-group IDs (S…), separated by commas");
        }
        List<String> privateResponders = get("FIREBREAK_PRIVATE_RESPONDERS")
                .map(v -> List.of(v.split("[,\\s]+")))
                .orElse(List.of());
        if (privateResponders.stream().anyMatch(id -> !SLACK_ID.matcher(id).matches())) {
            problems.add(
                    "FIREBREAK_PRIVATE_RESPONDERS must list Slack user IDs (U…, W…) or user-group IDs (S…), separated by commas");
        }
        Set<String> teams = new LinkedHashSet<>(
                get("FIREBREAK_TEAM_ID").map(v -> List.of(v.split("[,\\s]+"))).orElse(List.of()));
        if (teams.stream().anyMatch(id -> !TEAM_ID.matcher(id).matches())) {
            problems.add(
                    "FIREBREAK_TEAM_ID must be your Slack workspace's ID (T…), optionally followed by other allowed workspace IDs, separated by commas");
        }
        boolean incidentChannels = parse(
                        "FIREBREAK_INCIDENT_CHANNELS", "true", ConfigLoader::bool, "must be true or false")
                .orElse(true);
        Optional<Secret> intakeSecret = get("FIREBREAK_INTAKE_SECRET").flatMap(value -> {
            if (value.length() < 16) {
                problems.add("FIREBREAK_INTAKE_SECRET must be at least 16 characters long");
                return Optional.empty();
            }
            return Optional.of(new Secret(value));
        });
        int ratePerMinute = wholeNumber(
                "FIREBREAK_INTAKE_RATE_PER_MINUTE",
                60,
                1,
                Integer.MAX_VALUE,
                "must be a whole number of reports per minute, at least 1");
        Optional<String> triageChannel = get("FIREBREAK_TRIAGE_CHANNEL");
        if (triageChannel.filter(c -> !CHANNEL_ID.matcher(c).matches()).isPresent()) {
            problems.add("FIREBREAK_TRIAGE_CHANNEL must be a Slack channel ID such as C0123456789 (not a #name)");
        }
        java.time.Duration triageWindow = duration("FIREBREAK_TRIAGE_WINDOW", "PT30M");
        for (String name : List.of("FIREBREAK_INTAKE_TEAM", "FIREBREAK_LEGACY_TEAM_ID")) {
            if (get(name).filter(t -> !TEAM_ID.matcher(t).matches()).isPresent()) {
                problems.add(name + " must be a Slack workspace ID such as T024BE7LD");
            }
        }
        java.time.Duration handoffReminder = duration("FIREBREAK_HANDOFF_REMINDER", "PT15M");
        Optional<Secret> signingSecret = get("SLACK_SIGNING_SECRET").map(Secret::new);
        SocketModeSettings socketMode = socketMode();
        ContainmentSettings containment = containment();
        boolean runJobs = parse("FIREBREAK_RUN_JOBS", "true", ConfigLoader::bool, "must be true or false")
                .orElse(true);
        int jobThreads = wholeNumber(
                "FIREBREAK_JOB_THREADS",
                Config.defaultJobThreads(),
                1,
                64,
                "must be a whole number of jobs run at once, from 1 to 64");
        java.time.Duration requestBudget = duration("FIREBREAK_REQUEST_BUDGET", "PT2.5S");
        if (requestBudget.compareTo(java.time.Duration.ofMillis(100)) < 0
                || requestBudget.compareTo(java.time.Duration.ofMillis(2900)) > 0) {
            problems.add(
                    "FIREBREAK_REQUEST_BUDGET must be from PT0.1S to PT2.9S: the answer must reach Slack within its 3 seconds");
        }
        EvidenceSettings evidence = EvidenceSettings.read(this::get, problems);
        Optional<String> langfuseDataset = get("LANGFUSE_DATASET");
        if (langfuseDataset.isPresent() && evidence.langfuse().isEmpty()) {
            problems.add(
                    "LANGFUSE_DATASET needs LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY (and LANGFUSE_HOST when not Langfuse Cloud) to push regression cases");
        }
        SignalSettings signals = new SignalSettings(
                get("FIREBREAK_SIGNALS").map(Path::of),
                get("FIREBREAK_RULES").map(Path::of),
                duration("FIREBREAK_SIGNAL_GROUP_WINDOW", "PT30M"),
                duration("FIREBREAK_SIGNAL_DIGEST_INTERVAL", "PT1M"),
                env);
        boolean embedded = databaseUrl.isEmpty() && get("DATABASE_URL").isEmpty();
        IntegritySettings integrity = IntegritySettings.read(this::get, problems, dataDir, embedded);
        PagingSettings paging = PagingSettings.read(this::get, problems);
        List<ApiToken> apiTokens = apiTokens(apiToken);
        HardeningSettings hardening = HardeningSettings.read(this::get, problems);
        Optional<OAuthSettings> oauth = OAuthSettings.read(this::get, problems);
        if (oauth.isPresent() && get("SLACK_BOT_TOKEN").isPresent()) {
            problems.add("SLACK_BOT_TOKEN is for one workspace and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET for installing"
                    + " into several through OAuth: set one or the other (with OAuth, each workspace's token comes from"
                    + " its install)");
        }
        if (oauth.isPresent()
                && integrity.auditChannel().isPresent()
                && integrity.auditTeam().isEmpty()
                && get("FIREBREAK_LEGACY_TEAM_ID").isEmpty()) {
            // With several workspaces a channel ID names a channel of one of them: which one must be said.
            problems.add("FIREBREAK_AUDIT_CHANNEL needs FIREBREAK_AUDIT_TEAM (the workspace the channel is in) when"
                    + " Firebreak is installed into several workspaces (SLACK_CLIENT_ID)");
        }
        // Logback reads it (logback.xml); checked here so a typo stops the bot instead of changing the log format.
        if (get("FIREBREAK_LOG_FORMAT")
                .filter(f -> !f.equalsIgnoreCase("json") && !f.equalsIgnoreCase("text"))
                .isPresent()) {
            problems.add("FIREBREAK_LOG_FORMAT must be json (one JSON object per line) or text");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        boolean generated = signingSecret.isEmpty();
        Secret secret = signingSecret.orElseGet(() -> loadOrCreateSigningSecret(dataDir));
        // With a generated signing secret only the local client can reach the bot: its user responds, so the quick
        // start works.
        // Not in Socket Mode: there, everyone in the workspace reaches the bot without the signing secret.
        boolean localResponder = generated && responders.isEmpty() && !socketMode.enabled();
        if (localResponder) {
            responders = List.of(AccessSettings.LOCAL_USER);
        }
        Set<String> workspaces = teams.isEmpty() && localResponder ? Set.of(AccessSettings.LOCAL_TEAM) : teams;
        return new Config(
                port,
                secret,
                generated,
                botToken,
                slackApiUrl,
                command,
                databaseUrl,
                dataDir,
                apiToken,
                publicUrl,
                responders,
                incidentChannels,
                new IntakeSettings(
                        intakeSecret, ratePerMinute, triageChannel, triageWindow, get("FIREBREAK_INTAKE_TEAM")),
                handoffReminder,
                containment,
                runJobs,
                jobThreads,
                evidence,
                langfuseDataset,
                integrity.withLocalKey(embedded),
                new AccessSettings(
                        workspaces, privateResponders, localResponder, apiTokens, get("FIREBREAK_LEGACY_TEAM_ID")),
                socketMode,
                requestBudget,
                hardening,
                paging,
                signals,
                oauth);
    }

    /** {@code SLACK_APP_TOKEN} and {@code FIREBREAK_SOCKET_CONNECTIONS}. */
    private SocketModeSettings socketMode() {
        Optional<Secret> appToken = get("SLACK_APP_TOKEN").flatMap(token -> {
            if (!APP_TOKEN.matcher(token).matches()) {
                problems.add("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information →"
                        + " App-Level Tokens in your Slack app, with the connections:write scope)");
                return Optional.empty();
            }
            return Optional.of(new Secret(token));
        });
        int connections = wholeNumber(
                "FIREBREAK_SOCKET_CONNECTIONS",
                SocketModeSettings.DEFAULT_CONNECTIONS,
                1,
                SocketModeSettings.MAX_CONNECTIONS,
                "must be a whole number of Socket Mode connections, from 1 to " + SocketModeSettings.MAX_CONNECTIONS
                        + " (Slack's limit per app)");
        return new SocketModeSettings(appToken, connections);
    }

    /**
     * The signing secret kept in {@code dataDir}, made and saved (readable by the owner only) the first time.
     * Lets a bot run, and the local {@code slack} client sign requests for it, before a Slack app exists.
     */
    public static Secret loadOrCreateSigningSecret(Path dataDir) {
        Path file = dataDir.resolve(GENERATED_SECRET_FILE);
        try {
            if (Files.exists(file)) {
                return new Secret(Files.readString(file, StandardCharsets.UTF_8).trim());
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String value = HexFormat.of().formatHex(random);
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system; the file keeps the folder's permissions.
            }
            return new Secret(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a generated signing secret in " + dataDir, e);
        }
    }

    /**
     * {@code FIREBREAK_API_TOKENS}: entries {@code name:sha256:scope,scope} separated by {@code ;} or new lines, and
     * {@code FIREBREAK_API_TOKEN}, kept working as a token that reads everything but private incidents.
     */
    private List<ApiToken> apiTokens(Optional<Secret> legacy) {
        List<ApiToken> tokens = new ArrayList<>();
        legacy.ifPresent(t -> tokens.add(new ApiToken(
                "FIREBREAK_API_TOKEN",
                ApiToken.hash(t.value()),
                EnumSet.of(ApiScope.INCIDENTS_READ, ApiScope.EVIDENCE_READ))));
        String[] entries =
                get("FIREBREAK_API_TOKENS").map(v -> v.split("[;\\n]")).orElse(new String[0]);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split(":", 3);
            // name@T…: the workspace whose incidents the token reads (issue 19); none: the single workspace.
            String[] named = parts[0].strip().split("@", 2);
            Optional<String> team = named.length == 2 ? Optional.of(named[1].strip()) : Optional.empty();
            parts[0] = named[0];
            List<Optional<ApiScope>> scopes = parts.length < 3
                    ? List.of()
                    : java.util.Arrays.stream(parts[2].split(","))
                            .map(ApiScope::parse)
                            .toList();
            if (parts.length < 3
                    || !API_TOKEN_NAME.matcher(parts[0].strip()).matches()
                    || team.filter(t -> !TEAM_ID.matcher(t).matches()).isPresent()
                    || !SHA256.matcher(parts[1].strip()).matches()
                    || scopes.isEmpty()
                    || scopes.stream().anyMatch(Optional::isEmpty)) {
                problems.add(
                        "FIREBREAK_API_TOKENS entry " + (i + 1) + " must be name:sha256:scopes, such as"
                                + " dashboard:<64 hex digits of the token's SHA-256>:incidents:read,evidence:read (scopes: incidents:read,"
                                + " evidence:read, private:read); name@T… (such as dashboard@T024BE7LD) limits it to one workspace");
                continue;
            }
            tokens.add(new ApiToken(
                    parts[0].strip(),
                    parts[1].strip().toLowerCase(java.util.Locale.ROOT),
                    EnumSet.copyOf(scopes.stream().map(Optional::get).toList()),
                    team));
        }
        return tokens;
    }

    private ContainmentSettings containment() {
        Optional<Path> actions = get("FIREBREAK_ACTIONS").map(Path::of);
        Set<String> approvers = new LinkedHashSet<>();
        String[] entries =
                get("FIREBREAK_APPROVERS").map(v -> v.split("[,\\s]+")).orElse(new String[0]);
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].isEmpty()) {
                continue;
            }
            if (!SLACK_USER_ID.matcher(entries[i]).matches()) {
                problems.add(
                        "FIREBREAK_APPROVERS must be Slack user IDs separated by commas, such as U024BE7LH,U0G9QF9C6; entry "
                                + (i + 1) + " is not one");
            }
            approvers.add(entries[i]);
        }
        Duration ttl = parse(
                        "FIREBREAK_APPROVAL_TTL",
                        ContainmentSettings.DEFAULT_APPROVAL_TTL.toString(),
                        value -> {
                            Duration d = Duration.parse(value);
                            if (d.isNegative() || d.isZero()) {
                                throw new IllegalArgumentException();
                            }
                            return d;
                        },
                        "must be a positive ISO-8601 duration, such as PT30M or PT2H")
                .orElse(ContainmentSettings.DEFAULT_APPROVAL_TTL);
        return new ContainmentSettings(actions, approvers, ttl, env);
    }

    private Optional<String> get(String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty() && !v.equals(PLACEHOLDER));
    }

    private <T> Optional<T> parse(String name, String fallback, Function<String, T> parser, String problem) {
        String value = get(name).orElse(fallback);
        try {
            return Optional.of(parser.apply(value));
        } catch (RuntimeException e) {
            problems.add(name + " " + problem);
            return Optional.empty();
        }
    }

    /** A whole number from {@code min} to {@code max}, or the default; one problem line otherwise. */
    private int wholeNumber(String name, int fallback, int min, int max, String problem) {
        return parse(
                        name,
                        String.valueOf(fallback),
                        value -> {
                            int n = Integer.parseInt(value);
                            if (n < min || n > max) {
                                throw new IllegalArgumentException();
                            }
                            return n;
                        },
                        problem)
                .orElse(fallback);
    }

    /** A positive ISO-8601 duration such as PT15M, or the default; one problem line otherwise. */
    private java.time.Duration duration(String name, String fallback) {
        return parse(
                        name,
                        fallback,
                        value -> {
                            java.time.Duration d = java.time.Duration.parse(value);
                            if (d.isNegative() || d.isZero()) {
                                throw new IllegalArgumentException();
                            }
                            return d;
                        },
                        "must be a positive ISO-8601 duration such as " + fallback)
                .orElse(java.time.Duration.parse(fallback));
    }

    static boolean bool(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException();
        };
    }

    static URI httpUrl(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException();
        }
    }
}
