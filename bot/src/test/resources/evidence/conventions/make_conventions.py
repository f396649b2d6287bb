"""Makes the convention fixtures: one support-agent run (question, a lookup_order tool call, answer) written in
each tracing convention's documented attribute and event names. Run from this folder: python3 make_conventions.py"""
import base64
import json

QUESTION = "Where is my order 1234?"
ANSWER = "Your order 1234 shipped yesterday and arrives Friday."
SYSTEM = "You are the support agent. Answer from the order system only."
ARGS = {"order_id": "1234"}
RESULT = {"order_id": "1234", "status": "shipped", "eta": "Friday"}
T0 = 1767225600000000000  # 2026-01-01T00:00:00Z
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def v(x):
    if isinstance(x, bool):
        return {"boolValue": x}
    if isinstance(x, int):
        return {"intValue": str(x)}
    if isinstance(x, (dict, list)):
        return {"stringValue": json.dumps(x)}
    return {"stringValue": x}


def attrs(d):
    return [{"key": k, "value": v(x)} for k, x in d.items()]


def span(sid, parent, name, start, end, a, events=(), status=None):
    s = {"traceId": TRACE, "spanId": sid, "name": name, "kind": 1,
         "startTimeUnixNano": str(T0 + start * 1_000_000_000), "endTimeUnixNano": str(T0 + end * 1_000_000_000),
         "attributes": attrs(a), "status": status or {"code": 1}}
    if parent:
        s["parentSpanId"] = parent
    if events:
        s["events"] = [{"timeUnixNano": str(T0 + start * 1_000_000_000), "name": n, "attributes": attrs(ea)} for n, ea in events]
    return s


def tempo(spans, service="support-agent", version="2.3.0", trace_id=None):
    body = {"trace": {"resourceSpans": [{"resource": {"attributes": attrs({"service.name": service, "service.version": version})},
                                         "scopeSpans": [{"scope": {"name": "conventions"}, "spans": spans}]}]}}
    return body


def write(name, body):
    with open(name, "w") as f:
        json.dump(body, f, indent=1)
        f.write("\n")


# OpenLLMetry (Traceloop): indexed gen_ai.prompt/completion, llm.request.type, traceloop.span.kind / entity.*
write("openllmetry.trace.json", tempo([
    span("a000000000000001", None, "support.workflow", 0, 10, {
        "traceloop.span.kind": "workflow", "traceloop.workflow.name": "support", "traceloop.entity.name": "support"}),
    span("a000000000000002", "a000000000000001", "openai.chat", 1, 3, {
        "llm.request.type": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o",
        "traceloop.workflow.name": "support",
        "gen_ai.prompt.0.role": "system", "gen_ai.prompt.0.content": SYSTEM,
        "gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": QUESTION,
        "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.finish_reason": "tool_calls",
        "gen_ai.completion.0.tool_calls.0.id": "call_1", "gen_ai.completion.0.tool_calls.0.name": "lookup_order",
        "gen_ai.completion.0.tool_calls.0.arguments": json.dumps(ARGS)}),
    span("a000000000000003", "a000000000000001", "lookup_order.tool", 3, 4, {
        "traceloop.span.kind": "tool", "traceloop.entity.name": "lookup_order",
        "traceloop.entity.input": {"args": [], "kwargs": ARGS}, "traceloop.entity.output": RESULT}),
    span("a000000000000004", "a000000000000001", "openai.chat", 4, 6, {
        "llm.request.type": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
        "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": QUESTION,
        "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": ANSWER}),
]))

