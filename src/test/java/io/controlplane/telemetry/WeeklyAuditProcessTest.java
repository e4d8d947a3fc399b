package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Topics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.Runbooks;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Date;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The weekly audit, started by its timer: the telemetry audit in check mode, a Slack summary, an analyst task per
 * open gap, and a KPI miss investigation per missed KPI.
 */
@IntegrationTest
class WeeklyAuditProcessTest {
    @Autowired
    ProcessEngine engine;

    @Autowired
    JourneyDriver drive;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @BeforeEach
    void init() {
        BpmnAwareTests.init(engine);
    }

    @Test
    void theTimerRunsTheAuditsAndFollowsUpEveryGapAndMissedKpi() {
        String id = drive.start("mo", JourneyDriver.brief("Weekly audit gap"));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(92));
        jdbc.update(
                "DELETE FROM telemetry_events WHERE mission_id = :m AND name = 'mission_brief_locked'",
                new MapSqlParameterSource("m", id));

        var management = engine.getManagementService();
        var timer = management
                .createJobQuery()
                .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                .timers()
                .singleResult();
        assertThat(timer).as("the weekly timer is scheduled").isNotNull();
        long before = engine.getRuntimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                .count();
        management.executeJob(timer.getId());
        ProcessInstance audit = engine
                .getRuntimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                .orderByProcessInstanceId()
                .desc()
                .list()
                .stream()
                .filter(p -> !p.isEnded())
                .findFirst()
                .orElseThrow();
        assertThat(engine.getRuntimeService()
                        .createProcessInstanceQuery()
                        .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                        .count())
                .isEqualTo(before + 1);

        Long gapId = jdbc.queryForObject(
                "SELECT id FROM telemetry_gaps WHERE mission_id = :m AND event_name = 'mission_brief_locked'",
                new MapSqlParameterSource("m", id),
                Long.class);
        var gapTask = engine
                .getTaskService()
                .createTaskQuery()
                .processInstanceId(audit.getId())
                .taskDefinitionKey(WeeklyAudit.Elements.TELEMETRY_GAP)
                .list()
                .stream()
                .filter(t -> String.valueOf(gapId)
                        .equals(engine.getTaskService().getVariable(t.getId(), WeeklyAudit.Vars.GAP_ID)))
                .findFirst()
                .orElseThrow();
        assertThat((String) engine.getTaskService().getVariable(gapTask.getId(), WeeklyAudit.Vars.GAP_DETAIL))
                .contains("mission_brief_locked missing for Define", "Weekly audit gap");
        assertThat((String) engine.getRuntimeService().getVariable(audit.getId(), WeeklyAudit.Vars.AUDIT_SUMMARY))
                .contains("Telemetry audit:", "Governance check:", "KPIs missed:");
        String businessKey = engine.getRuntimeService()
                .createProcessInstanceQuery()
                .processInstanceId(audit.getId())
                .singleResult()
                .getBusinessKey();
        assertThat(businessKey).startsWith("audit-");
        assertThat(engine.getRuntimeService()
                        .createProcessInstanceQuery()
                        .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                        .processInstanceBusinessKey(businessKey)
                        .count())
                .as("Slack summary queued")
                .isEqualTo(1);

