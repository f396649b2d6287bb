package io.firebreak.bot.slack;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.impl.MethodsClientImpl;
import com.slack.api.util.json.GsonFactory;
import io.firebreak.bot.platform.outbound.Redactor;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.FormBody;
import okhttp3.Response;

/**
 * The Slack SDK's Web API client with one change: answers are read with one {@link Gson}, built once. The SDK builds
 * a new Gson (and so looks up every type adapter again, by reflection) for each answer it reads; under load that was a
 * quarter of Firebreak's CPU (measured by {@code bench/run}), spent on card posts that compete with the acks.
 *
 * <p>And every argument of every Web API call passes through {@link Redactor} on its way out: the one place where
 * whatever a message, card, modal or postmortem carries (text from a trace, a user's note) is stripped of
 * credentials before Slack sees it.
 */
final class SlackMethods extends MethodsClientImpl {
    private final Gson gson;

    SlackMethods(Slack slack, String token) {
        super(slack.getHttpClient(), token);
        setEndpointUrlPrefix(slack.getConfig().getMethodsEndpointUrlPrefix());
        this.gson = GsonFactory.createSnakeCase(slack.getConfig());
    }

    @Override
    public Response runPostFormWithToken(FormBody.Builder form, String endpoint, String token) throws IOException {
        return super.runPostFormWithToken(redacted(form), endpoint, token);
    }

    /** A copy of {@code form} with each value redacted; the token travels in a header, not in the form. */
    static FormBody.Builder redacted(FormBody.Builder form) {
        FormBody body = form.build();
        String[] values = new String[body.size()];
        boolean changed = false;
        for (int i = 0; i < body.size(); i++) {
            String value = body.value(i);
            values[i] = Redactor.redact(value);
            changed |= !values[i].equals(value);
        }
        if (!changed) {
            return form; // encoding the form a second time is a cost every card update would pay for nothing
        }
        FormBody.Builder copy = new FormBody.Builder();
        for (int i = 0; i < body.size(); i++) {
            copy.add(body.name(i), values[i]);
        }
        return copy;
    }

    /** As the SDK does it (an error status throws, listeners run, headers are kept), with the shared Gson. */
    @Override
    protected <T extends SlackApiTextResponse> T postFormWithTokenAndParseResponse(
            FormBody.Builder form, String endpoint, String token, Class<T> type) throws IOException, SlackApiException {
        Response response = runPostFormWithToken(form, endpoint, token);
        String body = response.body().string();
        if (!response.isSuccessful()) {
            throw new SlackApiException(getSlackHttpClient().getConfig(), response, body);
        }
        T answer = gson.fromJson(body, type);
        if (answer != null) {
            answer.setHttpResponseHeaders(headers(response));
        }
        getSlackHttpClient().runHttpResponseListeners(response, body);
        return answer;
    }

    private static Map<String, List<String>> headers(Response response) {
        Map<String, List<String>> headers = new TreeMap<>();
        response.headers().toMultimap().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return headers;
    }
}
