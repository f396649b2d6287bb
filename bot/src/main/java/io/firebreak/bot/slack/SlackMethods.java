package io.firebreak.bot.slack;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.impl.MethodsClientImpl;
import com.slack.api.util.json.GsonFactory;
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
 */
final class SlackMethods extends MethodsClientImpl {
    private final Gson gson;

    SlackMethods(Slack slack, String token) {
        super(slack.getHttpClient(), token);
        setEndpointUrlPrefix(slack.getConfig().getMethodsEndpointUrlPrefix());
        this.gson = GsonFactory.createSnakeCase(slack.getConfig());
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
