package io.controlplane.rhythm;

import io.controlplane.incident.Contacts;
import io.controlplane.incident.NotificationDeliveries;
import io.controlplane.notify.Notification;
import io.controlplane.platform.JsonValues;
import io.controlplane.rhythm.Rhythm.Meeting;
import io.controlplane.rhythm.Rhythm.Vars;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.spin.json.SpinJsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The delegates of {@code bpmn/rhythm-*.bpmn}. Each process: its timer fires, "Compile the digest" computes the
 * meeting's figures as of the engine's clock and stores the meeting notes, "Post the digest to Slack" queues the post
 * through {@link NotificationDeliveries} (retried, then a Cockpit incident); the monthly retrospective then starts the
 * KPI miss investigation runbook for every KPI the month missed.
 */
@Configuration
class RhythmProcesses {
    private static final Logger log = LoggerFactory.getLogger(RhythmProcesses.class);

    @Bean
    JavaDelegate rhythmDigestDelegate(RhythmDigests digests, MeetingNotes notes, JsonValues json) {
        return execution -> {
            Meeting meeting = meeting(execution);
            RhythmDigests.Digest<?> digest =
                    digests.compile(meeting, ClockUtil.getCurrentTime().toInstant());
            long id = notes.record(digest, execution.getProcessInstanceId());
            // a timer start has no business key: name the run after its meeting, date and notes
            execution.setProcessBusinessKey(meeting.type() + "-" + digest.date() + "-" + id);
            execution.setVariable(Vars.MEETING_NOTE_ID, id);
            execution.setVariable(Vars.MEETING_TITLE, digest.title());
            execution.setVariable(
                    Vars.MEETING_PERIOD, digest.period() == null ? digest.date().toString() : digest.period());
            execution.setVariable(
                    Vars.DIGEST_SUMMARY, json.variable(Map.of("text", MeetingMarkdown.slack(digest, id))));
            // only the misses without an investigation for the period yet: a rerun starts none twice
            execution.setVariable(Vars.MISSED_KPIS, json.variable(digest.missedKpis()));
            if (digest.figures() instanceof Figures.MonthlyRetrospective month) {
                month.kpiMissInvestigations().stream()
                        .filter(i -> !i.started())
                        .forEach(i -> log.info(
                                "{} {}: KPI miss investigation {} is {}; not started again",
                                meeting.title(),
                                execution.getVariable(Vars.MEETING_PERIOD),
                                i.businessKey(),
                                i.status()));
            }
        };
    }

    @Bean
    JavaDelegate rhythmPostDelegate(NotificationDeliveries deliveries, Contacts contacts) {
        return execution -> {
            Meeting meeting = meeting(execution);
            SpinJsonNode summary = (SpinJsonNode) execution.getVariable(Vars.DIGEST_SUMMARY);
            List<String> mentions = meeting.attendees().stream()
                    .map(contacts::leadOf)
                    .filter(Objects::nonNull)
                    .toList();
            deliveries.slack(
                    new Notification(
                            meeting.type().replace('-', '_'),
                            null,
                            null,
                            (String) execution.getVariable(Vars.MEETING_TITLE),
                            null,
                            "low",
                            summary.prop("text").stringValue(),
                            null,
                            mentions,
                            List.of()),
                    execution.getProcessBusinessKey());
        };
    }

    private static Meeting meeting(DelegateExecution execution) {
        String type = (String) execution.getVariable(Vars.MEETING_TYPE);
        return Meeting.fromType(type).orElseThrow(() -> new IllegalStateException("Unknown meeting type " + type));
    }
}