# Koog: the same indexed form, with the GenAI operation names and an agent span
write("koog.trace.json", tempo([
    span("b000000000000001", None, "run agent", 0, 10, {
        "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support-agent", "gen_ai.agent.version": "2.3.0"}),
    span("b000000000000002", "b000000000000001", "chat gpt-4o", 1, 3, {
        "gen_ai.operation.name": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
        "gen_ai.prompt.0.role": "system", "gen_ai.prompt.0.content": SYSTEM,
        "gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": QUESTION,
        "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": json.dumps([{"id": "call_1", "name": "lookup_order"}])}),
    span("b000000000000003", "b000000000000001", "lookup_order", 3, 4, {
        "gen_ai.tool.name": "lookup_order", "gen_ai.tool.call.id": "call_1",
        "gen_ai.tool.call.arguments": ARGS, "gen_ai.tool.call.result": RESULT}),
    span("b000000000000004", "b000000000000001", "chat gpt-4o", 4, 6, {
        "gen_ai.operation.name": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
        "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": QUESTION,
        "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": ANSWER}),
]))

# OpenLIT: gen_ai.content.prompt / gen_ai.content.completion span events
write("openlit.trace.json", tempo([
    span("c000000000000001", None, "chat gpt-4o", 1, 3, {
        "gen_ai.operation.name": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
        "gen_ai.agent.version": "2.3.0"},
        events=[("gen_ai.content.prompt", {"gen_ai.prompt": "system: " + SYSTEM + "\nuser: " + QUESTION}),
                ("gen_ai.content.completion", {"gen_ai.completion": ANSWER})]),
    span("c000000000000002", "c000000000000001", "lookup_order", 2, 3, {
        "gen_ai.tool.name": "lookup_order", "gen_ai.tool.call.id": "call_1",
        "gen_ai.tool.call.arguments": ARGS, "gen_ai.tool.call.result": RESULT}),
]))

