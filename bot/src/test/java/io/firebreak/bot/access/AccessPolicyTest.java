package io.firebreak.bot.access;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole action × role matrix, cell by cell, decided by the policy itself. */
class AccessPolicyTest {
    private static final String TEAM = "T0HOME0001";
    private static final AccessPolicy POLICY =
            new AccessPolicy(Set.of(TEAM), List.of("U0RESP0001", "S0ONCALL01"), List.of("U0APPR0001"));

    /** Who may do what, written out independently of {@link Action}'s own table: the README's table says the same. */
    private static final Map<Action, Set<Role>> EXPECTED = Map.ofEntries(
            entry(Action.OPEN, EnumSet.allOf(Role.class)),
            entry(Action.REPORT, EnumSet.allOf(Role.class)),
            entry(Action.NOTE, EnumSet.allOf(Role.class)),
            entry(Action.CAPTURE, EnumSet.allOf(Role.class)),
            entry(Action.HANDOFF_ACCEPT, EnumSet.allOf(Role.class)),
            entry(Action.READ_LIST, EnumSet.allOf(Role.class)),
            entry(Action.READ_INCIDENT, EnumSet.allOf(Role.class)),
            entry(Action.READ_EVIDENCE, EnumSet.allOf(Role.class)),
            entry(Action.ASSESS, EnumSet.of(Role.RESPONDER, Role.REPORTER)),
            entry(Action.SEVERITY, EnumSet.of(Role.RESPONDER)),
            entry(Action.PHASE, EnumSet.of(Role.RESPONDER)),
            entry(Action.COMMANDER, EnumSet.of(Role.RESPONDER)),
            entry(Action.HANDOFF, EnumSet.of(Role.RESPONDER)),
            entry(Action.CONTAIN_FIRE, EnumSet.of(Role.RESPONDER)),
            entry(Action.CONTAIN_REQUEST, EnumSet.of(Role.RESPONDER)),
            entry(Action.CONTAIN_APPROVE, EnumSet.of(Role.APPROVER)),
            entry(Action.CONTAIN_DENY, EnumSet.of(Role.APPROVER, Role.RESPONDER)),
            entry(Action.CONTAIN_UNDO, EnumSet.of(Role.RESPONDER)),
            entry(Action.CONTAIN_KEEP, EnumSet.of(Role.RESPONDER)),
            entry(Action.RUN_ATTACH, EnumSet.of(Role.RESPONDER)),
            entry(Action.FAILURE_POINT, EnumSet.of(Role.RESPONDER)),
            entry(Action.CORRECTION, EnumSet.of(Role.RESPONDER)),
            entry(Action.FOLLOW_UP, EnumSet.of(Role.RESPONDER)),
            entry(Action.CLOSE, EnumSet.of(Role.RESPONDER)),
            entry(Action.REOPEN, EnumSet.of(Role.RESPONDER)),
            entry(Action.POSTMORTEM_POST, EnumSet.of(Role.RESPONDER)),
            entry(Action.PAGE, EnumSet.of(Role.RESPONDER)),
            entry(Action.AUTOMATION, EnumSet.of(Role.RESPONDER)),
            entry(Action.OTHER_CHANGE, EnumSet.of(Role.RESPONDER)));

