package io.firebreak.bot.postmortem.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.TimelineRecorder;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.postmortem.PostmortemPosting;
import io.firebreak.bot.postmortem.PostmortemWriter;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Job handler for {@link PostmortemPosting#JOB}: writes the postmortem from what is stored at that moment and posts it to the
 * incident's channel as a Markdown file.
 */
public final class PostmortemPoster {
    private final Storage storage;
    private final IncidentService incidents;
    private final PostmortemWriter writer;
    private final SlackWebApi slack;
    private final ObjectMapper mapper;
    private final Clock clock;

    public PostmortemPoster(
            Storage storage,
            IncidentService incidents,
            PostmortemWriter writer,
            SlackWebApi slack,
            ObjectMapper mapper,
            Clock clock) {
        this.storage = storage;
        this.incidents = incidents;
        this.writer = writer;
        this.slack = slack;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Job handler for {@link PostmortemPosting#JOB}. */
    public void runJob(String instanceId) {
        IncidentKey key = PostmortemPosting.Request.parse(instanceId).incident();
        Optional<Incident> found = incidents.find(key);
        Optional<String> markdown = writer.write(key);
        if (found.isEmpty() || markdown.isEmpty() || !slack.configured()) {
            return;
        }
        Incident incident = found.get();
        Optional<String> channel = incident.channelId().or(incident::cardChannel);
        if (channel.isEmpty()) {
            return;
        }
        String filename = incident.key().lowerCase() + "-postmortem.md";
        SlackWebApi.Result<com.slack.api.methods.response.files.FilesUploadV2Response> posted = slack.forIncident(
                        incident)
                .call(
                        "files.uploadV2",
                        m -> m.filesUploadV2(r -> r.channel(channel.get())
                                .filename(filename)
                                .title(incident.key() + " postmortem")
                                // The file's bytes go to an upload URL, not through the Web API form the client
                                // redacts.
                                .content(io.firebreak.bot.platform.outbound.Redactor.redact(markdown.get()))
                                .initialComment(":memo: Postmortem of *" + incident.key()
                                        + "*, written from the stored record.")));
        if (posted.retryable()) {
            throw new RetryLater(
                    clock.instant().plus(posted.retryAfter().orElse(Duration.ofSeconds(10))),
                    "Slack answered " + posted.error().orElse("?") + " for the postmortem of " + key);
        }
        posted.response()
                .ifPresent(r -> storage.inTransaction(tx -> {
                    var details = mapper.createObjectNode()
                            .put("channel", channel.get())
                            .put("filename", filename)
                            .put("bytes", markdown.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                    if (r.getFile() != null && r.getFile().getId() != null) {
                        details.put("file", r.getFile().getId());
                    }
                    TimelineRecorder.recordOffCard(
                            tx, key.id(), IncidentService.FIREBREAK, EventKinds.POSTMORTEM_POSTED, details);
                    return null;
                }));
    }
}
