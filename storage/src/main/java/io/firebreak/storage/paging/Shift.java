package io.firebreak.storage.paging;

import java.time.Instant;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/**
 * One on-call shift as seen on a schedule, and who was on call before it ({@code previous*}, null for the first seen).
 */
public record Shift(
        long id,
        @ColumnName("schedule_id") String scheduleId,
        @ColumnName("schedule_name") String scheduleName,
        @ColumnName("user_id") String userId,
        @ColumnName("user_name") String userName,
        @ColumnName("user_email") String userEmail,
        @ColumnName("shift_start") String shiftStart,
        @ColumnName("previous_user_id") String previousUserId,
        @ColumnName("previous_user_name") String previousUserName,
        @ColumnName("previous_user_email") String previousUserEmail,
        @ColumnName("observed_at") Instant observedAt) {}
