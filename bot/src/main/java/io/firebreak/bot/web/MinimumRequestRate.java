package io.firebreak.bot.web;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * Cuts off a request whose body arrives slower than a minimum rate, counted per request from the end of its headers:
 * the idle timeout alone lets a client that sends a byte every few seconds hold a worker for minutes. Jetty 12.0 no
 * longer enforces {@code HttpConfiguration.setMinRequestDataRate}, and its {@code MinimumDataRateHandler} counts the
 * bytes of every request together, so this one counts its own.
 */
final class MinimumRequestRate extends Handler.Wrapper {
    /** Not judged before this: a request's first packet may be small and late without meaning anything. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final long bytesPerSecond;

    MinimumRequestRate(long bytesPerSecond, Handler handler) {
        super(handler);
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(new Metered(request), response, callback);
    }

    /** A request that counts the body bytes read and refuses to wait for more once it has fallen below the rate. */
    private final class Metered extends Request.Wrapper {
        private long bytesRead;
        private Content.Chunk tooSlow;

        Metered(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (tooSlow != null) {
                return tooSlow;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                bytesRead += chunk.remaining();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            long elapsed = NanoTime.since(getHeadersNanoTime());
            if (elapsed >= GRACE.toNanos() && bytesRead * 1_000_000_000L / elapsed < bytesPerSecond) {
                HttpException.RuntimeException slow = new HttpException.RuntimeException(
                        408, "the request body arrived slower than " + bytesPerSecond + " bytes per second");
                slow.initCause(new TimeoutException(slow.getMessage()));
                tooSlow = Content.Chunk.from(slow);
                demandCallback.run();
                return;
            }
            super.demand(demandCallback);
        }
    }
}
