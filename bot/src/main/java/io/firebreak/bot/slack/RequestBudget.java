package io.firebreak.bot.slack;

import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.MessageShortcutRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import io.firebreak.bot.platform.metrics.Metrics;
import io.firebreak.storage.Budget;
import io.firebreak.storage.Budgets;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Slack request's deadline, the one mechanism for all commands, buttons, modals and shortcuts: its work (waiting
 * for a connection, the transaction, the answer) runs on a worker under a {@link Budget} counted from the request's
 * arrival at Jetty, while the request's own thread waits at most until the deadline. Past it the person is told the
 * truth at once: "busy, nothing was changed" when nothing was written (and from then on nothing will be: the budget
 * hands out no connection and refuses writes), "may have been saved" when something may have been. A request that
 * fails because no connection was free in time is answered the same way, never as storage being unavailable.
 */
public final class RequestBudget implements Middleware {
    private static final Logger log = LoggerFactory.getLogger(RequestBudget.class);

    private final Duration length;
    private final Budgets budgets;
    private final ExecutorService workers;
    private final BusyAnswers answers;
    private final SlackWebApi slack;
    private final Executor afterAck;
    private final Metrics metrics;
    private final ThreadLocal<Long> arrivals = new ThreadLocal<>();

    /**
     * @param length   how long a request may take, within Slack's 3 s ({@code FIREBREAK_REQUEST_BUDGET})
     * @param workers  where the requests' work runs; its size bounds how many are worked on at once
     * @param afterAck where answers to buttons and shortcuts are posted from, after the ack
     */
    public RequestBudget(
            Duration length,
            Budgets budgets,
            ExecutorService workers,
            BusyAnswers answers,
            SlackWebApi slack,
            Executor afterAck,
            Metrics metrics) {
        this.length = length;
        this.budgets = budgets;
        this.workers = workers;
        this.answers = answers;
        this.slack = slack;
        this.afterAck = afterAck;
        this.metrics = metrics;
    }

    /** The servlet filter that tells this middleware when Jetty received the request, so time queued counts. */
    public HttpFilter arrivals() {
        return new HttpFilter() {
            @Override
            protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                arrivals.set(arrival(req));
                try {
                    chain.doFilter(req, res);
                } finally {
                    arrivals.remove();
                }
            }
        };
    }

    @Override
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        long arrived = Optional.ofNullable(arrivals.get()).orElseGet(System::nanoTime);
        boolean rehearsal = budgets.current().filter(Budget::rehearsal).isPresent();
        Budget budget = Budget.of(arrived, length, rehearsal);
        Future<Response> work = workers.submit(() -> budgets.within(budget, () -> {
            try {
                return chain.next(req);
            } catch (Exception e) {
                throw new Failed(e);
            }
        }));
        boolean opening = opening(req);
        try {
            return work.get(Math.max(0, budget.remaining().toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            boolean maybeWritten = budget.expire();
            metrics.pastBudget(kind(req), maybeWritten ? "maybe_saved" : "busy");
            log.warn(
                    "a Slack request ran past its {} ms budget; answered that {}",
                    length.toMillis(),
                    maybeWritten ? "it may have been saved" : "nothing was changed");
            return answer(req, maybeWritten ? answers.maybeSaved(opening) : answers.busy(opening));
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause() instanceof Failed f ? f.getCause() : failed.getCause();
            Optional<String> text = answers.forFailure(cause, opening, budget.wrote());
            if (text.isEmpty()) {
                throw cause instanceof Exception e ? e : new IllegalStateException(cause);
            }
            log.warn(
                    "a Slack request failed ({}); answered: {}",
                    cause.getClass().getSimpleName(),
                    text.get());
            return answer(req, text.get());
        }
    }

    /** The person's answer, in the form the kind of request allows. */
    private Response answer(Request<?> req, String text) {
        if (req instanceof SlashCommandRequest) {
            return Response.json(200, Map.of("response_type", "ephemeral", "text", text));
        }
        if (req instanceof ViewSubmissionRequest) {
            return Response.json(200, Map.of("response_action", "update", "view", messageView(text)));
        }
        responseUrl(req).ifPresent(url -> afterAck.execute(() -> slack.respond(url, text)));
        return Response.ok();
    }

    private static Optional<String> responseUrl(Request<?> req) {
        if (req instanceof BlockActionRequest r) {
            return Optional.ofNullable(r.getPayload().getResponseUrl());
        }
        if (req instanceof MessageShortcutRequest r) {
            return Optional.ofNullable(r.getPayload().getResponseUrl());
        }
        return Optional.empty();
    }

    /** True for a request that opens an incident, so its answer can say "your incident was not opened". */
    private static boolean opening(Request<?> req) {
        if (req instanceof SlashCommandRequest r) {
            String text =
                    Optional.ofNullable(r.getPayload().getText()).orElse("").strip();
            return text.toLowerCase(Locale.ROOT).startsWith("open");
        }
        if (req instanceof BlockActionRequest r) {
            return r.getPayload().getActions().stream()
                    .anyMatch(a -> a.getActionId() != null && a.getActionId().contains("open"));
        }
        return false;
    }

    private static String kind(Request<?> req) {
        return req.getRequestType() == null
                ? "other"
                : req.getRequestType().name().toLowerCase(Locale.ROOT);
    }

    private static long arrival(HttpServletRequest req) {
        try {
            return ServletContextRequest.getServletContextRequest(req).getBeginNanoTime();
        } catch (RuntimeException e) {
            return System.nanoTime();
        }
    }

    /** Carries a checked exception of the chain out of the worker. */
    private static final class Failed extends RuntimeException {
        Failed(Exception cause) {
            super(cause);
        }
    }

    /** A modal that only says something: the answer to a form submitted past its deadline. */
    private static Map<String, Object> messageView(String text) {
        return Map.of(
                "type",
                "modal",
                "title",
                Map.of("type", "plain_text", "text", "Not done"),
                "close",
                Map.of("type", "plain_text", "text", "Close"),
                "blocks",
                List.of(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text))));
    }
}
