package io.firebreak.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WithoutBotTokenTest {

    @Test
    void commandsWorkAndNothingIsSentToSlackWhenNoTokenIsSet() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", null);
        try (TestBot bot = TestBot.start(env)) {
            assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                    .contains("INC-1");
            assertThat(bot.text(bot.command("open low Second"))).contains("INC-2");
            JobQueue.awaitSettled(bot);

            assertThat(bot.count("select count(*) from incident")).isEqualTo(2);
            assertThat(bot.slack().calls("chat.postMessage")).isEmpty();
        }
    }
}
