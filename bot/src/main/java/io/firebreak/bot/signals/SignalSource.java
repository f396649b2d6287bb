package io.firebreak.bot.signals;

import java.util.List;
import java.util.Optional;

/**
 * One configured sender of alerts, answering at {@code /signals/<name>}.
 *
 * @param auth          how its requests are verified; empty while a variable it needs is unset (it then gets 401)
 * @param notConfigured the unset variables, named, when {@code auth} is empty
 * @param workflowLabel the label naming the agent workflow (default {@code workflow})
 * @param runLabel      the label (or annotation) naming an agent run (default {@code run_id})
 * @param channel       where an incident this source opens is posted; empty means the triage channel
 */
public record SignalSource(
        String name,
        SourceKind kind,
        Optional<SourceAuth> auth,
        List<String> notConfigured,
        String workflowLabel,
        String runLabel,
        int ratePerMinute,
        Optional<String> channel,
        Optional<GenericMapping> mapping,
        Optional<String> team) {
    public SignalSource {
        notConfigured = List.copyOf(notConfigured);
    }

    /** A source of the single workspace. */
    public SignalSource(
            String name,
            SourceKind kind,
            Optional<SourceAuth> auth,
            List<String> notConfigured,
            String workflowLabel,
            String runLabel,
            int ratePerMinute,
            Optional<String> channel,
            Optional<GenericMapping> mapping) {
        this(
                name,
                kind,
                auth,
                notConfigured,
                workflowLabel,
                runLabel,
                ratePerMinute,
                channel,
                mapping,
                Optional.empty());
    }

    /** The actor of what it records: {@code alertmanager (alert source)}. */
    public String actor() {
        return name + " (alert source)";
    }
}
