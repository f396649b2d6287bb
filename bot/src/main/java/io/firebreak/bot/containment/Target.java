package io.firebreak.bot.containment;

import io.firebreak.bot.platform.outbound.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A system that containment actions call: where it is, how to authenticate, and how patiently to call it.
 *
 * @param name             how responders call it, e.g. "the agent control API"; used in every outcome message
 * @param baseUrl          the base URL without a trailing slash; as written in the catalog when a variable is missing
 * @param headers          sent with every request, including the credentials
 * @param secrets          values that must never be recorded or shown: every environment value used in credentials
 *                         or headers, and the headers built from them
 * @param missingVariables environment variables the target needs but that are not set; while any is missing, its
 *                         actions are refused with a message naming them
 */
public record Target(
        String id,
        String name,
        String baseUrl,
        Map<String, String> headers,
        Set<String> secrets,
        List<String> missingVariables,
        Duration connectTimeout,
        Duration timeout,
        RetryPolicy retry) {

    public Target {
        headers = Map.copyOf(headers);
        secrets = Set.copyOf(secrets);
        missingVariables = List.copyOf(missingVariables);
    }

    public boolean configured() {
        return missingVariables.isEmpty();
    }

    /** Why its actions cannot run, e.g. "the agent control API is not configured: set AGENT_CONTROL_URL". */
    public String notConfigured() {
        return name + " is not configured: set " + String.join(" and ", missingVariables);
    }
}
