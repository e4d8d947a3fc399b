package io.controlplane.telemetry;

import io.controlplane.governance.GovernanceCheck;
import io.controlplane.governance.GovernanceReport;
import io.controlplane.incident.Contacts;
import io.controlplane.incident.KpiMissInvestigations;
import io.controlplane.incident.NotificationDeliveries;
import io.controlplane.notify.Notification;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.VariableNames;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * {@code bpmn/weekly-telemetry-audit.bpmn}: its constants and its beans. Every week (cron {@code controlplane.audit.cron})
 * it runs the telemetry audit in check mode and the governance check, posts the result to Slack, gives a telemetry
 * analyst a task per open telemetry gap, and starts the KPI miss runbook for each KPI that missed its target.
 */
@Configuration
public class WeeklyAudit {
    private static final Logger log = LoggerFactory.getLogger(WeeklyAudit.class);
    public static final String PROCESS_KEY = "weekly-telemetry-audit";

    public static final class Elements {
        public static final String START = "startEvent_weeklyAuditDue";
        public static final String TELEMETRY_GAP = "userTask_telemetryGap";
        public static final String KPI_MISS_RUNBOOK = "callActivity_kpiMissRunbook";

        private Elements() {}
    }

    public static final class Vars {
        public static final String AUDIT_WEEK = "auditWeek";
        public static final String AUDIT_GAP_IDS = "auditGapIds";
        public static final String MISSED_KPIS = "missedKpis";
        public static final String AUDIT_SUMMARY = "auditSummary";
        public static final String GAP_ID = "gapId";
        public static final String GAP_DETAIL = "gapDetail";
        public static final String GAP_RESOLUTION = "gapResolution";
        public static final String GAP_NOTE = "gapNote";

        private Vars() {}

        public static Set<String> all() {
            return VariableNames.of(Vars.class);
        }
    }

    /** The timer start event reads {@code ${auditSchedule.cron}}: Mondays 07:00 by default. */
    public record AuditSchedule(String cron) {
        public String getCron() {
            return cron;
        }
    }

    @Bean
    AuditSchedule auditSchedule(AuditProperties settings) {
        return new AuditSchedule(settings.cron());
    }

    @Bean
    JavaDelegate weeklyAuditDelegate(
            TelemetryAudit audit,
            GovernanceCheck governance,
            KpiService kpis,
            JsonValues json,
            NamedParameterJdbcTemplate jdbc,
            KpiMissInvestigations investigations) {
        return execution -> {
            Instant to = KpiService.now();
            Instant from = to.minus(Duration.ofDays(7));
            String isoWeek = reviewedWeek(from, to);
            TelemetryAudit.Report gaps = audit.audit(true, from, to, null);
            GovernanceReport.Summary check = governance.checkActive().summary();
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
            List<String> open = jdbc.queryForList(
                    "SELECT CAST(id AS VARCHAR(20)) FROM telemetry_gaps WHERE status = 'OPEN' ORDER BY id",
                    new MapSqlParameterSource(),
                    String.class);
            // an audit run again for the same week starts no second investigation of a miss already open or done
            Map<String, String> existing = investigations.existing(missed.stream()
                    .map(m -> KpiMissInvestigations.businessKey(m.get("key"), isoWeek))
                    .toList());
            List<Map<String, String>> toInvestigate = new ArrayList<>();
            List<String> missedNames = new ArrayList<>();
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
            execution.setVariable(Vars.AUDIT_WEEK, isoWeek);
            // a timer start has no business key: name the run after its week (and instance, should it run twice)
            execution.setProcessBusinessKey("audit-" + isoWeek + "-" + execution.getProcessInstanceId());
            execution.setVariable(Vars.AUDIT_GAP_IDS, new ArrayList<>(open));
            execution.setVariable(Vars.MISSED_KPIS, json.variable(toInvestigate));
            execution.setVariable(
                    Vars.AUDIT_SUMMARY,
                    "Weekly audit " + isoWeek + " (" + from + " – " + to + "). "
                            + "Telemetry audit: " + gaps.missions() + " missions, "
                            + gaps.gaps().size() + " new gap(s), " + open.size() + " open. Governance check: "
                            + check.passed()
                            + " of " + check.missions() + " active missions pass. KPIs missed: "
                            + (missed.isEmpty() ? "none" : String.join(", ", missedNames)) + ".");
        };
    }

    /**
     * The ISO week (UTC) the audit reviews: the week holding the middle of its trailing seven days, so the one holding
     * most of them. The default Monday 07:00 run reviews the week that just ended, not the one starting that morning.
     */
    static String reviewedWeek(Instant from, Instant to) {
        var week = from.plus(Duration.between(from, to).dividedBy(2)).atZone(ZoneOffset.UTC);
        return week.get(IsoFields.WEEK_BASED_YEAR) + "-W"
                + String.format("%02d", week.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    @Bean
    JavaDelegate auditReportDelegate(NotificationDeliveries deliveries, Contacts contacts) {
        return execution -> deliveries.slack(
                new Notification(
                        "weekly_audit",
                        null,
                        null,
                        null,
                        null,
                        "low",
                        (String) execution.getVariable(Vars.AUDIT_SUMMARY),
                        null,
                        List.of(contacts.leadFor("weekly_audit")),
                        List.of()),
                execution.getProcessBusinessKey());
    }

    /** Describes one gap for the analyst's task ({@code ${telemetryGaps.describe(gapId)}}). */
    @Bean
    GapDescriptions telemetryGaps(NamedParameterJdbcTemplate jdbc) {
        return new GapDescriptions(jdbc);
    }

    public static final class GapDescriptions {
        private final NamedParameterJdbcTemplate jdbc;

        GapDescriptions(NamedParameterJdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        public String describe(String gapId) {
            return jdbc.query(
                    "SELECT g.*, m.title FROM telemetry_gaps g JOIN missions m ON m.id = g.mission_id WHERE g.id = :id",
                    new MapSqlParameterSource("id", Long.parseLong(gapId)),
                    rs -> rs.next()
                            ? rs.getString("detail") + " — mission " + rs.getString("title") + " ("
                                    + rs.getString("mission_id") + ")"
                            : "gap " + gapId + " no longer exists");
        }
    }

    /** Closes the gap the analyst resolved (or accepted), with the analyst's note. */
    @Bean
    ExecutionListener telemetryGapResolutions(NamedParameterJdbcTemplate jdbc) {
        return execution -> {
            if (execution.isCanceled()) {
                return;
            }
            String resolution = (String) execution.getVariable(Vars.GAP_RESOLUTION);
            jdbc.update(
                    "UPDATE telemetry_gaps SET status = :status, detail = :detail WHERE id = :id",
                    new MapSqlParameterSource("id", Long.parseLong((String) execution.getVariable(Vars.GAP_ID)))
                            .addValue("status", "fixed".equals(resolution) ? "RESOLVED" : "ACCEPTED")
                            .addValue(
                                    "detail",
                                    abbreviate(execution.getVariable(Vars.GAP_DETAIL) + " | " + resolution + ": "
                                            + execution.getVariable(Vars.GAP_NOTE))));
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 499) + "…";
    }
}
