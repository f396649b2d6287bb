package io.firebreak.bot.slack;

import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Modal forms: building them, and reading what was submitted. */
public final class Forms {
    /** Slack's limit for a modal title. */
    static final int TITLE_MAX = 24;

    private Forms() {}

    /**
     * A form with a submit button and Cancel.
     *
     * @param metadata what the submission handler needs to know (an incident key, a draft id); kept by Slack
     */
    public static View form(String callbackId, String metadata, String title, String submit, List<LayoutBlock> blocks) {
        return view(v -> v.type("modal")
                .callbackId(callbackId)
                .privateMetadata(metadata)
                .title(viewTitle(t -> t.type("plain_text").text(BlockKit.plain(title, BlockKit.VIEW_TITLE))))
                .submit(viewSubmit(s -> s.type("plain_text").text(BlockKit.plain(submit, BlockKit.VIEW_TITLE))))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(blocks));
    }

    /** A modal that only says something (a refusal, an outcome), with a Close button. */
    public static View message(String callbackId, String title, String mrkdwn) {
        return view(v -> v.type("modal")
                .callbackId(callbackId)
                .title(viewTitle(t -> t.type("plain_text").text(BlockKit.plain(title, BlockKit.VIEW_TITLE))))
                .close(viewClose(c -> c.type("plain_text").text("Close")))
                .blocks(List.of(section(s -> s.text(markdownText(BlockKit.cut(mrkdwn, BlockKit.SECTION_TEXT)))))));
    }

    /** The submitted value of action {@code action} in block {@code block}. */
    public static Optional<ViewState.Value> value(ViewState state, String block, String action) {
        return Optional.ofNullable(state)
                .map(ViewState::getValues)
                .map(values -> values.get(block))
                .map(actions -> actions.get(action));
    }

    /** Typed text, stripped; empty when blank. Block and action share the id {@code id}. */
    public static Optional<String> text(ViewState state, String id) {
        return value(state, id, id)
                .map(ViewState.Value::getValue)
                .map(String::strip)
                .filter(s -> !s.isEmpty());
    }

    /** The chosen option's value of a select or radio group whose block and action are both {@code id}. */
    public static Optional<String> selected(ViewState state, String id) {
        return value(state, id, id).map(ViewState.Value::getSelectedOption).map(ViewState.SelectedOption::getValue);
    }

    /** A state's values as Slack sent them, never null. */
    public static Map<String, Map<String, ViewState.Value>> values(ViewState state) {
        return state == null || state.getValues() == null ? Map.of() : state.getValues();
    }
}
