package io.firebreak.bot.evidence;

import static io.firebreak.bot.evidence.TracingConventionsTest.TRACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.firebreak.storage.evidence.ParseStatus;
import io.firebreak.storage.evidence.TraceSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The postmortem names what ran: agent, version, workflow, prompt, model, input, output, tools, sources, snapshot. */
class PostmortemFactsTest {
    static final PostmortemFacts.Snapshot SNAPSHOT = new PostmortemFacts.Snapshot("INC-7", 2, "ab".repeat(32));

    @Test
    void theFactsOfARunNameWhatRanAndLinkTheFrozenSnapshot() {
        NormalizedRun run = TracingConventionsTest.normalize("openinference-flat");

        String md = PostmortemFacts.markdown(TRACE, run, SNAPSHOT, List.of());

        assertThat(md)
                .contains("**Run `" + TRACE + "`**: Run `" + TRACE
                        + "` was produced by agent `support-agent` version `2.3.0` "
                        + "with an unnamed prompt version `v7` on model `gpt-4o`.")
                .contains("- Agent: `support-agent`, version `2.3.0`")
                .contains("- Workflow: `support-agent` (5 steps)")
                .contains("- Prompt: not recorded, version `v7`")
                .contains("- Model: `gpt-4o`")
                .contains("- User input: “[{\"role\":\"system\"")
                .contains("- Final output: “[{\"role\":\"assistant\",\"content\":\"" + TracingConventionsTest.ANSWER
                        + "\"}]”")
                .contains("- Tool calls: `lookup_order` → ok")
                .contains("- Retrieved sources: orders-kb: 1 document(s)")
                .contains("- Approval decisions: none recorded")
                .contains("- Frozen snapshot: [snapshot 2](/api/incidents/INC-7/runs/" + TRACE + "), SHA-256 `"
                        + "ab".repeat(32) + "`");
    }

    @Test
    void thePromptVersionLiveBeforeARollbackIsNamed() {
        NormalizedRun run = TracingConventionsTest.normalize("langfuse-span-tool", TraceSource.LANGFUSE, TRACE);
        List<PostmortemFacts.PromptRollback> rollbacks =
                List.of(new PostmortemFacts.PromptRollback("refund-policy", "41", "42"));

        String md = PostmortemFacts.markdown(TRACE, run, SNAPSHOT, rollbacks);

        assertThat(md)
                .contains(
                        "- Prompt: not recorded, version not recorded; live before the rollback: `42` (rolled back to `41` during the incident)");
    }

    @Test
    void failedToolCallsComeFirst() {
        NormalizedRun run = TracingConventionsTest.normalize("tool-error-in-ok-span");

        String md = PostmortemFacts.markdown(TRACE, run, SNAPSHOT, List.of());

        assertThat(md)
                .contains("- Tool calls: `issue_refund` **failed**: permission denied: missing scope refunds:write; "
                        + "`send_email` **failed**: SMTP relay refused the message");
        assertThat(PostmortemFacts.summary(TRACE, run))
                .isEqualTo("Run `" + TRACE + "` was produced by agent `refund-agent` "
                        + "version `2.3.0` with an unnamed prompt (version not recorded) on model `gpt-4o`.");
    }

    @Test
    void inputAndOutputAreCutAndRedactedAndAMissingOneSaysWhy() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Map<EvidenceField, FieldValue> fields = new EnumMap<>(EvidenceField.class);
        fields.put(
                EvidenceField.USER_INPUT,
                FieldValue.present(
                        nodes.textNode("use key sk-live-abcdefghijklmnop1234 | then `rm`\n" + "x".repeat(1000)),
                        "trace.input"));
        fields.put(EvidenceField.FINAL_OUTPUT, FieldValue.missing("no output on the trace"));
        NormalizedRun run =
                new NormalizedRun(TraceSource.LANGFUSE, "r1", ParseStatus.PARSED, fields, List.of(), Optional.empty());

        String md = PostmortemFacts.markdown("r1", run, SNAPSHOT, List.of());

        String input = md.lines()
                .filter(l -> l.startsWith("- User input:"))
                .findFirst()
                .orElseThrow();
        assertThat(input)
                .doesNotContain("sk-live-abcdefghijklmnop1234")
                .contains("[REDACTED]")
                .contains("/ then 'rm' x")
                .hasSizeLessThan(PostmortemFacts.QUOTE + 40);
        assertThat(md)
                .contains("- Final output: missing (no output on the trace)")
                .contains("- Agent: not recorded, version not recorded");
    }
}
