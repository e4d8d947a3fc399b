package io.controlplane.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.ProcessVariable;
import io.controlplane.platform.VariableNames;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * {@code bpmn/weekly-telemetry-audit.bpmn}: its constants, its schedule and the gap descriptions its tasks show. Every
 * week (cron {@code controlplane.audit.cron}) it runs the telemetry audit in check mode and the governance check,
 * posts the result to Slack, gives a telemetry analyst a task per open telemetry gap, and starts the KPI miss runbook
 * for each KPI that missed its target ({@link WeeklyAuditRuns}, called by {@code journey.WeeklyAuditDelegates}).
 */
@Configuration
public class WeeklyAudit {
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

    /** The variables Java reads and writes, typed ({@link ProcessVariable}). */
    public static final class Typed {
        public static final ProcessVariable<String> AUDIT_WEEK = ProcessVariable.text(Vars.AUDIT_WEEK);
        public static final ProcessVariable<JsonNode> MISSED_KPIS = ProcessVariable.json(Vars.MISSED_KPIS);
        public static final ProcessVariable<String> AUDIT_SUMMARY = ProcessVariable.text(Vars.AUDIT_SUMMARY);
        public static final ProcessVariable<String> GAP_ID = ProcessVariable.text(Vars.GAP_ID);
        public static final ProcessVariable<String> GAP_DETAIL = ProcessVariable.asText(Vars.GAP_DETAIL);
        public static final ProcessVariable<String> GAP_RESOLUTION = ProcessVariable.text(Vars.GAP_RESOLUTION);
        public static final ProcessVariable<String> GAP_NOTE = ProcessVariable.asText(Vars.GAP_NOTE);

        private Typed() {}
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

    /**
     * The ISO week (UTC) the audit reviews: the week holding the middle of its trailing seven days, so the one holding
     * most of them. The default Monday 07:00 run reviews the week that just ended, not the one starting that morning.
     */
    static String reviewedWeek(Instant from, Instant to) {
        var week = from.plus(Duration.between(from, to).dividedBy(2)).atZone(ZoneOffset.UTC);
        return week.get(IsoFields.WEEK_BASED_YEAR) + "-W"
                + String.format("%02d", week.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
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
}
