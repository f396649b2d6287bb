package io.firebreak.bot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The checker every Slack test runs: it names each broken rule, and lets through what Slack accepts. */
class BlockKitConformanceTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void eachBrokenMessageRuleIsNamedWithWhereItIs() {
        ArrayNode blocks = mapper.createArrayNode();
        blocks.add(header("h".repeat(151)));
        ObjectNode fields = blocks.addObject().put("type", "section");
        for (int i = 0; i < 11; i++) {
            fields.withArray("fields").add(mrkdwn(i == 3 ? "f".repeat(2001) : "ok"));
        }
        blocks.addObject().put("type", "section").set("text", mrkdwn("s".repeat(3001)));
        blocks.addObject().put("type", "section").set("text", mrkdwn("cut in a link <https://example.com|the run…"));
        blocks.addObject().put("type", "section").set("text", mrkdwn("Tom &am…"));
        ObjectNode button = mapper.createObjectNode().put("type", "button").put("value", "v".repeat(2001));
        button.set("text", plain("b".repeat(76)));
        ObjectNode select = mapper.createObjectNode().put("type", "static_select");
        select.set("placeholder", plain("p".repeat(151)));
        select.withArray("options").addObject().put("value", "o".repeat(151)).set("text", plain("Move"));
        blocks.addObject()
                .put("type", "actions")
                .withArray("elements")
                .add(button)
                .add(select);
        while (blocks.size() < 51) {
            blocks.addObject().put("type", "divider");
        }
        BlockKitConformance check = new BlockKitConformance();

        check.message("chat.postMessage", mapper.getNodeFactory().textNode("t".repeat(4001)), blocks);

        assertThat(check.problems())
                .containsExactlyInAnyOrder(
                        "chat.postMessage text: POST: Slack advises keeping message text within 4,000 characters (is 4001)",
                        "chat.postMessage blocks: BLOCKS: up to 50 blocks in each message (has 51)",
                        "chat.postMessage blocks[0].text: BLOCKS header: plain_text, max 150 (is 151)",
                        "chat.postMessage blocks[1].fields: BLOCKS section: fields, maximum number of items is 10 (has 11)",
                        "chat.postMessage blocks[1].fields[3]: BLOCKS section: each field max 2000 (is 2001)",
                        "chat.postMessage blocks[2].text: BLOCKS section: text max 3000 (is 3001)",
                        "chat.postMessage blocks[3].text: FORMATTING: a <…> link or mention at character 14 is not closed",
                        "chat.postMessage blocks[4].text: FORMATTING: an entity was cut at character 4",
                        "chat.postMessage blocks[5].elements[0].text: ELEMENTS button: text, plain_text, max 75 (is 76)",
                        "chat.postMessage blocks[5].elements[0].value: ELEMENTS button: value max 2000 (is 2001)",
                        "chat.postMessage blocks[5].elements[1].placeholder: ELEMENTS select: placeholder, plain_text, max 150 (is 151)",
                        "chat.postMessage blocks[5].elements[1].options[0].value: OBJECTS option: value max 150 (is 151)");
    }

    @Test
    void eachBrokenModalRuleIsNamed() {
        ObjectNode view = mapper.createObjectNode().put("type", "modal").put("private_metadata", "m".repeat(3001));
        view.set("title", plain("Contain INC-123456789012345"));
        ObjectNode input = view.withArray("blocks").addObject().put("type", "input");
        input.set("label", plain("Reason"));
        ObjectNode element = input.putObject("element").put("type", "plain_text_input");
        element.set("placeholder", plain("e.g. " + "x".repeat(170)));
        BlockKitConformance check = new BlockKitConformance();

        check.view("views.open", view);

        assertThat(check.problems())
                .containsExactlyInAnyOrder(
                        "views.open view.private_metadata: MODAL/HOME: private_metadata max 3000 (is 3001)",
                        "views.open view.title: MODAL: title, plain_text, max 24 (is 27)",
                        "views.open view.submit: MODAL: submit is required when an input block is within the blocks array",
                        "views.open view.blocks[0].element.placeholder: ELEMENTS plain_text_input: placeholder max 150 (is 175)");
    }

    @Test
    void whatSlackAcceptsPassesAndTheStandInFailsATestOnWhatItWouldRefuse() {
        ArrayNode blocks = mapper.createArrayNode();
        blocks.add(header("INC-1 · Refund agent sent wrong refunds"));
        blocks.addObject()
                .put("type", "section")
                .set("text", mrkdwn("<@U024BE7LH> &amp; <https://example.com|the run> > quoted"));
        BlockKitConformance check = new BlockKitConformance();
        check.message("chat.postMessage", mapper.getNodeFactory().textNode("INC-1 &lt;script&gt;"), blocks);
        assertThat(check.problems()).isEmpty();

        SlackApiStub slack = new SlackApiStub();
        slack.recordAnswer("answer to /incident list", "{\"text\": \"" + "x".repeat(4001) + "\"}");
        Throwable closing = catchThrowable(slack::close);

        assertThat(closing)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Slack would refuse 1 part(s)")
                .hasMessageContaining(
                        "answer to /incident list text: POST: Slack advises keeping message text within 4,000 characters");
    }

    private ObjectNode header(String text) {
        ObjectNode header = mapper.createObjectNode().put("type", "header");
        header.set("text", plain(text));
        return header;
    }

    private ObjectNode plain(String text) {
        return mapper.createObjectNode().put("type", "plain_text").put("text", text);
    }

    private JsonNode mrkdwn(String text) {
        return mapper.createObjectNode().put("type", "mrkdwn").put("text", text);
    }
}