        drive.as(
                "ta",
                () -> engine.getTaskService()
                        .complete(
                                gapTask.getId(),
                                Map.of(
                                        WeeklyAudit.Vars.GAP_RESOLUTION,
                                        "fixed",
                                        WeeklyAudit.Vars.GAP_NOTE,
                                        "listener re-emitted the event")));
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM telemetry_gaps WHERE id = :id",
                        new MapSqlParameterSource("id", gapId),
                        String.class))
                .isEqualTo("RESOLVED");

        // every KPI the week missed has its investigation (the demo-sized test week misses throughput at least)
        assertThat(engine.getRuntimeService()
                        .createProcessInstanceQuery()
                        .processDefinitionKey(Runbooks.KPI_MISS)
                        .superProcessInstanceId(audit.getId())
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    /**
     * Run on Monday morning (the default schedule), the audit reviews the seven days before: it is labelled with the
     * ISO week those days fall in, not the week starting that morning. Run again for the same week it starts no second
     * investigation of a KPI it already investigates, and says so. A week long before anything else in the database.
     */
    @Test
    void theAuditIsLabelledByTheWeekItReviewsAndARerunStartsNoSecondInvestigation() {
        Timestamp earliest = jdbc.queryForObject(
                "SELECT MIN(START_TIME_) FROM ACT_HI_PROCINST", new MapSqlParameterSource(), Timestamp.class);
        int year = Math.min(
                2010,
                earliest == null
                        ? 2010
                        : earliest.toInstant().atZone(ZoneOffset.UTC).getYear() - 3);
        LocalDate monday = LocalDate.of(year, 10, 1).with(TemporalAdjusters.firstInMonth(DayOfWeek.MONDAY));
        Instant at = monday.atTime(7, 0).toInstant(ZoneOffset.UTC);
        String reviewed = isoWeek(monday.minusDays(3));
        assertThat(reviewed).isNotEqualTo(isoWeek(monday));
        var management = engine.getManagementService();
        var history = engine.getHistoryService();
        try {
            ClockUtil.setCurrentTime(Date.from(at));
            management.executeJob(management
                    .createJobQuery()
                    .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                    .timers()
                    .singleResult()
                    .getId());
            var runs = history.createHistoricProcessInstanceQuery()
                    .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                    .processInstanceBusinessKeyLike("audit-" + reviewed + "-%")
                    .list();
            assertThat(runs)
                    .as("the run is named after the week it reviews, " + reviewed)
                    .hasSize(1);
            String first = runs.get(0).getId();
            assertThat(history.createHistoricVariableInstanceQuery()
                            .processInstanceId(first)
                            .variableName(WeeklyAudit.Vars.AUDIT_WEEK)
                            .singleResult()
                            .getValue())
                    .isEqualTo(reviewed);
            String key = "kpi-mission-throughput-" + reviewed;
            assertThat(investigations(key))
                    .as("the empty week misses mission throughput")
                    .isEqualTo(1);

            ClockUtil.setCurrentTime(Date.from(at.plusSeconds(3600)));
            management.executeJob(management
                    .createJobQuery()
                    .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                    .timers()
                    .singleResult()
                    .getId());
            String second = history
                    .createHistoricProcessInstanceQuery()
                    .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                    .processInstanceBusinessKeyLike("audit-" + reviewed + "-%")
                    .list()
                    .stream()
                    .map(HistoricProcessInstance::getId)
                    .filter(id -> !id.equals(first))
                    .findFirst()
                    .orElseThrow();
            assertThat(investigations(key))
                    .as("no second investigation of " + key)
                    .isEqualTo(1);
            assertThat(history.createHistoricProcessInstanceQuery()
                            .processDefinitionKey(Runbooks.KPI_MISS)
                            .superProcessInstanceId(second)
                            .count())
                    .isZero();
            assertThat((String) history.createHistoricVariableInstanceQuery()
                            .processInstanceId(second)
                            .variableName(WeeklyAudit.Vars.AUDIT_SUMMARY)
                            .singleResult()
                            .getValue())
                    .startsWith("Weekly audit " + reviewed + " (")
                    .contains("Mission throughput (investigation " + key + " already open, not started again)");
        } finally {
            ClockUtil.reset();
        }
    }

    private long investigations(String businessKey) {
        return engine.getHistoryService()
                .createHistoricProcessInstanceQuery()
                .processDefinitionKey(Runbooks.KPI_MISS)
                .processInstanceBusinessKey(businessKey)
                .count();
    }

    private static String isoWeek(LocalDate day) {
        return String.format(
                "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
