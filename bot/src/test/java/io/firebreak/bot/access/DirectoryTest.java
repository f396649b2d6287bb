package io.firebreak.bot.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.incident.Severity;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who someone is for one request: configured roles, and the incident's own reporter and commander. */
class DirectoryTest {
    private static final Directory DIRECTORY = new Directory(
            Set.of("U0RESP0001")::contains, Set.of("U0APPR0001")::contains, Set.of("U0SECU0001")::contains);

    private static Incident incident(String commander, String reporter) {
        Instant at = Instant.parse("2026-11-24T09:15:00Z");
        return new Incident(
                7,
                "Refund agent sent wrong refunds",
                Optional.of(Severity.HIGH),
                Phase.DETECTED,
                commander,
                reporter,
                "slash-command",
                Optional.of("C0ORIGIN01"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                at,
                at,
                false);
    }

    @Test
    void configuredRolesComeFromTheirLists() {
        assertThat(DIRECTORY
                        .actor("U0RESP0001", Optional.of("T1"), Optional.empty())
                        .roles())
                .containsExactlyInAnyOrder(Role.MEMBER, Role.RESPONDER);
        assertThat(DIRECTORY
                        .actor("U0APPR0001", Optional.of("T1"), Optional.empty())
                        .roles())
                .containsExactlyInAnyOrder(Role.MEMBER, Role.APPROVER);
        assertThat(DIRECTORY
                        .actor("U0SECU0001", Optional.of("T1"), Optional.empty())
                        .roles())
                .containsExactlyInAnyOrder(Role.MEMBER, Role.SECURITY);
        assertThat(DIRECTORY
                        .actor("U0NOBODY01", Optional.of("T1"), Optional.empty())
                        .roles())
                .containsExactly(Role.MEMBER);
    }

    @Test
    void theReporterAndTheCommanderHoldTheirRolesOnlyOnTheirIncident() {
        Incident theirs = incident("U0LEAD0001", "U0SAW00001");

        assertThat(DIRECTORY
                        .actor("U0LEAD0001", Optional.of("T1"), Optional.of(theirs))
                        .roles())
                .contains(Role.COMMANDER)
                .doesNotContain(Role.RESPONDER);
        assertThat(DIRECTORY
                        .actor("U0SAW00001", Optional.of("T1"), Optional.of(theirs))
                        .roles())
                .contains(Role.REPORTER);
        assertThat(DIRECTORY
                        .actor("U0SAW00001", Optional.of("T1"), Optional.of(incident("U0LEAD0001", "someone else")))
                        .roles())
                .doesNotContain(Role.REPORTER);
    }

    @Test
    void aReportersTypedTextNeverMatchesASlackUser() {
        Incident reported = incident("unassigned", io.firebreak.bot.intake.ReporterText.of("U0CEO"));

        assertThat(DIRECTORY
                        .actor("U0CEO", Optional.of("T1"), Optional.of(reported))
                        .roles())
                .containsExactly(Role.MEMBER);
        assertThat(io.firebreak.bot.intake.ReporterText.of("dana@example.com")).isEqualTo("dana@example.com");
    }
}
