package io.firebreak.bot.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.incident.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who sees which incident: the one rule every list, screen and export asks. */
class VisibilityTest {
    private static final String COMMANDER = "U0COMMAND1";
    private static final String SECURITY = "U0SECU0001";
    private static final String MEMBER = "U0MEMBER01";
    private static final String OTHER = "U0OTHER001";
    private static final String CHANNEL = "C0PRIVATE1";

    private final List<String> asked = new ArrayList<>();
    private final AccessPolicy policy = new AccessPolicy(Set.of(), List.of(), List.of());
    private final Directory directory = new Directory(u -> false, u -> false, Set.of(SECURITY)::contains);

    private Visibility visibility(ChannelMembership members) {
        return new Visibility(policy, directory, (channel, user) -> {
            asked.add(user);
            return members.isMember(channel, user);
        });
    }

    private static Incident incident(long id, boolean privateIncident) {
        Instant at = Instant.parse("2026-11-24T09:15:00Z");
        return new Incident(
                id,
                "Support agent leaked a card number",
                Optional.of(Severity.CRITICAL),
                Phase.DETECTED,
                COMMANDER,
                COMMANDER,
                "slash-command",
                Optional.of("C0ORIGIN01"),
                Optional.of(CHANNEL),
                Optional.of(CHANNEL),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                at,
                at,
                privateIncident);
    }

    @Test
    void aPrivateIncidentIsSeenByItsChannelItsCommanderAndTheSecurityGroupOnly() {
        Visibility visibility = visibility((channel, user) -> CHANNEL.equals(channel) && MEMBER.equals(user));
        List<Incident> both = List.of(incident(1, false), incident(2, true));

        assertThat(visibility.visibleTo(OTHER, both)).extracting(Incident::id).containsExactly(1L);
        assertThat(visibility.visibleTo(MEMBER, both)).extracting(Incident::id).containsExactly(1L, 2L);
        assertThat(visibility.visibleTo(COMMANDER, both))
                .extracting(Incident::id)
                .containsExactly(1L, 2L);
        assertThat(visibility.visibleTo(SECURITY, both))
                .extracting(Incident::id)
                .containsExactly(1L, 2L);
    }

    @Test
    void slackIsAskedOnlyWhenNothingElseDecides() {
        Visibility visibility = visibility((channel, user) -> true);

        visibility.canSee(OTHER, incident(1, false));
        visibility.canSee(COMMANDER, incident(2, true));
        visibility.canSee(SECURITY, incident(2, true));
        visibility.canSee(OTHER, incident(2, true));

        assertThat(asked).containsExactly(OTHER);
    }

    @Test
    void aPrivateIncidentWithoutItsChannelYetIsSeenOnlyByItsCommanderAndSecurity() {
        Incident noChannel = new Incident(
                3,
                "t",
                Optional.empty(),
                Phase.DETECTED,
                COMMANDER,
                COMMANDER,
                "slash-command",
                Optional.of("C0ORIGIN01"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Instant.EPOCH,
                Instant.EPOCH,
                true);
        Visibility visibility = visibility((channel, user) -> true);

        assertThat(visibility.canSee(MEMBER, noChannel)).isFalse();
        assertThat(visibility.canSee(COMMANDER, noChannel)).isTrue();
        assertThat(visibility.canSee(SECURITY, noChannel)).isTrue();
    }

    @Test
    void readApiTokensSeeAPrivateIncidentOnlyWithPrivateRead() {
        Visibility visibility = visibility((channel, user) -> true);
        ApiToken dashboard = new ApiToken("dashboard", "a".repeat(64), Set.of(ApiScope.INCIDENTS_READ));
        ApiToken forensics =
                new ApiToken("forensics", "b".repeat(64), Set.of(ApiScope.INCIDENTS_READ, ApiScope.PRIVATE_READ));
        List<Incident> both = List.of(incident(1, false), incident(2, true));

        assertThat(visibility.visibleTo(dashboard, both))
                .extracting(Incident::id)
                .containsExactly(1L);
        assertThat(visibility.visibleTo(forensics, both))
                .extracting(Incident::id)
                .containsExactly(1L, 2L);
    }
}