# Semantic Kernel / older OTel GenAI events: gen_ai.system.message, gen_ai.user.message, gen_ai.choice
write("semantic-kernel.trace.json", tempo([
    span("d000000000000001", None, "chat.completions gpt-4o", 1, 3, {
        "gen_ai.operation.name": "chat.completions", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
        "gen_ai.response.finish_reason": "stop"},
        events=[("gen_ai.system.message", {"gen_ai.system": "openai", "gen_ai.event.content": {"role": "system", "content": SYSTEM}}),
                ("gen_ai.user.message", {"gen_ai.system": "openai", "gen_ai.event.content": {"role": "user", "content": QUESTION}}),
                ("gen_ai.tool.message", {"gen_ai.system": "openai", "gen_ai.event.content": {"content": json.dumps(RESULT), "id": "call_1"}}),
                ("gen_ai.choice", {"gen_ai.system": "openai", "gen_ai.event.content":
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": ANSWER}}})]),
    span("d000000000000002", "d000000000000001", "execute_tool lookup_order", 2, 3, {
        "gen_ai.tool.name": "lookup_order", "gen_ai.tool.call.id": "call_1",
        "gen_ai.tool.call.arguments": ARGS, "gen_ai.tool.call.result": RESULT}),
]))

# Vercel AI SDK: ai.* attributes, ai.operationId, ai.toolCall spans
write("vercel-ai.trace.json", tempo([
    span("e000000000000001", None, "ai.generateText", 0, 10, {
        "operation.name": "ai.generateText support-agent", "ai.operationId": "ai.generateText",
        "ai.telemetry.functionId": "support-agent", "ai.model.id": "gpt-4o", "ai.model.provider": "openai.chat",
        "ai.prompt": {"system": SYSTEM, "prompt": QUESTION}, "ai.response.text": ANSWER}),
    span("e000000000000002", "e000000000000001", "ai.generateText.doGenerate", 1, 3, {
        "operation.name": "ai.generateText.doGenerate support-agent", "ai.operationId": "ai.generateText.doGenerate",
        "ai.model.id": "gpt-4o", "gen_ai.system": "openai.chat", "gen_ai.request.model": "gpt-4o",
        "ai.prompt.messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": [{"type": "text", "text": QUESTION}]}],
        "ai.response.toolCalls": [{"toolCallType": "function", "toolCallId": "call_1", "toolName": "lookup_order", "args": json.dumps(ARGS)}]}),
    span("e000000000000003", "e000000000000001", "ai.toolCall", 3, 4, {
        "operation.name": "ai.toolCall support-agent", "ai.operationId": "ai.toolCall",
        "ai.toolCall.name": "lookup_order", "ai.toolCall.id": "call_1",
        "ai.toolCall.args": ARGS, "ai.toolCall.result": RESULT}),
    span("e000000000000004", "e000000000000001", "ai.generateText.doGenerate", 4, 6, {
        "ai.operationId": "ai.generateText.doGenerate", "ai.model.id": "gpt-4o", "gen_ai.request.model": "gpt-4o",
        "ai.prompt.messages": [{"role": "user", "content": [{"type": "text", "text": QUESTION}]}],
        "ai.response.text": ANSWER}),
]))

# OpenInference flattened messages: llm.input_messages.N.message.*, tool.name, retrieval.documents.N.document.*
write("openinference-flat.trace.json", tempo([
    span("f000000000000001", None, "support-agent", 0, 10, {"openinference.span.kind": "AGENT", "agent.name": "support-agent"}),
    span("f000000000000002", "f000000000000001", "ChatCompletion", 1, 3, {
        "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o", "llm.provider": "openai",
        "llm.prompt_template.template": "Answer {question} from the order system", "llm.prompt_template.version": "v7",
        "llm.prompt_template.variables": {"question": QUESTION},
        "llm.input_messages.0.message.role": "system", "llm.input_messages.0.message.content": SYSTEM,
        "llm.input_messages.1.message.role": "user", "llm.input_messages.1.message.content": QUESTION,
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.tool_calls.0.tool_call.id": "call_1",
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "lookup_order",
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": json.dumps(ARGS)}),
    span("f000000000000003", "f000000000000001", "lookup_order", 3, 4, {
        "openinference.span.kind": "TOOL", "tool.name": "lookup_order", "tool.description": "Looks an order up",
        "tool.parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}},
        "input.value": ARGS, "input.mime_type": "application/json", "output.value": RESULT}),
    span("f000000000000004", "f000000000000001", "orders-kb", 4, 5, {
        "openinference.span.kind": "RETRIEVER", "input.value": "order 1234 shipping",
        "retrieval.documents.0.document.id": "kb-17", "retrieval.documents.0.document.content": "Orders ship in 2 days.",
        "retrieval.documents.0.document.score": 0.82}),
    span("f000000000000005", "f000000000000001", "ChatCompletion", 5, 7, {
        "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o",
        "llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": QUESTION,
        "llm.output_messages.0.message.role": "assistant", "llm.output_messages.0.message.content": ANSWER}),
]))

# Tool spans marked only by gen_ai.tool.* attributes (no gen_ai.operation.name), model calls by gen_ai.request.model
write("genai-tool-attributes.trace.json", tempo([
    span("1000000000000001", None, "support", 0, 10, {}),
    span("1000000000000002", "1000000000000001", "llm", 1, 3, {
        "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
        "gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": QUESTION}]}],
        "gen_ai.output.messages": [{"role": "assistant", "parts": [{"type": "text", "content": ANSWER}]}]}),
    span("1000000000000003", "1000000000000001", "lookup_order", 2, 3, {
        "gen_ai.tool.name": "lookup_order", "gen_ai.tool.call.id": "call_1",
        "gen_ai.tool.call.arguments": ARGS, "gen_ai.tool.call.result": RESULT}),
]))

# Langfuse: a SPAN observation carrying gen_ai.tool.* attributes (as Langfuse keeps an OTel tool span)
write("langfuse-span-tool.trace.json", {
    "id": TRACE, "name": "support", "version": "2.3.0", "input": QUESTION, "output": ANSWER, "observations": [
        {"id": "o1", "traceId": TRACE, "type": "GENERATION", "name": "chat gpt-4o", "model": "gpt-4o", "level": "DEFAULT",
         "startTime": "2026-01-01T00:00:01Z", "endTime": "2026-01-01T00:00:03Z",
         "input": [{"role": "user", "content": QUESTION}], "output": {"role": "assistant", "content": ANSWER},
         "metadata": {"attributes": {"gen_ai.request.model": "gpt-4o"}}},
        {"id": "o2", "traceId": TRACE, "type": "SPAN", "name": "execute lookup_order", "parentObservationId": None, "level": "DEFAULT",
         "startTime": "2026-01-01T00:00:03Z", "endTime": "2026-01-01T00:00:04Z", "input": ARGS, "output": RESULT,
         "metadata": {"attributes": {"gen_ai.tool.name": "lookup_order", "gen_ai.tool.call.id": "call_1"}}}]})


