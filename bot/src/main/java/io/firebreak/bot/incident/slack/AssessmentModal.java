package io.firebreak.bot.incident.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.checkboxes;
import static com.slack.api.model.block.element.BlockElements.conversationsSelect;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.radioButtons;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import io.firebreak.bot.incident.ImpactAssessment;
import io.firebreak.bot.incident.ImpactAssessment.Answers;
import io.firebreak.bot.incident.ImpactAssessment.Breadth;
import io.firebreak.bot.incident.ImpactAssessment.Exposure;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.Forms;
import io.firebreak.storage.incident.IncidentKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The impact assessment form, in plain words, and reading its answers back. Opened for an existing incident
 * (private metadata = its key) or, from the "Report agent incident" shortcut, for a new one ({@link #NEW}).
 */
public final class AssessmentModal {
    public static final String CALLBACK_ID = "incident_assessment";
    /** Private metadata of a modal that reports a new incident. */
    public static final String NEW = "new";

    static final String TITLE = "title";
    static final String DESCRIPTION = "description";
    static final String CHANNEL = "channel";
    static final String CAUGHT = "caught";
    static final String BREADTH = "breadth";
    static final String EXPOSURE = "exposure";
    static final String IRREVERSIBLE = "irreversible";
    static final String CORRECTABLE = "correctable";
    static final String PRIVATE = "private";

    private static final Map<Exposure, String> EXPOSURE_WORDS = Map.of(
            Exposure.FINANCIAL, "Financial (money moved, refunds, prices)",
            Exposure.LEGAL, "Legal (contracts, regulated advice, missed escalation)",
            Exposure.SECURITY, "Security (access, credentials, injected instructions)",
            Exposure.PRIVACY, "Privacy (personal data shown or sent)",
            Exposure.SAFETY, "Safety-sensitive (health, harm)");

    private AssessmentModal() {}

    /** The form for an existing incident. */
    public static View forIncident(IncidentKey key, String title) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(context(c -> c.elements(List.of(markdownText("*" + key + "* · " + BlockKit.escaped(title, 200))))));
        blocks.addAll(questions());
        return modal(key.toString(), blocks);
    }

    /** The form that reports a new incident: what happened, where to post it, then the questions. */
    public static View forNewIncident() {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(input(i -> i.blockId(TITLE)
                .label(plainText("What went wrong?"))
                .element(plainTextInput(p -> p.actionId(TITLE)
                        .maxLength(150)
                        .placeholder(plainText("Refund agent sent refunds to the wrong customers"))))));
        blocks.add(input(i -> i.blockId(DESCRIPTION)
                .optional(true)
                .label(plainText("Details"))
                .element(plainTextInput(
                        p -> p.actionId(DESCRIPTION).multiline(true).maxLength(2900)))));
        blocks.add(input(i -> i.blockId(CHANNEL)
                .optional(true)
                .label(plainText("Post the incident card in"))
                .element(conversationsSelect(c -> c.actionId(CHANNEL).placeholder(plainText("Choose a channel"))))));
        blocks.add(input(i -> i.blockId(PRIVATE)
                .optional(true)
                .label(plainText("Private"))
                .hint(plainText("Only its own private channel, its commander and the security group will see it."
                        + " The channel above is told only that a private incident was opened."))
                .element(checkboxes(
                        c -> c.actionId(PRIVATE).options(List.of(option(plainText("Private incident"), PRIVATE)))))));
        blocks.addAll(questions());
        return modal(NEW, blocks);
    }

    private static View modal(String metadata, List<LayoutBlock> blocks) {
        return Forms.form(CALLBACK_ID, metadata, "Assess impact", "Set severity", blocks);
    }

    private static List<LayoutBlock> questions() {
        List<OptionObject> exposures = new ArrayList<>();
        for (Exposure e : Exposure.values()) {
            exposures.add(option(plainText(EXPOSURE_WORDS.get(e)), e.name()));
        }
        return List.of(
                input(i -> i.blockId(CAUGHT)
                        .label(plainText("Was it caught before any user saw it?"))
                        .element(radioButtons(r -> r.actionId(CAUGHT).options(yesNo())))),
                input(i -> i.blockId(BREADTH)
                        .label(plainText("How broad is the impact?"))
                        .element(radioButtons(r -> r.actionId(BREADTH)
                                .options(List.of(
                                        option(plainText("One user"), Breadth.ONE_USER.name()),
                                        option(plainText("A limited group"), Breadth.LIMITED.name()),
                                        option(
                                                plainText("Broad and still happening"),
                                                Breadth.BROAD_ONGOING.name())))))),
                input(i -> i.blockId(EXPOSURE)
                        .optional(true)
                        .label(plainText("Is there financial, legal, security, privacy or safety-sensitive exposure?"))
                        .hint(plainText("Tick every kind that applies; leave empty for none."))
                        .element(checkboxes(c -> c.actionId(EXPOSURE).options(exposures)))),
                input(i -> i.blockId(IRREVERSIBLE)
                        .label(plainText(
                                "Were irreversible actions taken? (money sent, records deleted, messages sent)"))
                        .element(radioButtons(r -> r.actionId(IRREVERSIBLE).options(yesNo())))),
                input(i -> i.blockId(CORRECTABLE)
                        .label(plainText("Is there a clear correction path?"))
                        .element(radioButtons(r -> r.actionId(CORRECTABLE).options(yesNo())))));
    }

    private static List<OptionObject> yesNo() {
        return List.of(option(plainText("Yes"), "yes"), option(plainText("No"), "no"));
    }

    /** The answers in a submitted form, or the errors to show next to the questions left unanswered. */
    public record Submitted(
            Optional<Answers> answers,
            Optional<String> title,
            Optional<String> description,
            Optional<String> channel,
            Map<String, String> errors) {}

    /** True when the new-incident form's "Private incident" box was ticked. */
    public static boolean privateIncident(ViewState state) {
        return Optional.ofNullable(Forms.values(state).get(PRIVATE))
                .map(b -> b.get(PRIVATE))
                .map(ViewState.Value::getSelectedOptions)
                .map(options -> options.stream().anyMatch(o -> PRIVATE.equals(o.getValue())))
                .orElse(false);
    }

    /** Reads a submitted form's state. */
    public static Submitted read(ViewState state, boolean newIncident) {
        Map<String, Map<String, ViewState.Value>> values = Forms.values(state);
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<String> title = Forms.text(state, TITLE);
        if (newIncident && title.isEmpty()) {
            errors.put(TITLE, "Say in a few words what went wrong.");
        }
        Optional<Boolean> caught = Forms.selected(state, CAUGHT).map("yes"::equals);
        Optional<Breadth> breadth = Forms.selected(state, BREADTH).flatMap(v -> {
            try {
                return Optional.of(Breadth.valueOf(v));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
        Optional<Boolean> irreversible = Forms.selected(state, IRREVERSIBLE).map("yes"::equals);
        Optional<Boolean> correctable = Forms.selected(state, CORRECTABLE).map("yes"::equals);
        caught.ifPresentOrElse(x -> {}, () -> errors.put(CAUGHT, "Answer yes or no."));
        breadth.ifPresentOrElse(x -> {}, () -> errors.put(BREADTH, "Pick how broad the impact is."));
        irreversible.ifPresentOrElse(x -> {}, () -> errors.put(IRREVERSIBLE, "Answer yes or no."));
        correctable.ifPresentOrElse(x -> {}, () -> errors.put(CORRECTABLE, "Answer yes or no."));
        Set<Exposure> exposures = EnumSet.noneOf(Exposure.class);
        Optional.ofNullable(values.get(EXPOSURE))
                .map(b -> b.get(EXPOSURE))
                .map(ViewState.Value::getSelectedOptions)
                .ifPresent(options -> options.forEach(o -> {
                    try {
                        exposures.add(Exposure.valueOf(o.getValue()));
                    } catch (IllegalArgumentException ignored) {
                        errors.put(EXPOSURE, "Unknown kind of exposure.");
                    }
                }));
        Optional<Answers> answers = errors.isEmpty()
                ? Optional.of(
                        new Answers(caught.get(), breadth.get(), exposures, irreversible.get(), correctable.get()))
                : Optional.empty();
        Optional<String> channel = Optional.ofNullable(values.get(CHANNEL))
                .map(b -> b.get(CHANNEL))
                .map(ViewState.Value::getSelectedConversation)
                .filter(c -> !c.isBlank());
        return new Submitted(answers, title, Forms.text(state, DESCRIPTION), channel, errors);
    }

    /** One line saying what the assessment derived, for confirmations. */
    public static String summary(ImpactAssessment.Result result) {
        return "*" + result.severity().label() + "* because " + result.reason();
    }
}
