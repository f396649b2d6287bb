package io.firebreak.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.firebreak.bot.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManifestTest {
    static final Path MANIFEST = Path.of("../manifests/slack-app.yml");
    static final Path SOCKET_MANIFEST = Path.of("../manifests/slack-app-socket.yml");

    private static JsonNode manifest() throws Exception {
        return read(MANIFEST);
    }

    private static JsonNode read(Path path) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path));
    }

    @Test
    void theSocketModeManifestValidatesAgainstSlacksManifestSchema() throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(Fixtures.read("slack/manifest/manifest.schema.1.0.0.json"));

        assertThat(schema.validate(read(SOCKET_MANIFEST))).isEmpty();
    }

    @Test
    void theSocketModeManifestIsTheHttpOneWithSocketModeOnAndNoRequestUrl() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode expected =
                (com.fasterxml.jackson.databind.node.ObjectNode) manifest().deepCopy();
        expected.path("features")
                .path("slash_commands")
                .forEach(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove("url"));
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        expected.path("settings").path("event_subscriptions"))
                .remove("request_url");
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        expected.path("settings").path("interactivity"))
                .remove("request_url");
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.path("settings")).put("socket_mode_enabled", true);
        // Installing into several workspaces redirects a browser to the bot's URL: the HTTP manifest's business.
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.path("oauth_config")).remove("redirect_urls");

        JsonNode socket = read(SOCKET_MANIFEST);

        assertThat(socket).isEqualTo(expected);
        assertThat(Files.readString(SOCKET_MANIFEST)).doesNotContain("url:");
    }

    @Test
    void validatesAgainstSlacksManifestSchema() throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(Fixtures.read("slack/manifest/manifest.schema.1.0.0.json"));

        Set<ValidationMessage> errors = schema.validate(manifest());

        assertThat(errors).isEmpty();
    }

    @Test
    void theSchemaCatchesABrokenManifest() throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(Fixtures.read("slack/manifest/manifest.schema.1.0.0.json"));
        com.fasterxml.jackson.databind.node.ObjectNode broken =
                (com.fasterxml.jackson.databind.node.ObjectNode) manifest().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        broken.path("features").path("slash_commands").get(0))
                .put("command", "incident");

        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void declaresTheCommandWithEscapingAndEveryUrlOnTheOneEndpoint() throws Exception {
        JsonNode manifest = manifest();
        JsonNode command = manifest.path("features").path("slash_commands").get(0);

        assertThat(command.path("command").asText()).isEqualTo("/incident");
        assertThat(command.path("should_escape").asBoolean()).isTrue();
        assertThat(command.path("url").asText()).endsWith("/slack/events");
        assertThat(manifest.path("settings")
                        .path("interactivity")
                        .path("is_enabled")
                        .asBoolean())
                .isTrue();
        assertThat(manifest.path("settings")
                        .path("interactivity")
                        .path("request_url")
                        .asText())
                .endsWith("/slack/events");
        assertThat(manifest.path("oauth_config").path("scopes").path("bot"))
                .extracting(JsonNode::asText)
                .contains(
                        "commands",
                        "chat:write",
                        "channels:manage",
                        "usergroups:read",
                        "groups:write",
                        "groups:read",
                        "channels:read");
        assertThat(manifest.path("features").path("shortcuts")).anySatisfy(s -> {
            assertThat(s.path("callback_id").asText()).isEqualTo("report_agent_incident");
            assertThat(s.path("type").asText()).isEqualTo("global");
        });
    }

    @Test
    void subscribesToTheEventsTimelineCaptureAndTheHomeTabNeedOnTheOneEndpoint() throws Exception {
        JsonNode events = manifest().path("settings").path("event_subscriptions");

        assertThat(events.path("request_url").asText()).isEqualTo("https://firebreak.example.com/slack/events");
        assertThat(events.path("bot_events"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(
                        "app_home_opened", "reaction_added", "reaction_removed", "app_uninstalled", "tokens_revoked");
        assertThat(manifest()
                        .path("features")
                        .path("app_home")
                        .path("home_tab_enabled")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void theOAuthInstallAsksForTheManifestsScopesAndComesBackToTheRegisteredRedirectUrl() throws Exception {
        JsonNode oauth = manifest().path("oauth_config");

        assertThat(oauth.path("scopes").path("bot"))
                .extracting(JsonNode::asText)
                .containsExactlyElementsOf(io.firebreak.bot.install.slack.InstallFlow.BOT_SCOPES);
        assertThat(oauth.path("redirect_urls"))
                .extracting(JsonNode::asText)
                .containsExactly(
                        "https://firebreak.example.com" + io.firebreak.bot.install.slack.InstallFlow.REDIRECT_PATH);
    }

    @Test
    void declaresTheMessageShortcutTheBotListensFor() throws Exception {
        JsonNode shortcuts = manifest().path("features").path("shortcuts");

        assertThat(shortcuts).anySatisfy(s -> {
            assertThat(s.path("type").asText()).isEqualTo("message");
            assertThat(s.path("callback_id").asText())
                    .isEqualTo(io.firebreak.bot.capture.slack.TimelineCapture.SHORTCUT);
            assertThat(s.path("name").asText()).isEqualTo("Add to incident timeline");
        });
    }

    @Test
    void asksForTheScopesTimelineCaptureNeeds() throws Exception {
        assertThat(manifest().path("oauth_config").path("scopes").path("bot"))
                .extracting(JsonNode::asText)
                // reactions:read delivers the pin events; the history scopes read a pinned message in public and
                // private channels; commands carries the shortcut; chat:write answers.
                .contains("reactions:read", "channels:history", "groups:history", "commands", "chat:write");
    }

    @Test
    void asksForTheScopesPagingNeeds() throws Exception {
        assertThat(manifest().path("oauth_config").path("scopes").path("bot"))
                .extracting(JsonNode::asText)
                // users.lookupByEmail maps PagerDuty's on-call people to Slack users by e-mail.
                .contains("users:read", "users:read.email");
    }
}
