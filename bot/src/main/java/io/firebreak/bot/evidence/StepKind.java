package io.firebreak.bot.evidence;

import java.util.Locale;

/** What a step of a run did, across the backends' own vocabularies. */
enum StepKind {
    AGENT,
    CHAIN,
    LLM,
    TOOL,
    RETRIEVER,
    EMBEDDING,
    GUARDRAIL,
    EVENT,
    EVALUATOR,
    SPAN;

    /** Langfuse observation types, LangSmith run types and OpenInference span kinds. */
    static StepKind of(String type) {
        return switch (type == null ? "" : type.toUpperCase(Locale.ROOT)) {
            case "AGENT" -> AGENT;
            case "CHAIN", "WORKFLOW" -> CHAIN;
            case "GENERATION", "LLM" -> LLM;
            case "TOOL" -> TOOL;
            case "RETRIEVER", "RERANKER" -> RETRIEVER;
            case "EMBEDDING" -> EMBEDDING;
            case "GUARDRAIL" -> GUARDRAIL;
            case "EVENT" -> EVENT;
            case "EVALUATOR" -> EVALUATOR;
            default -> SPAN;
        };
    }

    /** OpenTelemetry GenAI {@code gen_ai.operation.name} values. */
    static StepKind ofGenAiOperation(String operation) {
        return switch (operation) {
            case "chat", "text_completion", "generate_content" -> LLM;
            case "execute_tool" -> TOOL;
            case "invoke_agent", "create_agent" -> AGENT;
            case "invoke_workflow" -> CHAIN;
            case "retrieval" -> RETRIEVER;
            case "embeddings" -> EMBEDDING;
            default -> SPAN;
        };
    }
}
