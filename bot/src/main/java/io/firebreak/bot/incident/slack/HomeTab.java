package io.firebreak.bot.incident.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.view.Views.view;

import com.slack.api.bolt.App;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.event.AppHomeOpenedEvent;
import com.slack.api.model.view.View;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.SlackApp;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.incident.Incident;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The App Home tab: when someone opens it ({@code app_home_opened}), publishes ({@code views.publish}) the
 * open incidents, those they command first, then the rest most severe first, each with severity, phase,
 * age and commander. Always within Slack's 100 blocks per view.
 */
public final class HomeTab implements SlackFeature {
    /** Slack's limit for the blocks of a home tab. */
    static final int MAX_BLOCKS = 100;

    private static final int TITLE_MAX = 200;

    private final IncidentService incidents;
    private final SlackWebApi slack;
    private final Executor afterAck;
    private final Clock clock;
    private final io.firebreak.bot.access.Visibility visibility;
    private final io.firebreak.bot.access.Tenancy tenancy;

    public HomeTab(
            IncidentService incidents,
            SlackWebApi slack,
            Executor afterAck,
            Clock clock,
            io.firebreak.bot.access.Visibility visibility,
            io.firebreak.bot.access.Tenancy tenancy) {
        this.visibility = visibility;
        this.tenancy = tenancy;
        this.incidents = incidents;
        this.slack = slack;
        this.afterAck = afterAck;
        this.clock = clock;
    }

    @Override
    public void register(App app) {
        app.event(AppHomeOpenedEvent.class, (req, ctx) -> {
            AppHomeOpenedEvent event = req.getEvent();
            // The event also fires for the Messages tab, which Firebreak leaves alone.
            if (event.getUser() != null && (event.getTab() == null || "home".equals(event.getTab()))) {
                io.firebreak.bot.access.Workspace workspace =
                        io.firebreak.bot.slack.SlackWorkspace.of(ctx.getTeamId(), ctx.getEnterpriseId());
                afterAck.execute(() -> SlackApp.runQuietly(() -> publish(event.getUser(), workspace)));
            }
            return ctx.ack();
        });
    }

    /** Publishes {@code user}'s home tab in {@code workspace} as of now: that workspace's incidents only. */
    public void publish(String user, io.firebreak.bot.access.Workspace workspace) {
        List<Incident> open = visibility.visibleTo(user, incidents.listOpen(tenancy.visibleTo(workspace)));
        View home = view(v -> v.type("home").blocks(blocks(user, open, clock.instant())));
        slack.forWorkspace(workspace)
                .call("views.publish", m -> m.viewsPublish(r -> r.userId(user).view(home)));
    }

    /** The tab's blocks for {@code viewer}, given the open incidents most severe first. */
    static List<LayoutBlock> blocks(String viewer, List<Incident> open, Instant now) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText("Open incidents"))));
        blocks.add(context(c -> c.elements(List.of(
                markdownText("As of " + SlackText.date(now) + " · most severe first · reopen this tab to refresh")))));
        if (open.isEmpty()) {
            blocks.add(section(s ->
                    s.text(markdownText(":white_check_mark: No open incidents. `/incident open <title>` opens one."))));
            return blocks;
        }
        List<Incident> mine =
                open.stream().filter(i -> i.commander().equals(viewer)).toList();
        List<Incident> others =
                open.stream().filter(i -> !i.commander().equals(viewer)).toList();
        // Each entry is a block; incident blocks are counted, so a cut can say how many were left out.
        List<LayoutBlock> entries = new ArrayList<>();
        List<Boolean> isIncident = new ArrayList<>();
        if (!mine.isEmpty()) {
            add(entries, isIncident, section(s -> s.text(markdownText("*You command* (" + mine.size() + ")"))), false);
            mine.forEach(i -> add(entries, isIncident, incident(i, now), true));
        }
        if (!others.isEmpty()) {
            if (!mine.isEmpty()) {
                add(entries, isIncident, divider(), false);
            }
            String title = mine.isEmpty() ? "*All open incidents* (" : "*Other open incidents* (";
            add(entries, isIncident, section(s -> s.text(markdownText(title + others.size() + ")"))), false);
            others.forEach(i -> add(entries, isIncident, incident(i, now), true));
        }
        int room = MAX_BLOCKS - blocks.size();
        if (entries.size() <= room) {
            blocks.addAll(entries);
            return blocks;
        }
        // Keep one block for the note, and never end on a heading or divider with nothing under it.
        int keep = room - 1;
        while (keep > 0 && !isIncident.get(keep - 1)) {
            keep--;
        }
        blocks.addAll(entries.subList(0, keep));
        long shown = isIncident.subList(0, keep).stream().filter(b -> b).count();
        long hidden = open.size() - shown;
        blocks.add(context(c -> c.elements(List.of(markdownText("…and " + hidden + " more open incident"
                + (hidden == 1 ? "" : "s") + ". `/incident list` lists them.")))));
        return blocks;
    }

    private static void add(List<LayoutBlock> entries, List<Boolean> isIncident, LayoutBlock block, boolean incident) {
        entries.add(block);
        isIncident.add(incident);
    }

    /** One incident: key, severity, phase and age; its title; its commander and channel. */
    private static LayoutBlock incident(Incident incident, Instant now) {
        String text = "*" + incident.key() + "* · " + SlackText.severity(incident) + " · "
                + incident.phase().label()
                + " · open " + SlackText.age(incident.openedAt(), now) + "\n"
                + BlockKit.escaped(incident.title(), TITLE_MAX) + "\n"
                + "Commander " + BlockKit.cut(SlackText.user(incident.commander()), 300)
                + incident.channelId().map(c -> " · <#" + c + ">").orElse("");
        return section(s -> s.text(markdownText(text)));
    }
}
