package io.firebreak.bot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import com.slack.api.bolt.response.Response;
import io.firebreak.bot.slack.MalformedPayloadFilter;
import io.firebreak.bot.web.HttpServer;
import io.firebreak.bot.web.JsonResponses;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The baselines Firebreak is compared with: a bare Bolt app served by Firebreak's own {@link HttpServer} (the same
 * Jetty 12, thread pool, size limit and filter), verifying Slack's signature as Firebreak does, whose handlers answer
 * the slash command, every block action and every view submission. The <b>bare</b> one only acks; the <b>durable</b>
 * one first stores each request with one {@code INSERT} (autocommit, into its own table in the same PostgreSQL) and
 * acks once it is committed: the least any app that stores a command before acking must do.
 */
final class BaselineBolt implements AutoCloseable {
    /** The durable baseline's own table, in the benchmark's database. */
    static final String TABLE = "bench_baseline_requests";

    private static final String INSERT =
            "insert into " + TABLE + " (kind, user_id, channel_id, text) values (?, ?, ?, ?)";

    private final HttpServer http;

    private BaselineBolt(HttpServer http) {
        this.http = http;
    }

    /**
     * Starts it on a free port, answering {@code command} and verifying requests with {@code signingSecret}; with
     * {@code store}, each request is inserted there (the table is created if missing) before the ack.
     */
    static BaselineBolt start(String signingSecret, String command, Optional<DataSource> store) throws Exception {
        if (store.isPresent()) {
            createTable(store.get());
        }
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setStatsEnabled(false);
        App app = new App(AppConfig.builder()
                .signingSecret(signingSecret)
                .singleTeamBotToken(null)
                .slack(Slack.getInstance(slackConfig))
                .allEventsApiAutoAckEnabled(true)
                .build());
        Pattern any = Pattern.compile(".*");
        app.command(command, (req, ctx) -> {
            var p = req.getPayload();
            return stored(store, "command", p.getUserId(), p.getChannelId(), p.getText(), ctx.ack());
        });
        app.blockAction(any, (req, ctx) -> {
            var p = req.getPayload();
            return stored(
                    store,
                    "action",
                    p.getUser().getId(),
                    p.getChannel() == null ? null : p.getChannel().getId(),
                    p.getActions().get(0).getValue(),
                    ctx.ack());
        });
        app.viewSubmission(any, (req, ctx) -> {
            var p = req.getPayload();
            return stored(store, "view", p.getUser().getId(), null, p.getView().getPrivateMetadata(), ctx.ack());
        });
        JsonResponses json = new JsonResponses(new ObjectMapper());
        // The same Slack endpoint set-up as Firebreak's: Bolt's servlet behind the malformed-payload filter.
        HttpServer http = new HttpServer(
                0,
                Map.of("/slack/events", new SlackAppServlet(app)),
                List.of(new HttpServer.PathFilter("/slack/events", new MalformedPayloadFilter(json))),
                json,
                Duration.ofSeconds(5));
        http.start();
        return new BaselineBolt(http);
    }

    /** {@code ack}, after the request is committed when there is a store. */
    private static Response stored(
            Optional<DataSource> store, String kind, String user, String channel, String text, Response ack) {
        if (store.isEmpty()) {
            return ack;
        }
        try (Connection c = store.get().getConnection();
                PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setString(1, kind);
            insert.setString(2, user);
            insert.setString(3, channel);
            insert.setString(4, text);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the durable baseline could not store the request", e);
        }
        return ack;
    }

    private static void createTable(DataSource store) throws SQLException {
        try (Connection c = store.getConnection();
                Statement s = c.createStatement()) {
            s.execute("create table if not exists " + TABLE + " (id bigserial primary key, kind text not null,"
                    + " user_id text, channel_id text, text text, received_at timestamptz not null default now())");
        }
    }

    /** How many requests the durable baseline stored. */
    static long storedCount(DataSource store) throws SQLException {
        try (Connection c = store.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("select count(*) from " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    int port() {
        return http.port();
    }

    @Override
    public void close() throws Exception {
        http.close();
    }
}
