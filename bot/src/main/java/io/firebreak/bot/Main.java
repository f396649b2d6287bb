package io.firebreak.bot;

import io.firebreak.bot.containment.CatalogException;
import io.firebreak.bot.integrity.ExportCommand;
import io.firebreak.bot.integrity.VerifyCommand;
import io.firebreak.bot.platform.config.Config;
import io.firebreak.bot.platform.config.ConfigException;
import io.firebreak.bot.platform.config.ConfigLoader;
import io.firebreak.bot.platform.config.ManifestException;
import io.firebreak.bot.slack.LocalSlackClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar firebreak.jar} runs the bot; {@code java -jar firebreak.jar slack "/incident help"} sends a
 * signed slash command to a running bot, as Slack would.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    /** How often an unreachable database is tried again at start-up. */
    static final Duration DATABASE_RETRY = Duration.ofSeconds(2);

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("slack")) {
            System.exit(LocalSlackClient.run(
                    Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("export")) {
            System.exit(ExportCommand.run(
                    Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("verify")) {
            System.exit(VerifyCommand.run(
                    Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        if (args.length > 0 && !args[0].equals("serve")) {
            System.err.println(
                    "usage: firebreak [serve] | firebreak slack [--user U…] [--channel C…] [--url URL] \"/incident help\""
                            + " | firebreak verify (--export FILE | --database URL) --public-key FILE [--checkpoints DIR]"
                            + " | firebreak export INC-<n> [--database URL] [--public-key FILE]");
            System.exit(2);
        }
        Config config;
        try {
            config = ConfigLoader.load(System.getenv());
        } catch (ConfigException e) {
            e.problems().forEach(p -> System.err.println("configuration problem: " + p));
            System.exit(2);
            return;
        }
        if (config.signingSecretGenerated()) {
            log.warn(
                    """

                    ************************************************************************
                    SLACK_SIGNING_SECRET is not set. Firebreak generated one and keeps it in
                      {}
                    Requests from a real Slack workspace will be REJECTED until you set
                    SLACK_SIGNING_SECRET to your Slack app's signing secret. The local
                    client (firebreak slack "/incident help") signs with the generated one.
                    ************************************************************************""",
                    config.dataDir()
                            .resolve(ConfigLoader.GENERATED_SECRET_FILE)
                            .toAbsolutePath()
                            .normalize());
        }
        long started = System.nanoTime();
        Firebreak firebreak;
        try {
            // Serve /healthz at once and wait for the database: in a deployment it may come up after the bot.
            firebreak = Firebreak.launch(config, Clock.systemUTC(), DATABASE_RETRY);
        } catch (CatalogException e) {
            e.problems().forEach(p -> System.err.println("containment catalog problem: " + p));
            System.exit(2);
            return;
        } catch (ManifestException e) {
            e.problems().forEach(p -> System.err.println(e.what() + " problem: " + p));
            System.exit(2);
            return;
        }
        log.info("serving in {} ms", (System.nanoTime() - started) / 1_000_000);
        Runtime.getRuntime().addShutdownHook(new Thread(firebreak::close, "shutdown"));
        firebreak.join();
    }
}
