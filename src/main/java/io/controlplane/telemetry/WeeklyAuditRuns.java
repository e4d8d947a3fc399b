package io.controlplane.telemetry;

import io.controlplane.governance.GovernanceCheck;
import io.controlplane.governance.GovernanceReport;
import io.controlplane.incident.Contacts;
import io.controlplane.incident.KpiMissInvestigations;
import io.controlplane.incident.NotificationDeliveries;
import io.controlplane.notify.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code bpmn/weekly-telemetry-audit.bpmn} ({@code journey.WeeklyAuditDelegates} reads and writes their
 * variables): run the audit and the governance check, post the result, close each gap an analyst resolved.
 */
@Component
public class WeeklyAuditRuns {
    private static final Logger log = LoggerFactory.getLogger(WeeklyAuditRuns.class);

    private final TelemetryAudit audit;
    private final GovernanceCheck governance;
    private final KpiService kpis;
    private final NamedParameterJdbcTemplate jdbc;
    private final KpiMissInvestigations investigations;
    private final NotificationDeliveries deliveries;
    private final Contacts contacts;

    WeeklyAuditRuns(
            TelemetryAudit audit,
            GovernanceCheck governance,
            KpiService kpis,
            NamedParameterJdbcTemplate jdbc,
            KpiMissInvestigations investigations,
            NotificationDeliveries deliveries,
            Contacts contacts) {
        this.audit = audit;
        this.governance = governance;
        this.kpis = kpis;
        this.jdbc = jdbc;
        this.investigations = investigations;
        this.deliveries = deliveries;
        this.contacts = contacts;
    }

    /**
     * One week's audit: the ISO week reviewed, the run's business key, the open gaps (a task each), the missed KPIs
     * to investigate and the summary posted.
     */
    public record Run(
            String week,
            String businessKey,
            List<String> openGapIds,
            List<Map<String, String>> toInvestigate,
            String summary) {}

    public Run run(String processInstanceId) {
        Instant to = KpiService.now();
        Instant from = to.minus(Duration.ofDays(7));
        String isoWeek = WeeklyAudit.reviewedWeek(from, to);
        TelemetryAudit.Report gaps = audit.audit(true, from, to, null);
        GovernanceReport.Summary check = governance.checkActive().summary();
        List<Map<String, String>> missed = missed(from, to);
        List<String> open = jdbc.queryForList(
                "SELECT CAST(id AS VARCHAR(20)) FROM telemetry_gaps WHERE status = 'OPEN' ORDER BY id",
                new MapSqlParameterSource(),
                String.class);
        List<Map<String, String>> toInvestigate = new ArrayList<>();
        List<String> missedNames = new ArrayList<>();
        notYetInvestigated(isoWeek, missed, toInvestigate, missedNames);
        String summary = "Weekly audit " + isoWeek + " (" + from + " – " + to + "). "
                + "Telemetry audit: " + gaps.missions() + " missions, "
                + gaps.gaps().size() + " new gap(s), " + open.size() + " open. Governance check: "
                + check.passed()
                + " of " + check.missions() + " active missions pass. KPIs missed: "
                + (missed.isEmpty() ? "none" : String.join(", ", missedNames)) + ".";
        // a timer start has no business key: name the run after its week (and instance, should it run twice)
        return new Run(isoWeek, "audit-" + isoWeek + "-" + processInstanceId, open, toInvestigate, summary);
    }

    private List<Map<String, String>> missed(Instant from, Instant to) {
        List<Map<String, String>> missed = new ArrayList<>();
        for (KpiService.Kpi k : kpis.report(from, to).kpis()) {
            if (Boolean.FALSE.equals(k.met())) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("key", k.key());
                m.put("name", k.name());
                m.put("value", k.value() + " " + k.unit());
                m.put("target", k.comparator() + " " + k.target() + " " + k.unit());
                missed.add(m);
            }
        }
        return missed;
    }

    /** An audit run again for the same week starts no second investigation of a miss already open or done. */
    private void notYetInvestigated(
            String isoWeek,
            List<Map<String, String>> missed,
            List<Map<String, String>> toInvestigate,
            List<String> missedNames) {
        Map<String, String> existing = investigations.existing(missed.stream()
                .map(m -> KpiMissInvestigations.businessKey(m.get("key"), isoWeek))
                .toList());
        for (Map<String, String> m : missed) {
            String key = KpiMissInvestigations.businessKey(m.get("key"), isoWeek);
            String state = existing.get(key);
            if (state == null) {
                toInvestigate.add(m);
                missedNames.add(m.get("name"));
            } else {
                missedNames.add(
                        m.get("name") + " (investigation " + key + " already " + state + ", not started again)");
                log.info(
                        "Weekly audit {}: KPI miss investigation {} is already {}; not started again",
                        isoWeek,
                        key,
                        state);
            }
        }
    }

    public void report(String summary, String businessKey) {
        deliveries.slack(
                new Notification(
                        "weekly_audit",
                        null,
                        null,
                        null,
                        null,
                        "low",
                        summary,
                        null,
                        List.of(contacts.leadFor("weekly_audit")),
                        List.of()),
                businessKey);
    }

    /** Closes the gap the analyst resolved ({@code fixed}) or accepted, with the analyst's note. */
    public void resolveGap(String gapId, String resolution, String detail, String note) {
        jdbc.update(
                "UPDATE telemetry_gaps SET status = :status, detail = :detail WHERE id = :id",
                new MapSqlParameterSource("id", Long.parseLong(gapId))
                        .addValue("status", "fixed".equals(resolution) ? "RESOLVED" : "ACCEPTED")
                        .addValue("detail", abbreviate(detail + " | " + resolution + ": " + note)));
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 499) + "…";
    }
}
