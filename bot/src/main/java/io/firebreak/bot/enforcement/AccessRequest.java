package io.firebreak.bot.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.request.builtin.GlobalShortcutRequest;
import com.slack.api.bolt.request.builtin.MessageShortcutRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.incident.slack.AssessmentModal;
import io.firebreak.bot.slack.AccessMap;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * What one Slack request asks for, read from its payload exactly where the handlers read it: the action, who
 * asks (and from which workspace), and the text that names its incident (a slash command's arguments, a button's
 * {@code value}, a modal's {@code private_metadata}). A request that names no action (help, unknown words, events
 * Firebreak ignores) is empty and goes through unchecked: its handler answers without changing anything.
 *
 * @param incidentRef where an incident key or an action-run id may be: resolved by {@link AccessMiddleware}
 * @param typedKey    for slash commands, true when the incident comes from the arguments rather than the channel
 */
record AccessRequest(
        Action action,
        String userId,
        Optional<String> teamId,
        Optional<String> incidentRef,
        boolean typedKey,
        Optional<String> channelId,
        Optional<String> responseUrl) {

    /** Reads {@code req}; empty when it asks for nothing that needs deciding. */
    static Optional<AccessRequest> of(Request<?> req, String slashCommand, AccessMap controls, ObjectMapper mapper) {
        if (req instanceof SlashCommandRequest command) {
            var p = command.getPayload();
            if (p.getCommand() == null || !p.getCommand().equals(slashCommand)) {
                return Optional.empty();
            }
            String text = p.getText() == null ? "" : p.getText().trim();
            String[] words = text.split("\\s+", 3);
            String word = words[0].toLowerCase(Locale.ROOT);
            if (word.isEmpty() || word.equals("help")) {
                return Optional.empty();
            }
            Action action = controls.subcommands().getOrDefault(word, Action.OTHER_CHANGE);
            String first = words.length > 1 ? words[1] : "";
            boolean typed = io.firebreak.storage.incident.IncidentKey.looksLikeKey(first) && !first.isEmpty();
            // "contain INC-1" with nothing after the key lists the catalog: a read.
            boolean listing = action == Action.CONTAIN_FIRE && (typed ? words.length < 3 : words.length < 2);
            return Optional.of(new AccessRequest(
                    listing ? Action.READ_INCIDENT : action,
                    p.getUserId(),
                    Optional.ofNullable(p.getTeamId()),
                    typed ? Optional.of(first) : Optional.empty(),
                    typed,
                    Optional.ofNullable(p.getChannelId()),
                    Optional.ofNullable(p.getResponseUrl())));
        }
        if (req instanceof BlockActionRequest click) {
            var p = click.getPayload();
            if (p.getActions() == null || p.getActions().isEmpty()) {
                return Optional.empty();
            }
            var clicked = p.getActions().get(0);
            String ref = clicked.getValue() != null
                    ? clicked.getValue()
                    : clicked.getSelectedOption() != null
                            ? clicked.getSelectedOption().getValue()
                            : null;
            return Optional.of(new AccessRequest(
                    controls.blockActions().getOrDefault(clicked.getActionId(), Action.OTHER_CHANGE),
                    p.getUser().getId(),
                    team(
                            p.getUser().getTeamId(),
                            p.getTeam() == null ? null : p.getTeam().getId()),
                    Optional.ofNullable(ref),
                    true,
                    Optional.ofNullable(p.getChannel()).map(c -> c.getId()),
                    Optional.ofNullable(p.getResponseUrl())));
        }
        if (req instanceof ViewSubmissionRequest submission) {
            var p = submission.getPayload();
            String metadata =
                    Optional.ofNullable(p.getView().getPrivateMetadata()).orElse("");
            Action action = controls.views().getOrDefault(p.getView().getCallbackId(), Action.OTHER_CHANGE);
            if (action == Action.ASSESS && metadata.equals(AssessmentModal.NEW)) {
                action = Action.REPORT;
            }
            return Optional.of(new AccessRequest(
                    action,
                    p.getUser().getId(),
                    team(
                            p.getUser().getTeamId(),
                            p.getTeam() == null ? null : p.getTeam().getId()),
                    Optional.of(metadata),
                    true,
                    Optional.empty(),
                    Optional.empty()));
        }
        if (req instanceof GlobalShortcutRequest shortcut) {
            var p = shortcut.getPayload();
            return Optional.of(new AccessRequest(
                    controls.shortcuts().getOrDefault(p.getCallbackId(), Action.OTHER_CHANGE),
                    p.getUser().getId(),
                    team(
                            p.getUser().getTeamId(),
                            p.getTeam() == null ? null : p.getTeam().getId()),
                    Optional.empty(),
                    false,
                    Optional.empty(),
                    Optional.empty()));
        }
        if (req instanceof MessageShortcutRequest shortcut) {
            var p = shortcut.getPayload();
            return Optional.of(new AccessRequest(
                    controls.shortcuts().getOrDefault(p.getCallbackId(), Action.OTHER_CHANGE),
                    p.getUser().getId(),
                    team(
                            p.getUser().getTeamId(),
                            p.getTeam() == null ? null : p.getTeam().getId()),
                    Optional.empty(),
                    false,
                    Optional.ofNullable(p.getChannel()).map(c -> c.getId()),
                    Optional.ofNullable(p.getResponseUrl())));
        }
        if (req instanceof EventRequest event) {
            return event(event, mapper);
        }
        return Optional.empty();
    }

    private static Optional<AccessRequest> event(EventRequest req, ObjectMapper mapper) {
        JsonNode body;
        try {
            body = mapper.readTree(req.getRequestBodyAsString());
        } catch (IOException e) {
            return Optional.empty();
        }
        JsonNode event = body.path("event");
        Action action = switch (event.path("type").asText()) {
            case "app_home_opened" -> Action.READ_LIST;
            case "reaction_added", "reaction_removed" -> Action.CAPTURE;
            default -> null;
        };
        if (action == null || !event.path("user").isTextual()) {
            return Optional.empty();
        }
        String userTeam =
                event.path("user_team").isTextual() ? event.path("user_team").asText() : null;
        return Optional.of(new AccessRequest(
                action,
                event.path("user").asText(),
                team(
                        userTeam,
                        body.path("team_id").isTextual() ? body.path("team_id").asText() : null),
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.empty()));
    }

    /** The user's own workspace when the payload says (Slack Connect), else the request's. */
    private static Optional<String> team(String userTeam, String requestTeam) {
        return Optional.ofNullable(userTeam)
                .filter(t -> !t.isBlank())
                .or(() -> Optional.ofNullable(requestTeam).filter(t -> !t.isBlank()));
    }
}
