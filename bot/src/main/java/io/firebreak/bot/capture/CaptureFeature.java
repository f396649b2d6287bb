package io.firebreak.bot.capture;

import io.firebreak.bot.access.Visibility;
import io.firebreak.bot.capture.slack.MessageCaptureJob;
import io.firebreak.bot.capture.slack.TimelineCapture;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.slack.SlackFeature;
import java.util.List;

/** Capture: pinned messages and the message shortcut put Slack messages on an incident's timeline. */
public final class CaptureFeature implements Feature {
    private final MessageCaptureJob job;
    private final TimelineCapture capture;

    /** The incident picker offers each person only the incidents {@code visibility} lets them see. */
    public CaptureFeature(Basics basics, IncidentService incidents, Visibility visibility) {
        CaptureService captures = new CaptureService(basics.storage(), basics.mapper(), basics.wakeJobs());
        this.job = new MessageCaptureJob(captures, basics.slack(), basics.clock(), incidents::find);
        this.capture = new TimelineCapture(
                captures, incidents, basics.slack(), basics.afterAck(), visibility, basics.tenancy());
    }

    @Override
    public List<SlackFeature> slack() {
        return List.of(capture);
    }

    @Override
    public List<Job> jobs() {
        return List.of(new Job(CaptureService.CAPTURE_JOB, job::run));
    }
}