# Tempo answering with base64 IDs (the protobuf bytes as JSON encodes them)
def b64(hexid):
    return base64.b64encode(bytes.fromhex(hexid)).decode()


tempo_b64 = tempo([
    span("2000000000000001", None, "agent", 0, 10, {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support-agent"}),
    span("2000000000000002", "2000000000000001", "chat gpt-4o", 1, 3, {
        "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
        "gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": QUESTION}]}],
        "gen_ai.output.messages": [{"role": "assistant", "parts": [{"type": "text", "content": ANSWER}]}]})])
for s in tempo_b64["trace"]["resourceSpans"][0]["scopeSpans"][0]["spans"]:
    s["traceId"] = b64(s["traceId"])
    s["spanId"] = b64(s["spanId"])
    if "parentSpanId" in s:
        s["parentSpanId"] = b64(s["parentSpanId"])
write("tempo-base64-ids.trace.json", tempo_b64)

# A tool that failed inside a span that succeeded, and an MCP error result in the model's messages
write("tool-error-in-ok-span.trace.json", tempo([
    span("3000000000000001", None, "refund agent", 0, 10, {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "refund-agent"}),
    span("3000000000000002", "3000000000000001", "execute_tool issue_refund", 1, 2, {
        "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "issue_refund", "gen_ai.tool.call.id": "call_9",
        "gen_ai.tool.call.arguments": {"order_id": "1234", "amount": 40},
        "gen_ai.tool.call.result": {"status": "error", "error": "permission denied: missing scope refunds:write"}}, status={"code": 1}),
    span("3000000000000003", "3000000000000001", "chat gpt-4o", 2, 3, {
        "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
        "gen_ai.input.messages": [
            {"role": "user", "parts": [{"type": "text", "content": "Refund order 1234 and email me"}]},
            {"role": "assistant", "parts": [{"type": "tool_call", "id": "call_10", "name": "send_email", "arguments": {"to": "a@example.com"}}]},
            {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_10", "response":
                {"isError": True, "content": [{"type": "text", "text": "SMTP relay refused the message"}]}}]}],
        "gen_ai.output.messages": [{"role": "assistant", "parts": [{"type": "text", "content": "Your refund is on its way."}]}]}),
]))

# A nested sub-agent whose last model call ends after the top-level agent's last turn
write("nested-subagent.trace.json", tempo([
    span("4000000000000001", None, "triage", 0, 20, {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "triage-agent"}),
    span("4000000000000002", "4000000000000001", "chat gpt-4o", 1, 2, {
        "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
        "gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": QUESTION}]}],
        "gen_ai.output.messages": [{"role": "assistant", "parts": [{"type": "text", "content": "Let me ask the orders agent."}]}]}),
    span("4000000000000003", "4000000000000001", "orders sub-agent", 2, 16, {
        "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "orders-agent"}),
    span("4000000000000004", "4000000000000003", "chat gpt-4o-mini", 3, 15, {
        "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": "order 1234 status"}]}],
        "gen_ai.output.messages": [{"role": "assistant", "parts": [{"type": "text", "content": "status=shipped (internal)"}]}]}),
    span("4000000000000005", "4000000000000001", "chat gpt-4o", 12, 14, {
        "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
        "gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": QUESTION}]}],
        "gen_ai.output.messages": [{"role": "assistant", "parts": [{"type": "text", "content": ANSWER}]}]}),
]))
