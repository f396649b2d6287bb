package io.firebreak.bot.slack;

import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Teams;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Reads which incident a command is about: an explicit {@code INC-<n>} first, or, inside an incident's own
 * channel, that incident.
 */
public final class IncidentResolver {
    private final Tenancy tenancy;
    private final BiFunction<Teams, IncidentKey, Optional<Incident>> byKey;
    private final BiFunction<Teams, String, Optional<Incident>> byChannel;

    /**
     * Finds incidents with {@code byKey}, and the incident whose own channel a command was typed in with
     * {@code byChannel}, each among the incidents the command's workspace sees ({@code tenancy}): another workspace's
     * incident is answered exactly as a key that names none.
     */
    public IncidentResolver(
            Tenancy tenancy,
            BiFunction<Teams, IncidentKey, Optional<Incident>> byKey,
            BiFunction<Teams, String, Optional<Incident>> byChannel) {
        this.tenancy = tenancy;
        this.byKey = byKey;
        this.byChannel = byChannel;
    }

    /**
     * The incident and the rest of the arguments, or the refusal to answer with.
     *
     * @param incident present when resolved
     * @param rest     the arguments after the key (all of them when the key came from the channel)
     * @param error    present when not resolved: what was wrong, ready to send
     */
    public record Resolved(Optional<Incident> incident, String rest, Optional<Reply> error) {
        public Incident get() {
            return incident.orElseThrow();
        }

        public boolean failed() {
            return error.isPresent();
        }
    }

    /** Resolves the incident for {@code args} typed in {@code in}'s channel; {@code usage} is shown on refusal. */
    public Resolved resolve(Invocation in, String args, String usage) {
        Teams teams = tenancy.visibleTo(in.workspace());
        String text = args.strip();
        String first = text.isEmpty() ? "" : text.split("\\s+", 2)[0];
        if (!first.isEmpty() && IncidentKey.looksLikeKey(first)) {
            String rest = text.substring(first.length()).strip();
            Optional<IncidentKey> key = IncidentKey.parse(first);
            Optional<Incident> incident = key.flatMap(k -> byKey.apply(teams, k));
            if (incident.isEmpty()) {
                return failed(Reply.error(
                        "There is no incident " + key.map(Object::toString).orElse(first) + ". `" + in.command()
                                + " list` shows the open ones.",
                        in.command(),
                        usage));
            }
            return resolved(incident.get(), rest);
        }
        Optional<Incident> here = Optional.ofNullable(in.channelId()).flatMap(c -> byChannel.apply(teams, c));
        if (here.isPresent()) {
            return resolved(here.get(), text);
        }
        return failed(Reply.error(
                "Say which incident: put its key (like INC-12) first, or run this in the incident's own channel.",
                in.command(),
                usage));
    }

    /** Found: the rest of this request's log lines are about {@code incident}. */
    private static Resolved resolved(Incident incident, String rest) {
        LogContext.incident(incident.key());
        return new Resolved(Optional.of(incident), rest, Optional.empty());
    }

    private static Resolved failed(Reply reply) {
        return new Resolved(Optional.empty(), "", Optional.of(reply));
    }
}
