#!/usr/bin/env python3
"""Builds the OTLP fixtures in this folder from the reference payloads in ../reference/agent-traces/.

Run from this folder: python3 make_fixtures.py. The output is committed; this script only documents how it
was made, so that every attribute value in it can be traced back to a real payload.
"""
import json
from datetime import datetime

REF = "../reference/agent-traces/"


def nanos(iso):
    return str(int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000) * 1_000_000)


def attr(key, value):
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": value}}


def openinference_jaeger_v3():
    """The OpenAI Agents run of Langfuse's fixture as Jaeger API v3 returns it: each observation's OpenTelemetry
    attributes (kept by Langfuse in metadata.attributes, OpenInference conventions) back on its span."""
    trace = json.load(open(REF + "langfuse/openai-agents-2025-09-30.trace.json"))
    spans = []
    resource = None
    for o in trace["observations"]:
        meta = json.loads(o["metadata"])
        resource = meta["resourceAttributes"]
        span = {"traceId": o["traceId"], "spanId": o["id"], "name": o["name"], "kind": 1,
                "startTimeUnixNano": nanos(o["startTime"]), "endTimeUnixNano": nanos(o["endTime"]),
                "attributes": [attr(k, v) for k, v in meta["attributes"].items()], "status": {}}
        if o["parentObservationId"]:
            span["parentSpanId"] = o["parentObservationId"]
        spans.append(span)
    return {"result": {"resourceSpans": [{
        "resource": {"attributes": [attr(k, v) for k, v in resource.items()]},
        "scopeSpans": [{"scope": {"name": "openinference.instrumentation.openai_agents", "version": "1.3.0"},
                        "spans": spans}]}]}}


def genai_tempo_v2():
    """The GenAI semantic conventions' "Tool calls (functions)" example as a Tempo v2 trace: the two inference
    spans carry the example's message and tool-definition JSON verbatim; around them an agent span with an
    approval event (the convention in docs/evidence.md), the tool execution, and a retrieval that found nothing."""
    def text(name):
        return open(REF + "otel-genai/" + name).read()
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    t0 = 1764000000000000000
    def span(span_id, parent, name, start, end, attrs, events=None, status=None):
        s = {"traceId": trace_id, "spanId": span_id, "name": name, "kind": 1,
             "startTimeUnixNano": str(t0 + start * 1_000_000), "endTimeUnixNano": str(t0 + end * 1_000_000),
             "attributes": [attr(k, v) for k, v in attrs]}
        if parent:
            s["parentSpanId"] = parent
        if events:
            s["events"] = events
        s["status"] = status or {}
        return s
    spans = [
        span("a1b2c3d4e5f60001", None, "invoke_agent weather_assistant", 0, 2400, [
            ("gen_ai.operation.name", "invoke_agent"), ("gen_ai.agent.name", "weather_assistant"),
            ("gen_ai.agent.version", "2.3.0"), ("gen_ai.prompt.name", "weather-assistant-system")],
            events=[{"timeUnixNano": str(t0 + 900 * 1_000_000), "name": "approval",
                     "attributes": [attr("approval.decision", "rejected"), attr("approval.approver", "U024BE7LH"),
                                    attr("approval.action", "send_weather_alert"),
                                    attr("approval.reason", "alerts need a forecast, not a current reading")]}]),
        span("a1b2c3d4e5f60002", "a1b2c3d4e5f60001", "chat gpt-4", 10, 700, [
            ("gen_ai.operation.name", "chat"), ("gen_ai.provider.name", "openai"), ("gen_ai.request.model", "gpt-4"),
            ("gen_ai.input.messages", text("tool-call-span1.gen_ai.input.messages.json")),
            ("gen_ai.output.messages", text("tool-call-span1.gen_ai.output.messages.json")),
            ("gen_ai.tool.definitions", text("tool-call-span1.gen_ai.tool.definitions.json"))]),
        span("a1b2c3d4e5f60003", "a1b2c3d4e5f60001", "retrieval city-facts", 710, 800, [
            ("gen_ai.operation.name", "retrieval"), ("gen_ai.data_source.id", "city-facts"),
            ("gen_ai.retrieval.query.text", "Paris weather"), ("gen_ai.retrieval.documents", "[]")]),
        span("a1b2c3d4e5f60004", "a1b2c3d4e5f60001", "execute_tool get_weather", 810, 1100, [
            ("gen_ai.operation.name", "execute_tool"), ("gen_ai.tool.name", "get_weather"),
            ("gen_ai.tool.call.id", "call_VSPygqKTWdrhaFErNvMV18Yl"), ("gen_ai.tool.type", "function"),
            ("gen_ai.tool.call.arguments", "{\"location\": \"Paris\"}"), ("gen_ai.tool.call.result", "rainy, 57°F")]),
        span("a1b2c3d4e5f60005", "a1b2c3d4e5f60001", "chat gpt-4", 1110, 2300, [
            ("gen_ai.operation.name", "chat"), ("gen_ai.provider.name", "openai"), ("gen_ai.request.model", "gpt-4"),
            ("gen_ai.input.messages", text("tool-call-span2.gen_ai.input.messages.json")),
            ("gen_ai.output.messages", text("tool-call-span2.gen_ai.output.messages.json"))]),
    ]
    return {"trace": {"resourceSpans": [{
        "resource": {"attributes": [attr("service.name", "weather-assistant")]},
        "scopeSpans": [{"scope": {"name": "weather-assistant"}, "spans": spans}]}]}, "status": "COMPLETE"}


def write(name, value):
    with open(name, "w") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write("\n")


write("openinference-jaeger-v3.trace.json", openinference_jaeger_v3())
write("genai-tempo-v2.trace.json", genai_tempo_v2())
