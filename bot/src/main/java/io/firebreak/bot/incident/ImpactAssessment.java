package io.firebreak.bot.incident;

import io.firebreak.storage.incident.Severity;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Derives severity from impact, never from how embarrassing the output looks. The rules, first match wins:
 * <ol>
 *   <li>CRITICAL: the impact is broad and ongoing, or irreversible actions were taken;</li>
 *   <li>HIGH: any financial, legal, security, privacy or safety-sensitive exposure;</li>
 *   <li>LOW: caught before any user saw it;</li>
 *   <li>MEDIUM: user-visible, limited, with a clear correction path;</li>
 *   <li>HIGH: user-visible with no clear correction path (unsure how to undo it, so treat it as serious).</li>
 * </ol>
 */
public final class ImpactAssessment {

    private ImpactAssessment() {}

    /** How far the impact reaches. */
    public enum Breadth {
        ONE_USER("one user"),
        LIMITED("a limited group"),
        BROAD_ONGOING("broad and ongoing");

        private final String words;

        Breadth(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** Kinds of sensitive exposure. */
    public enum Exposure {
        FINANCIAL,
        LEGAL,
        SECURITY,
        PRIVACY,
        SAFETY;

        public String words() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The answers to the assessment's questions, in the responder's words.
     *
     * @param caughtBeforeUsers   was it caught before any user saw it
     * @param breadth             how broad the impact is
     * @param exposures           financial, legal, security, privacy or safety-sensitive exposure
     * @param irreversibleActions were irreversible actions taken (refunds sent, records deleted, mail sent)
     * @param clearCorrectionPath is there a clear way to correct it
     */
    public record Answers(
            boolean caughtBeforeUsers,
            Breadth breadth,
            Set<Exposure> exposures,
            boolean irreversibleActions,
            boolean clearCorrectionPath) {
        public Answers {
            exposures = exposures.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(exposures));
        }
    }

    /** The derived severity and the answer that set it, in words. */
    public record Result(Severity severity, String reason) {}

    /** Applies the rules to {@code answers}. */
    public static Result assess(Answers answers) {
        if (answers.irreversibleActions()) {
            return new Result(Severity.CRITICAL, "irreversible actions were taken");
        }
        if (answers.breadth() == Breadth.BROAD_ONGOING) {
            return new Result(Severity.CRITICAL, "the impact is broad and ongoing");
        }
        if (!answers.exposures().isEmpty()) {
            String kinds =
                    answers.exposures().stream().sorted().map(Exposure::words).collect(Collectors.joining(", "));
            return new Result(Severity.HIGH, "there is " + kinds + " exposure");
        }
        if (answers.caughtBeforeUsers()) {
            return new Result(Severity.LOW, "it was caught before any user saw it");
        }
        if (answers.clearCorrectionPath()) {
            return new Result(
                    Severity.MEDIUM,
                    "users saw it, the impact is limited to "
                            + answers.breadth().words() + ", and there is a clear correction path");
        }
        return new Result(Severity.HIGH, "users saw it and there is no clear correction path");
    }
}
