package io.firebreak.bot.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Phase;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one rule for who sees which workspace's incidents, old rows included. */
class TenancyTest {
    private static final Workspace A = Workspace.of("T0AAAAAA1");
    private static final Workspace B = Workspace.of("T0BBBBBB2");

    private static Incident of(String team) {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        return new Incident(
                7,
                "t",
                Optional.empty(),
                Phase.DETECTED,
                "U1",
                "U1",
                "slash-command",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                now,
                now,
                false,
                team,
                Optional.empty());
    }

    @Test
    void singleTokenModeSeesEveryIncidentWhateverItStored() {
        Tenancy single = Tenancy.single(Optional.empty());

        assertThat(single.sees(A, of(B.teamId()))).isTrue();
        assertThat(single.sees(A, of(Tenancy.LEGACY))).isTrue();
        assertThat(single.readableWith(Optional.empty()).everyTeam()).isTrue();
    }

    @Test
    void withSeveralWorkspacesEachSeesItsOwnAndOldRowsNobodyUnlessAdopted() {
        Tenancy several = Tenancy.several(Optional.empty());
        assertThat(several.sees(A, of(A.teamId()))).isTrue();
        assertThat(several.sees(A, of(B.teamId()))).isFalse();
        assertThat(several.sees(A, of(Tenancy.LEGACY))).isFalse();
        assertThat(several.sees(Workspace.of(""), of(Tenancy.LEGACY))).isFalse();

        Tenancy adopted = Tenancy.several(Optional.of(A.teamId()));
        assertThat(adopted.sees(A, of(Tenancy.LEGACY))).isTrue();
        assertThat(adopted.sees(B, of(Tenancy.LEGACY))).isFalse();
        assertThat(adopted.workspaceOf(of(Tenancy.LEGACY))).isEqualTo(A);
        assertThat(adopted.workspaceOf(of(B.teamId()))).isEqualTo(B);
    }

    @Test
    void aTokenOrSourceWithoutATeamReadsNothingWithSeveralWorkspacesUnlessOldRowsAreAdopted() {
        assertThat(Tenancy.several(Optional.empty())
                        .readableWith(Optional.empty())
                        .includes(A.teamId()))
                .isFalse();
        assertThat(Tenancy.several(Optional.empty())
                        .readableWith(Optional.empty())
                        .includes(Tenancy.LEGACY))
                .isFalse();
        assertThat(Tenancy.several(Optional.of(A.teamId()))
                        .readableWith(Optional.empty())
                        .includes(A.teamId()))
                .isTrue();
        assertThat(Tenancy.several(Optional.empty())
                        .readableWith(Optional.of(B.teamId()))
                        .includes(B.teamId()))
                .isTrue();
    }

    @Test
    void aReportOrAlertJoinsOnlyItsWorkspacesIncidentsAndUnconfiguredOnesJoinEachOther() {
        Tenancy several = Tenancy.several(Optional.empty());

        assertThat(several.joinableBy(A).includes("T0AAAAAA1")).isTrue();
        assertThat(several.joinableBy(A).includes("T0BBBBBB2")).isFalse();
        assertThat(several.joinableBy(Workspace.of(Tenancy.LEGACY)).includes(Tenancy.LEGACY))
                .as("a source without a team still groups its storm into one incident")
                .isTrue();
        assertThat(several.joinableBy(Workspace.of(Tenancy.LEGACY)).includes("T0AAAAAA1"))
                .isFalse();
        assertThat(Tenancy.single(Optional.empty()).joinableBy(B).includes("T0AAAAAA1"))
                .isTrue();
    }
}
