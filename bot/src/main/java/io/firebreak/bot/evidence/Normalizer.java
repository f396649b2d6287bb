package io.firebreak.bot.evidence;

import io.firebreak.storage.evidence.ParseStatus;
import io.firebreak.storage.evidence.TraceSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the raw responses of one fetch into the playbook's evidence fields, whatever state they are in: a
 * truncated response is read up to the cut, a response that is not JSON yields every trace field as missing.
 */
public final class Normalizer {
    private Normalizer() {}

    /**
     * One response as received.
     *
     * @param role what it is for the source's reader (e.g. {@code trace}, {@code tree})
     */
    public record Body(String role, byte[] bytes, boolean truncated) {}

    /** The evidence of a run from its responses, with a suggested failure point when the evidence shows one. */
    public static NormalizedRun normalize(
            TraceSource source, String runId, List<Body> bodies, List<String> fetchNotes, Optional<String> reportId) {
        List<ParsedPart> parts = new ArrayList<>();
        List<String> notes = new ArrayList<>(fetchNotes);
        ParseStatus status = ParseStatus.PARSED;
        for (int i = 0; i < bodies.size(); i++) {
            Body body = bodies.get(i);
            TolerantJson.Result read = TolerantJson.read(body.bytes(), body.truncated());
            if (read.status() == ParseStatus.UNPARSABLE) {
                String problem = read.problem().orElse("the response is not JSON");
                if (i == 0) {
                    return EvidenceExtractor.unreadable(source, runId, problem, reportId);
                }
                notes.add("part " + (i + 1) + " (" + body.role() + ") could not be read: " + problem);
                continue;
            }
            if (read.status() == ParseStatus.PARTIAL) {
                status = ParseStatus.PARTIAL;
                notes.add("part " + (i + 1) + " (" + body.role()
                        + ") was cut at the size limit and is read up to the cut");
            }
            parts.add(new ParsedPart(body.role(), read.roots()));
        }
        TraceModel trace = switch (source) {
            case LANGFUSE -> LangfuseReader.read(runId, parts, notes);
            case LANGSMITH -> LangSmithReader.read(runId, parts, notes);
            case OTEL -> OtlpReader.read(runId, parts, notes);
        };
        NormalizedRun run = EvidenceExtractor.extract(source, runId, status, trace, reportId);
        return run.withSuggestion(FailurePointSuggester.suggest(run));
    }
}
