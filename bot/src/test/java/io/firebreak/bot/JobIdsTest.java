package io.firebreak.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firebreak.bot.capture.CaptureService;
import io.firebreak.bot.containment.Notice;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.handoff.HandoffService;
import io.firebreak.bot.incident.TimelineRecorder;
import io.firebreak.storage.incident.IncidentKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every job's id reads back as the record that wrote it; ids already queued before an upgrade still read. */
class JobIdsTest {

    @Test
    void everyKindOfJobIdReadsBackAsWritten() {
        var card = new TimelineRecorder.CardRefresh(new IncidentKey(12), 7);
        var capture = new CaptureService.Attempt(3, 2);
        var reminder = new HandoffService.Reminder(5, 4);
        var pack = new HandoffService.Pack(List.of(5L, 6L, 9L));
        var notice = new Notice.Of("ca-ah5iraxhkv", Notice.UNDONE, 31);
        var thread = new EvidenceService.ThreadNotice(44, EvidenceService.ThreadNotice.What.RETRYING);

        assertThat(TimelineRecorder.CardRefresh.parse(card.instanceId())).isEqualTo(card);
        assertThat(CaptureService.Attempt.parse(capture.instanceId())).isEqualTo(capture);
        assertThat(HandoffService.Reminder.parse(reminder.instanceId())).isEqualTo(reminder);
        assertThat(HandoffService.Pack.parse(pack.instanceId())).isEqualTo(pack);
        assertThat(Notice.Of.parse(notice.instanceId())).isEqualTo(notice);
        assertThat(EvidenceService.ThreadNotice.parse(thread.instanceId())).isEqualTo(thread);
    }

    @Test
    void idsQueuedByTheEarlierFormatStillRead() {
        assertThat(TimelineRecorder.CardRefresh.parse("12:7").incident()).isEqualTo(new IncidentKey(12));
        assertThat(Notice.Of.parse("ca-ah5iraxhkv:APPROVED:3").notice()).isEqualTo(Notice.APPROVED);
        assertThat(EvidenceService.ThreadNotice.parse("44:done").what())
                .isEqualTo(EvidenceService.ThreadNotice.What.DONE);
        assertThat(HandoffService.Pack.parse("5,6").handoffIds()).containsExactly(5L, 6L);
    }

    @Test
    void aMalformedIdSaysWhatIsWrong() {
        assertThatThrownBy(() -> TimelineRecorder.CardRefresh.parse("12"))
                .hasMessageContaining("job instance id 12 should have 2 parts");
    }
}
