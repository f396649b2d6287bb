package io.firebreak.bot.feature;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.platform.config.Config;
import io.firebreak.bot.platform.metrics.Metrics;
import io.firebreak.bot.slack.IncidentResolver;
import io.firebreak.bot.slack.Modals;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.bot.slack.ThreadNotices;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.storage.Storage;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What every feature is built with: configuration, the clock, storage, metrics, a way to wake the job runner after
 * enqueueing, and the shared Slack and HTTP plumbing.
 *
 * @param wakeJobs  call after committing a transaction that enqueued a job
 * @param resolver  finds the incident a Slack request is about (its key, or the channel it was typed in)
 * @param afterAck  runs work that must not delay Slack's acknowledgement
 * @param tenancy   which workspace each record belongs to and who sees it (issue 19)
 */
public record Basics(
        Config config,
        Clock clock,
        Storage storage,
        ObjectMapper mapper,
        Metrics metrics,
        Runnable wakeJobs,
        SlackWebApi slack,
        Modals modals,
        ThreadNotices notices,
        IncidentResolver resolver,
        Executor afterAck,
        JsonResponses json,
        Tenancy tenancy) {}
