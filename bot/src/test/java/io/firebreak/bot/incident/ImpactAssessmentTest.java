package io.firebreak.bot.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.incident.ImpactAssessment.Answers;
import io.firebreak.bot.incident.ImpactAssessment.Breadth;
import io.firebreak.bot.incident.ImpactAssessment.Exposure;
import io.firebreak.storage.incident.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImpactAssessmentTest {

    /**
     * The severity rules as a decision table, checked against DESIGN.md's definitions: LOW is caught before user
     * impact; MEDIUM is user-visible with limited impact and a clear correction path; HIGH is financial, legal,
     * security, privacy or safety-sensitive exposure; CRITICAL is active broad impact or irreversible actions.
     * Where the definitions overlap the more severe one wins (exposure caught before users is still HIGH), and
     * user-visible with no clear correction path is HIGH: unsure how to undo it, treat it as serious.
     *
     * <p>The rows do not overlap and together cover every combination of answers, so no row depends on the
     * order of the others. {@code any} matches every answer; exposure {@code some} is any non-empty set of kinds.
     * In the reason, {@code <exposures>} stands for the kinds in order ("legal, privacy") and {@code <breadth>}
     * for the breadth in words.
     */
    static final String RULES = """
            caught before users | breadth           | exposure | irreversible | clear correction | severity | reason
            any                 | any               | any      | yes          | any              | CRITICAL | irreversible actions were taken
            any                 | BROAD_ONGOING     | any      | no           | any              | CRITICAL | the impact is broad and ongoing
            any                 | ONE_USER, LIMITED | some     | no           | any              | HIGH     | there is <exposures> exposure
            yes                 | ONE_USER, LIMITED | none     | no           | any              | LOW      | it was caught before any user saw it
            no                  | ONE_USER, LIMITED | none     | no           | yes              | MEDIUM   | users saw it, the impact is limited to <breadth>, and there is a clear correction path
            no                  | ONE_USER, LIMITED | none     | no           | no               | HIGH     | users saw it and there is no clear correction path
            """;

    /** One row of {@link #RULES}: which answers it covers and what they must give. */
    record Rule(int row, Predicate<Answers> covers, Severity severity, String reason) {
        static Rule parse(int row, String line) {
            String[] cells = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
            Predicate<Answers> caught = yesNo(cells[0], Answers::caughtBeforeUsers);
            Predicate<Answers> breadth = cells[1].equals("any")
                    ? a -> true
                    : a -> Arrays.stream(cells[1].split(",\\s*"))
                            .map(Breadth::valueOf)
                            .toList()
                            .contains(a.breadth());
            Predicate<Answers> exposure = switch (cells[2]) {
                case "any" -> a -> true;
                case "some" -> a -> !a.exposures().isEmpty();
                case "none" -> a -> a.exposures().isEmpty();
                default -> throw new IllegalArgumentException("exposure is any, some or none, not " + cells[2]);
            };
            Predicate<Answers> irreversible = yesNo(cells[3], Answers::irreversibleActions);
            Predicate<Answers> correction = yesNo(cells[4], Answers::clearCorrectionPath);
            return new Rule(
                    row,
                    caught.and(breadth).and(exposure).and(irreversible).and(correction),
                    Severity.valueOf(cells[5]),
                    cells[6]);
        }

        private static Predicate<Answers> yesNo(String cell, Predicate<Answers> answer) {
            return switch (cell) {
                case "any" -> a -> true;
                case "yes" -> answer;
                case "no" -> answer.negate();
                default -> throw new IllegalArgumentException("expected yes, no or any, not " + cell);
            };
        }

        @Override
        public String toString() {
            return "row " + row + " (" + severity + ")";
        }

        String reasonFor(Answers answers) {
            return reason.replace("<breadth>", answers.breadth().words())
                    .replace(
                            "<exposures>",
                            answers.exposures().stream()
                                    .sorted()
                                    .map(Exposure::words)
                                    .collect(Collectors.joining(", ")));
        }
    }

    static List<Rule> rules() {
        List<String> lines = RULES.lines().skip(1).toList();
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            rules.add(Rule.parse(i + 1, lines.get(i)));
        }
        return rules;
    }

    /** Every combination of answers: 2 × 3 × 2^5 × 2 × 2 = 768. */
    static List<Answers> everyCombination() {
        List<Answers> all = new ArrayList<>();
        Exposure[] kinds = Exposure.values();
        for (boolean caught : new boolean[] {true, false}) {
            for (Breadth breadth : Breadth.values()) {
                for (int mask = 0; mask < (1 << kinds.length); mask++) {
                    Set<Exposure> exposures = EnumSet.noneOf(Exposure.class);
                    for (int i = 0; i < kinds.length; i++) {
                        if ((mask & (1 << i)) != 0) {
                            exposures.add(kinds[i]);
                        }
                    }
                    for (boolean irreversible : new boolean[] {true, false}) {
                        for (boolean correctable : new boolean[] {true, false}) {
                            all.add(new Answers(caught, breadth, exposures, irreversible, correctable));
                        }
                    }
                }
            }
        }
        return all;
    }

    /** Each combination with the one row of the table that covers it. */
    static Stream<Arguments> everyCombinationWithItsRule() {
        List<Rule> rules = rules();
        return everyCombination().stream()
                .map(answers -> Arguments.of(
                        answers,
                        rules.stream()
                                .filter(r -> r.covers().test(answers))
                                .findFirst()
                                .orElseThrow()));
    }

    @Test
    void theTableHasExactlyOneRowForEachOfThe768CombinationsOfAnswers() {
        List<Answers> all = everyCombination();
        List<Rule> rules = rules();

        assertThat(all).hasSize(768).doesNotHaveDuplicates();
        assertThat(all)
                .allSatisfy(answers -> assertThat(rules.stream()
                                .filter(r -> r.covers().test(answers))
                                .map(Rule::row))
                        .as("rows covering %s", answers)
                        .hasSize(1));
        assertThat(rules)
                .allSatisfy(rule ->
                        assertThat(all).as("answers row %s covers", rule.row()).anyMatch(rule.covers()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyCombinationWithItsRule")
    void severityFollowsTheDecisionTable(Answers answers, Rule rule) {
        ImpactAssessment.Result result = ImpactAssessment.assess(answers);

        assertThat(result).isEqualTo(new ImpactAssessment.Result(rule.severity(), rule.reasonFor(answers)));
    }

    @Test
    void embarrassingButCaughtIsLow() {
        var result = ImpactAssessment.assess(new Answers(true, Breadth.ONE_USER, Set.of(), false, true));

        assertThat(result).isEqualTo(new ImpactAssessment.Result(Severity.LOW, "it was caught before any user saw it"));
    }

    @Test
    void wrongRefundsSentAreCritical() {
        var result =
                ImpactAssessment.assess(new Answers(false, Breadth.LIMITED, Set.of(Exposure.FINANCIAL), true, true));

        assertThat(result.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(result.reason()).isEqualTo("irreversible actions were taken");
    }

    @Test
    void aMissedLegalEscalationIsHigh() {
        var result = ImpactAssessment.assess(
                new Answers(false, Breadth.ONE_USER, Set.of(Exposure.LEGAL, Exposure.PRIVACY), false, true));

        assertThat(result).isEqualTo(new ImpactAssessment.Result(Severity.HIGH, "there is legal, privacy exposure"));
    }

    @Test
    void aVisibleLimitedCorrectableMistakeIsMedium() {
        assertThat(ImpactAssessment.assess(new Answers(false, Breadth.LIMITED, Set.of(), false, true))
                        .severity())
                .isEqualTo(Severity.MEDIUM);
    }
}
