package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One response of a fetch as JSON.
 *
 * @param role what the response is, as the client that fetched it named it (e.g. {@code trace}, {@code tree})
 * @param roots the JSON values read from it (usually one; none when it could not be read)
 */
record ParsedPart(String role, List<JsonNode> roots) {}
