package io.firebreak.bot.integrity;

import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.integrity.web.IntegrityApi;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.web.ApiExtension;
import java.util.List;

/**
 * Record integrity: signed checkpoints made on a schedule and at every phase change, published apart from the
 * database, and verified without trusting it ({@code /api/timeline/verify}, exports).
 */
public final class IntegrityFeature implements Feature {
    private final IntegrityService integrity;
    private final IntegrityApi api;

    public IntegrityFeature(Basics basics, IntegrityService integrity) {
        this.integrity = integrity;
        this.api = new IntegrityApi(integrity, basics.json());
    }

    @Override
    public List<Job> jobs() {
        return List.of(
                new Job(IntegrityService.TICK_JOB, integrity::tickJob),
                new Job(IntegrityService.NOW_JOB, integrity::nowJob),
                new Job(IntegrityService.PUBLISH_JOB, integrity::publishJob));
    }

    @Override
    public List<ApiExtension> api() {
        return List.of(api);
    }
}
