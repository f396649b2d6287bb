package io.firebreak.bot.signals.slack;

import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;

import com.slack.api.model.block.LayoutBlock;
import io.firebreak.bot.signals.SignalService;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.storage.incident.Incident;
import java.util.List;

/** The card's signals: each with its source, how many alerts it counted and whether its source says resolved. */
public final class SignalsSection implements CardSection {
    static final int SHOWN = 5;

    private final SignalService signals;

    public SignalsSection(SignalService signals) {
        this.signals = signals;
    }

    @Override
    public List<LayoutBlock> blocks(Incident incident) {
        List<SignalService.View> views = signals.forIncident(incident.key());
        if (views.isEmpty()) {
            return List.of();
        }
        StringBuilder out =
                new StringBuilder("*Alerts* (" + views.size() + (views.size() == 1 ? " signal" : " signals") + ")\n");
        views.stream().limit(SHOWN).forEach(v -> {
            out.append("• ")
                    .append(
                            v.lastStatus().filter("resolved"::equals).isPresent()
                                    ? ":white_check_mark: "
                                    : ":rotating_light: ")
                    .append('*')
                    .append(BlockKit.escaped(v.signal().title(), 150))
                    .append("* from `")
                    .append(SlackText.escape(v.signal().source()))
                    .append("` · ")
                    .append(String.format("%,d alert%s", v.alerts(), v.alerts() == 1 ? "" : "s"));
            if (v.resolved() > 0) {
                out.append(String.format(" (%,d resolved)", v.resolved()));
            }
            if (v.lastStatus().filter("resolved"::equals).isPresent()) {
                out.append(" · resolved at the source");
            }
            out.append(" · SIG-").append(v.signal().id()).append('\n');
        });
        if (views.size() > SHOWN) {
            out.append("…and ")
                    .append(views.size() - SHOWN)
                    .append(" more: `GET /api/incidents/")
                    .append(incident.key())
                    .append("` lists every alert event");
        }
        return List.of(section(
                s -> s.text(markdownText(BlockKit.cut(out.toString().stripTrailing(), BlockKit.SECTION_TEXT)))));
    }
}
