package io.firebreak.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Fixtures;
import org.junit.jupiter.api.Test;

class SlackSignerTest {

    @Test
    void signsSlacksDocumentedExampleExactlyAsSlackDoes() {
        String body = Fixtures.read("slack/slash_command_form.txt");
        SlackSigner signer = new SlackSigner(new Secret("8f742231b10e8888abcd99yyyzzz85a5"));

        assertThat(body).hasSize(362);
        assertThat(signer.sign(1531420618L, body))
                .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
        assertThat(signer.sign(1531420618L, body + "\n"))
                .isEqualTo("v0=cd6e978e01f84942f68ed6beb6ebb6b8211482e1482d56db2a154700186df710");
        assertThat(signer.sign(1531420619L, body))
                .isEqualTo("v0=ffbf8ca586db401fa71716579fba59aea718787d68572406a7236da28a871144");
    }
}
