package io.controlplane.incident;

import io.controlplane.mission.MissionStore;
import io.controlplane.notify.Notification;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Warm hand-off: when a shift begins, the incoming person gets a summary of the open incidents in the operations
 * channel. The {@code oncall_handoffs} row makes the announcement happen once, whichever node sees it first.
 */
@Component
class HandoffAnnouncer {
    private final OnCallSchedule schedule;
    private final IncidentService incidents;
    private final NotificationDeliveries deliveries;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    HandoffAnnouncer(
            OnCallSchedule schedule,
            IncidentService incidents,
            NotificationDeliveries deliveries,
            NamedParameterJdbcTemplate jdbc,
            PlatformTransactionManager transactions) {
        this.schedule = schedule;
        this.incidents = incidents;
        this.deliveries = deliveries;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Scheduled(fixedDelayString = "${controlplane.oncall.handoff-check-ms}", initialDelay = 30_000)
    void check() {
        if (schedule.handoffSummary()) {
            announce(Instant.now());
        }
    }

    /**
     * Announces the shift on call at {@code now} if its hand-off has not been announced yet; returns whether it did.
     * The row and the queued message commit together, so a failure leaves the hand-off to be announced next time.
     */
    boolean announce(Instant now) {
        try {
            return Boolean.TRUE.equals(transaction.execute(status -> announceInTransaction(now)));
        } catch (DuplicateKeyException alreadyAnnounced) {
            return false;
        }
    }

    private boolean announceInTransaction(Instant now) {
        OnCall current = schedule.onCallAt(now);
        if (current.since() == null) {
            return false; // a single shift never hands off
        }
        Long seen = jdbc.queryForObject(
                "SELECT COUNT(*) FROM oncall_handoffs WHERE handoff_at = :at",
                new MapSqlParameterSource("at", MissionStore.odt(current.since())),
                Long.class);
        if (seen != null && seen > 0) {
            return false;
        }
        // the primary key stops a second node that got past the check at the same moment
        jdbc.update(
                "INSERT INTO oncall_handoffs (handoff_at, shift, posted_at) VALUES (:at, :shift, :now)",
                new MapSqlParameterSource("at", MissionStore.odt(current.since()))
                        .addValue("shift", current.shift())
                        .addValue("now", MissionStore.odt(now)));
        List<IncidentService.Incident> open = incidents.list(IncidentService.OPEN, null, 100);
        List<IncidentService.Incident> acknowledged = incidents.list(IncidentService.ACKNOWLEDGED, null, 100);
        StringBuilder summary = new StringBuilder(current.shift() + " shift starts: "
                + (open.size() + acknowledged.size()) + " incident(s) not resolved.");
        for (IncidentService.Incident i : open) {
            summary.append("\n• ")
                    .append(i.id())
                    .append(" (")
                    .append(i.severity())
                    .append(", open): ")
                    .append(i.summary());
        }
        for (IncidentService.Incident i : acknowledged) {
            summary.append("\n• ")
                    .append(i.id())
                    .append(" (")
                    .append(i.severity())
                    .append(", acknowledged by ")
                    .append(i.acknowledgedBy())
                    .append("): ")
                    .append(i.summary());
        }
        deliveries.slack(
                new Notification(
                        "oncall_handoff",
                        null,
                        null,
                        null,
                        null,
                        "low",
                        summary.toString(),
                        null,
                        List.of(current.slack()),
                        List.of()),
                "oncall-handoff");
        return true;
    }
}