    static Stream<Arguments> cells() {
        return Arrays.stream(Action.values())
                .flatMap(action -> Arrays.stream(Role.values()).map(role -> Arguments.of(action, role)));
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("cells")
    void everyCellOfTheMatrix(Action action, Role role) {
        Decision decision = POLICY.decide(
                new Actor("U0SOMEONE1", Optional.of(TEAM), Set.of(role)), action, Optional.of(Subject.open("INC-7")));

        assertThat(decision.allowed())
                .as("%s by someone who is only %s", action, role)
                .isEqualTo(EXPECTED.get(action).contains(role));
        if (decision.refused()) {
            assertThat(decision.reason())
                    .get()
                    .asString()
                    .startsWith("Only ")
                    .contains(action.description())
                    .contains("FIREBREAK_");
        }
    }

    @Test
    void everyActionHasARow() {
        assertThat(EXPECTED.keySet()).containsExactlyInAnyOrder(Action.values());
    }

    @Test
    void refusingContainmentSaysWhoMayAndHowToGetThere() {
        Decision decision = POLICY.decide(
                new Actor("U0MEMBER01", Optional.of(TEAM), Set.of()), Action.CONTAIN_FIRE, Optional.empty());

        assertThat(decision.reason())
                .contains("Only responders can fire containment. Ask a responder to do it, or ask whoever"
                        + " runs Firebreak to add you to FIREBREAK_RESPONDERS.");
        assertThat(decision.contacts()).containsExactly("U0RESP0001", "S0ONCALL01");
    }

    @Test
    void refusingAnApprovalNamesTheApprovers() {
        Decision decision = POLICY.decide(
                new Actor("U0RESP0001", Optional.of(TEAM), Set.of(Role.RESPONDER)),
                Action.CONTAIN_APPROVE,
                Optional.empty());

        assertThat(decision.reason())
                .get()
                .asString()
                .startsWith("Only approvers can approve containment.")
                .contains("FIREBREAK_APPROVERS");
        assertThat(decision.contacts()).containsExactly("U0APPR0001");
    }

    @Test
    void theReportersRightIsNamedAsTheFirstAssessmentOnly() {
        Decision decision =
                POLICY.decide(new Actor("U0MEMBER01", Optional.of(TEAM), Set.of()), Action.ASSESS, Optional.empty());

        assertThat(decision.reason())
                .get()
                .asString()
                .startsWith("Only the reporter (the first assessment only) or responders can assess the impact.");
    }

    @Test
    void withNoRespondersConfiguredNobodyFiresAndTheRefusalSaysSo() {
        AccessPolicy unconfigured = new AccessPolicy(Set.of(), List.of(), List.of());

        Decision decision = unconfigured.decide(
                new Actor("U0ANYONE01", Optional.of(TEAM), Set.of()), Action.CONTAIN_FIRE, Optional.empty());

        assertThat(decision.refused()).isTrue();
        assertThat(decision.reason()).get().asString().contains("No responders are configured");
        assertThat(decision.contacts()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allActions")
    void someoneFromAnotherWorkspaceIsRefusedEverythingWhateverTheirRoles(Action action) {
        Actor guest = new Actor("U0RESP0001", Optional.of("T0GUEST001"), EnumSet.allOf(Role.class));

        Decision decision = POLICY.decide(guest, action, Optional.of(Subject.open("INC-7")));

        assertThat(decision.refused()).isTrue();
        assertThat(decision.reason()).get().asString().contains("another workspace (a Slack Connect channel)");
    }

    @Test
    void aRequestThatDoesNotSayItsWorkspaceIsRefusedWhenWorkspacesAreConfigured() {
        Decision decision = POLICY.decide(
                new Actor("U0RESP0001", Optional.empty(), Set.of(Role.RESPONDER)), Action.NOTE, Optional.empty());

        assertThat(decision.refused()).isTrue();
    }

    @Test
    void withNoWorkspaceConfiguredTheWorkspaceIsNotChecked() {
        AccessPolicy open = new AccessPolicy(Set.of(), List.of("U0RESP0001"), List.of());

        assertThat(open.decide(
                                new Actor("U0RESP0001", Optional.of("T0ANY00001"), Set.of(Role.RESPONDER)),
                                Action.CONTAIN_FIRE,
                                Optional.empty())
                        .allowed())
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allActions")
    void aPrivateIncidentIsInvisibleToResponderWhoAreNotInIt(Action action) {
        Subject secret = new Subject("INC-9", true, false);
        Actor responder = new Actor("U0RESP0001", Optional.of(TEAM), Set.of(Role.RESPONDER, Role.APPROVER));

        Decision decision = POLICY.decide(responder, action, Optional.of(secret));

        assertThat(decision.refused()).isTrue();
        assertThat(decision.reason()).get().asString().startsWith("There is no INC-9 you can see.");
    }

    @Test
    void aPrivateIncidentIsOpenToItsChannelItsCommanderAndTheSecurityGroup() {
        Subject secret = new Subject("INC-9", true, false);
        Subject inChannel = new Subject("INC-9", true, true);

        assertThat(POLICY.decide(
                                new Actor("U1", Optional.of(TEAM), Set.of(Role.SECURITY)),
                                Action.READ_INCIDENT,
                                Optional.of(secret))
                        .allowed())
                .isTrue();
        assertThat(POLICY.decide(
                                new Actor("U1", Optional.of(TEAM), Set.of(Role.COMMANDER)),
                                Action.NOTE,
                                Optional.of(secret))
                        .allowed())
                .isTrue();
        assertThat(POLICY.decide(
                                new Actor("U1", Optional.of(TEAM), Set.of()),
                                Action.READ_INCIDENT,
                                Optional.of(inChannel))
                        .allowed())
                .isTrue();
        assertThat(POLICY.decide(
                                new Actor("U1", Optional.of(TEAM), Set.of(Role.RESPONDER)),
                                Action.CONTAIN_FIRE,
                                Optional.of(inChannel))
                        .allowed())
                .isTrue();
        // Seeing it does not make a member a responder.
        assertThat(POLICY.decide(
                                new Actor("U1", Optional.of(TEAM), Set.of(Role.SECURITY)),
                                Action.CONTAIN_FIRE,
                                Optional.of(secret))
                        .allowed())
                .isFalse();
    }

    static Stream<Action> allActions() {
        return Arrays.stream(Action.values());
    }
}
