package io.firebreak.bot.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.web.CachedBodyRequest;
import io.firebreak.bot.web.JsonResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Answers 400 to a Slack request whose JSON cannot be parsed, where Bolt would answer 500 as if the bot were
 * broken. The body is read once and handed on unchanged, so Bolt still verifies the signature over the exact bytes.
 */
public final class MalformedPayloadFilter extends HttpFilter {
    private final transient ObjectMapper mapper;
    private final transient JsonResponses json;

    public MalformedPayloadFilter(JsonResponses json) {
        this.json = json;
        this.mapper = json.mapper();
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(req.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        CachedBodyRequest cached = req instanceof CachedBodyRequest read
                ? read
                : new CachedBodyRequest(req, req.getInputStream().readAllBytes());
        Optional<String> problem = problem(new String(cached.body(), StandardCharsets.UTF_8));
        if (problem.isPresent()) {
            json.error(res, 400, problem.get());
            return;
        }
        chain.doFilter(cached, res);
    }

    private Optional<String> problem(String body) {
        String trimmed = body.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return parses(trimmed) ? Optional.empty() : Optional.of("the request body is not valid JSON");
        }
        for (String pair : body.split("&")) {
            if (pair.startsWith("payload=")) {
                String payload = URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8);
                return parses(payload) ? Optional.empty() : Optional.of("the payload field is not valid JSON");
            }
        }
        return Optional.empty();
    }

    private boolean parses(String text) {
        try {
            mapper.readTree(text);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
