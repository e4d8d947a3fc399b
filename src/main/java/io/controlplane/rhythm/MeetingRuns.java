package io.controlplane.rhythm;

import io.controlplane.incident.Contacts;
import io.controlplane.incident.NotificationDeliveries;
import io.controlplane.notify.Notification;
import io.controlplane.rhythm.Rhythm.Meeting;
import java.util.List;
import java.util.Objects;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code bpmn/rhythm-*.bpmn} ({@code journey.RhythmProcesses} reads and writes their variables). Each
 * process: its timer fires, "Compile the digest" computes the meeting's figures as of the engine's clock and stores
 * the meeting notes, "Post the digest to Slack" queues the post through {@link NotificationDeliveries} (retried, then
 * a Cockpit incident); the monthly retrospective then starts the KPI miss investigation runbook for every KPI the
 * month missed.
 */
@Component
public class MeetingRuns {
    private static final Logger log = LoggerFactory.getLogger(MeetingRuns.class);

    private final RhythmDigests digests;
    private final MeetingNotes notes;
    private final NotificationDeliveries deliveries;
    private final Contacts contacts;

    MeetingRuns(RhythmDigests digests, MeetingNotes notes, NotificationDeliveries deliveries, Contacts contacts) {
        this.digests = digests;
        this.notes = notes;
        this.deliveries = deliveries;
        this.contacts = contacts;
    }

    /**
     * A compiled and stored digest: the run's business key, its notes, and the misses without an investigation for
     * the period yet (so a rerun starts none twice).
     */
    public record Compiled(
            String businessKey,
            long noteId,
            String title,
            String period,
            String slackText,
            List<RhythmDigests.MissedKpi> missedKpis) {}

    public Compiled compile(String meetingType, String processInstanceId) {
        Meeting meeting = meeting(meetingType);
        RhythmDigests.Digest<?> digest =
                digests.compile(meeting, ClockUtil.getCurrentTime().toInstant());
        long id = notes.record(digest, processInstanceId);
        String period = digest.period() == null ? digest.date().toString() : digest.period();
        if (digest.figures() instanceof Figures.MonthlyRetrospective month) {
            // only the misses without an investigation for the period yet: a rerun starts none twice
            month.kpiMissInvestigations().stream()
                    .filter(i -> !i.started())
                    .forEach(i -> log.info(
                            "{} {}: KPI miss investigation {} is {}; not started again",
                            meeting.title(),
                            period,
                            i.businessKey(),
                            i.status()));
        }
        return new Compiled(
                // a timer start has no business key: name the run after its meeting, date and notes
                meeting.type() + "-" + digest.date() + "-" + id,
                id,
                digest.title(),
                period,
                MeetingMarkdown.slack(digest, id),
                digest.missedKpis());
    }

    public void post(String meetingType, String title, String slackText, String businessKey) {
        Meeting meeting = meeting(meetingType);
        List<String> mentions = meeting.attendees().stream()
                .map(contacts::leadOf)
                .filter(Objects::nonNull)
                .toList();
        deliveries.slack(
                new Notification(
                        meeting.type().replace('-', '_'),
                        null,
                        null,
                        title,
                        null,
                        "low",
                        slackText,
                        null,
                        mentions,
                        List.of()),
                businessKey);
    }

    private static Meeting meeting(String type) {
        return Meeting.fromType(type).orElseThrow(() -> new IllegalStateException("Unknown meeting type " + type));
    }
}
