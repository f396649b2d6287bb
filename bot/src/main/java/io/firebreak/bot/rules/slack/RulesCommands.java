package io.firebreak.bot.rules.slack;

import io.firebreak.bot.access.Action;
import io.firebreak.bot.rules.Rule;
import io.firebreak.bot.rules.RulesEngine;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.Invocation;
import io.firebreak.bot.slack.Reply;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.Subcommand;
import java.util.List;

/** {@code /incident rules [pause|resume]}: lists the rules and whether they run; responders pause and resume them. */
public final class RulesCommands implements SlackFeature {
    static final String USAGE = "rules [pause|resume]";
    /** Responders only, for the list too: it tells who gets paged and what fires by itself. */
    public static final AccessMap ACCESS =
            AccessMap.builder().subcommand("rules", Action.AUTOMATION).build();

    private final RulesEngine engine;
    private final String command;

    public RulesCommands(RulesEngine engine, String command) {
        this.engine = engine;
        this.command = command;
    }

    @Override
    public List<Subcommand> subcommands() {
        return List.of(
                new Subcommand("rules", USAGE, "list the automation rules; pause or resume all of them", this::rules));
    }

    @Override
    public AccessMap access() {
        return ACCESS;
    }

    Reply rules(Invocation in, String args) {
        String word = args.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (word) {
            case "" -> list();
            case "pause" ->
                engine.setPaused(true, in.userId())
                        ? Reply.ephemeral(
                                ":double_vertical_bar: Rules are paused, for every replica: matches are recorded on"
                                        + " the incidents' timelines and nothing is done or sent. `" + command
                                        + " rules resume` turns them"
                                        + " back on.")
                        : Reply.ephemeral("Rules were already paused.");
            case "resume" ->
                engine.setPaused(false, in.userId())
                        ? Reply.ephemeral(":arrow_forward: Rules run again. What they matched while paused is not done"
                                + " afterwards.")
                        : Reply.ephemeral("Rules were already running.");
            default -> Reply.error("`" + SlackText.escape(args.strip()) + "` is not pause or resume.", command, USAGE);
        };
    }

    private Reply list() {
        var set = engine.rules();
        if (set.rules().isEmpty()) {
            return Reply.ephemeral("No rules are configured (FIREBREAK_RULES, manifests/rules.yml).");
        }
        StringBuilder out = new StringBuilder("*Rules* from `" + SlackText.escape(set.source()) + "` (sha256 `"
                + set.hash() + "`): " + (engine.paused() ? ":double_vertical_bar: *paused*" : "running") + "\n");
        for (Rule rule : set.rules()) {
            out.append("• `").append(rule.id()).append('`');
            if (rule.dryRun()) {
                out.append(" _(dry run)_");
            }
            if (rule.autoContain()) {
                out.append(" _(auto-contains)_");
            }
            if (!rule.description().isBlank()) {
                out.append(": ").append(BlockKit.escaped(rule.description(), 200));
            }
            out.append('\n');
        }
        return Reply.ephemeral(BlockKit.cut(out.toString().stripTrailing(), 3900));
    }
}
