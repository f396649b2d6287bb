package io.firebreak.bot.web;

import io.firebreak.bot.platform.outbound.Redactor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Passes every text answer (JSON, text, JSONL) through {@link Redactor} before it leaves: Slack acks and ephemeral
 * answers, and the read API. Answers for paths {@code exempt} names (raw evidence, kept byte for byte) and answers
 * that are not text go out untouched and unbuffered.
 */
public final class RedactingFilter extends HttpFilter {
    private final transient Predicate<String> exempt;

    /** @param exempt true for a request path (servlet path + path info) whose answer must stay byte-exact */
    public RedactingFilter(Predicate<String> exempt) {
        this.exempt = exempt;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (exempt.test(path)) {
            chain.doFilter(request, response);
            return;
        }
        Buffered buffered = new Buffered(response);
        chain.doFilter(request, buffered);
        buffered.finish();
    }

    private static boolean text(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("x-www-form-urlencoded");
    }

    /** Holds a text answer until the servlet is done, then writes it redacted; other answers stream through. */
    private static final class Buffered extends HttpServletResponseWrapper {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private ServletOutputStream stream;
        private PrintWriter writer;
        private Boolean passThrough;

        Buffered(HttpServletResponse response) {
            super(response);
        }

        /** Decided once, when the answer's body is first asked for, from its content type then. */
        private boolean holding() {
            if (passThrough == null) {
                passThrough = !text(getContentType());
            }
            return !passThrough;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (!holding()) {
                return super.getOutputStream();
            }
            if (stream == null) {
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) {
                        bytes.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        bytes.write(b, off, len);
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        throw new UnsupportedOperationException("redacted answers are written blocking");
                    }
                };
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (!holding()) {
                return super.getWriter();
            }
            if (writer == null) {
                writer = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
            }
            return writer;
        }

        @Override
        public void setContentLength(int len) {
            // The redacted answer has its own length, set when it is written.
        }

        @Override
        public void setContentLengthLong(long len) {}

        @Override
        public void flushBuffer() throws IOException {
            if (writer != null) {
                writer.flush();
            }
        }

        void finish() throws IOException {
            if (writer != null) {
                writer.flush();
            }
            if (bytes.size() == 0) {
                return;
            }
            byte[] out = Redactor.redact(bytes.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            HttpServletResponse real = (HttpServletResponse) getResponse();
            if (real.getCharacterEncoding() == null || real.getContentType() == null) {
                real.setCharacterEncoding("UTF-8");
            }
            real.setContentLength(out.length);
            real.getOutputStream().write(out);
        }
    }
}
