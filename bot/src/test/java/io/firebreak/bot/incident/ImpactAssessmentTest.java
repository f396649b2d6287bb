package io.firebreak.bot.incident;

import io.firebreak.bot.incident.ImpactAssessment.Answers;
import io.firebreak.bot.incident.ImpactAssessment.Breadth;
import io.firebreak.bot.incident.ImpactAssessment.Exposure;
import io.firebreak.storage.incident.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ImpactAssessmentTest {

    /** Every combination of answers: 2 × 3 × 2^5 × 2 × 2 = 768. */
    static Stream<Answers> everyCombination() {
        List<Answers> all = new ArrayList<>();
        Exposure[] kinds = Exposure.values();
        for (boolean caught : new boolean[]{true, false}) {
            for (Breadth breadth : Breadth.values()) {
                for (int mask = 0; mask < (1 << kinds.length); mask++) {
                    Set<Exposure> exposures = EnumSet.noneOf(Exposure.class);
                    for (int i = 0; i < kinds.length; i++) {
                        if ((mask & (1 << i)) != 0) {
                            exposures.add(kinds[i]);
                        }
                    }
                    for (boolean irreversible : new boolean[]{true, false}) {
                        for (boolean correctable : new boolean[]{true, false}) {
                            all.add(new Answers(caught, breadth, exposures, irreversible, correctable));
                        }
                    }
                }
            }
        }
        assertThat(all).hasSize(768);
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("everyCombination")
    void severityFollowsTheImpactRules(Answers answers) {
        ImpactAssessment.Result result = ImpactAssessment.assess(answers);

        Severity expected;
        if (answers.irreversibleActions() || answers.breadth() == Breadth.BROAD_ONGOING) {
            expected = Severity.CRITICAL;
        } else if (!answers.exposures().isEmpty()) {
            expected = Severity.HIGH;
        } else if (answers.caughtBeforeUsers()) {
            expected = Severity.LOW;
        } else if (answers.clearCorrectionPath()) {
            expected = Severity.MEDIUM;
        } else {
            expected = Severity.HIGH;
        }
        assertThat(result.severity()).isEqualTo(expected);
        assertThat(result.reason()).isNotBlank();
        if (answers.irreversibleActions()) {
            assertThat(result.reason()).contains("irreversible");
        } else if (answers.breadth() == Breadth.BROAD_ONGOING) {
            assertThat(result.reason()).contains("broad and ongoing");
        } else if (!answers.exposures().isEmpty()) {
            answers.exposures().forEach(e -> assertThat(result.reason()).contains(e.words()));
        }
    }

    @Test
    void embarrassingButCaughtIsLow() {
        var result = ImpactAssessment.assess(new Answers(true, Breadth.ONE_USER, Set.of(), false, true));

        assertThat(result).isEqualTo(new ImpactAssessment.Result(Severity.LOW, "it was caught before any user saw it"));
    }

    @Test
    void wrongRefundsSentAreCritical() {
        var result = ImpactAssessment.assess(new Answers(false, Breadth.LIMITED, Set.of(Exposure.FINANCIAL), true, true));

        assertThat(result.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(result.reason()).isEqualTo("irreversible actions were taken");
    }

    @Test
    void aMissedLegalEscalationIsHigh() {
        var result = ImpactAssessment.assess(new Answers(false, Breadth.ONE_USER, Set.of(Exposure.LEGAL, Exposure.PRIVACY), false, true));

        assertThat(result).isEqualTo(new ImpactAssessment.Result(Severity.HIGH, "there is legal, privacy exposure"));
    }

    @Test
    void aVisibleLimitedCorrectableMistakeIsMedium() {
        assertThat(ImpactAssessment.assess(new Answers(false, Breadth.LIMITED, Set.of(), false, true)).severity())
                .isEqualTo(Severity.MEDIUM);
    }
}
