package io.controlplane.incident;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.governance.SegregationOfDutiesException;
import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionRequest;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.telemetry.TelemetryEvents;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Every runbook path and every boundary event of Execute &amp; Observe, driven with the job executor off: timers and
 * queued notifications run only when a test runs them.
 */
@IntegrationTest
class RunbookProcessTest {
    /** noon UTC today: inside no quiet window of the test brief (21:00–07:00 recipient time) */
    private static final Instant NOON =
            LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);

    @Autowired
    ProcessEngine engine;

    @Autowired
    JourneyDriver drive;

    @Autowired
    MissionStore missions;

    @Autowired
    ApprovalStore approvals;

    @Autowired
    IncidentService incidents;

    @Autowired
    TelemetryEvents telemetry;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @BeforeEach
    void init() {
        BpmnAwareTests.init(engine);
    }

    private String toExecution(MissionRequest brief, String... ranking) {
        String id = drive.start("mo", brief);
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking(ranking));
        drive.coSign(id, "gv", "oc");
        return id;
    }

    private Map<String, Object> forbiddenWordStep() {
        return drive.outcomeWithStep("sent outreach", NOON, "Etc/UTC", "Your results are guaranteed!");
    }

    private Map<String, Object> cleanStep(Instant at) {
        return drive.outcomeWithStep("sent outreach", at, "Etc/UTC", "Hello, shall we talk?");
    }

    /** channel:kind of every notification queued for the mission, oldest first */
    private List<String> queued(String missionId) {
        List<String> out = new ArrayList<>();
        engine.getRuntimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                .processInstanceBusinessKey(missionId)
                .list()
                .forEach(pi -> {
                    var vars = engine.getRuntimeService().getVariables(pi.getId());
                    try {
                        out.add(vars.get(Runbooks.Vars.DELIVERY_CHANNEL) + ":"
                                + drive.json()
                                        .read(vars.get(Runbooks.Vars.DELIVERY_PAYLOAD))
                                        .path("notification")
                                        .path("kind")
                                        .asText());
                    } catch (JsonProcessingException e) {
                        throw new AssertionError(e);
                    }
                });
        return out;
    }

    /** The runbooks' notices on {@code channel}; the checkpoint posts that offer decisions in Slack are not counted. */
    private long deliveries(String missionId, String channel) {
        return queued(missionId).stream()
                .filter(q -> q.startsWith(channel + ":") && !q.endsWith(":checkpoint_waiting"))
                .count();
    }

    private ProcessInstance runbook(String missionId, String key) {
        return engine.getRuntimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(key)
                .processInstanceBusinessKey(missionId)
                .singleResult();
    }

    private String incidentOf(String missionId) {
        return incidents.list(null, missionId, 10).get(0).id();
    }

    @Test
    void aSafeguardViolationHoldsExecutionUntilTheValidatorResumes() {
        String id = toExecution(JourneyDriver.brief("Violation resumed"), "medium/reversible", "low/reversible");
        ProcessInstance pi = drive.instance(id);
        drive.agent(id, Topics.PLAY_EXECUTE, forbiddenWordStep());

        assertThat(pi)
                .isWaitingAt(Elements.VIOLATION_DECIDED, Elements.SAFEGUARD_VIOLATION_RUNBOOK, Elements.LIVE_OVERSIGHT);
        assertThat(pi)
                .variables()
                .containsEntry(Vars.VIOLATION_HOLD, true)
                .containsEntry(Vars.SAFEGUARD_OUTCOME, "escalate");
        ProcessInstance runbook = runbook(id, Runbooks.SAFEGUARD_VIOLATION);
        assertThat(runbook).isWaitingAt(Runbooks.Elements.VIOLATION_DECISION);
        assertThat(runbook).variables().containsEntry(Vars.PLAY_ID, "play-1");
        IncidentService.Incident incident = incidents.get(incidentOf(id));
        assertThat(incident.kind()).isEqualTo("safeguard_violation");
        assertThat(incident.status()).isEqualTo(IncidentService.OPEN);
        assertThat(incident.summary()).contains("guaranteed");
        assertThat(deliveries(id, "slack")).isEqualTo(1);
        assertThat(deliveries(id, "pagerduty")).isEqualTo(1);
        assertThat(telemetry.count(TelemetryCatalog.VALIDATOR_ALERT_RAISED.eventName(), id))
                .isEqualTo(1);
        assertThat(telemetry.count(TelemetryCatalog.VALIDATOR_OVERRIDE_REQUESTED.eventName(), id))
                .isEqualTo(1);

        assertThatThrownBy(() -> drive.complete(
                        id,
                        Runbooks.Elements.VIOLATION_DECISION,
                        "gv",
                        Map.of(Runbooks.Vars.VIOLATION_DECISION, "resume")))
                .hasMessageContaining("violationNote is required");
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv",
                Map.of(
                        Runbooks.Vars.VIOLATION_DECISION,
                        "resume",
                        Runbooks.Vars.VIOLATION_NOTE,
                        "wording approved by legal for this campaign"));

        assertThat(runbook).isEnded();
        assertThat(pi).variables().containsEntry(Vars.VIOLATION_HOLD, false);
        assertThat(pi).isWaitingAt(Elements.EXECUTE_PLAY, Elements.LIVE_OVERSIGHT);
        assertThat(incidents.get(incident.id()).status()).isEqualTo(IncidentService.RESOLVED);
        assertThat(deliveries(id, "pagerduty")).as("trigger and resolve").isEqualTo(2);
        assertThat(runbook(id, Runbooks.INCIDENT_REVIEW))
                .as("post-incident review")
                .isNotNull();
        assertThat(approvals.forMission(id))
                .extracting(ApprovalStore.Approval::checkpoint)
                .contains(Runbooks.Elements.VIOLATION_DECISION);

        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "segment built"));
        assertThat(pi).isWaitingAt(Elements.MISSION_FEEDBACK);
    }

    @Test
    void aRollbackDecisionUndoesTheExecutedPlaysNewestFirst() {
        String id = toExecution(
                JourneyDriver.brief("Violation rolled back"), "medium/reversible", "medium/partial", "low/reversible");
        ProcessInstance pi = drive.instance(id);
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON));
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON.plusSeconds(120)));
        drive.agent(id, Topics.PLAY_EXECUTE, forbiddenWordStep());
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv2",
                Map.of(
                        Runbooks.Vars.VIOLATION_DECISION,
                        "rollback",
                        Runbooks.Vars.VIOLATION_NOTE,
                        "tone breach reached customers"));

        assertThat(pi).isWaitingAt(Elements.UNDO_PLAY);
        for (String expected : List.of("play-3", "play-2", "play-1")) {
            var locked = drive.lock(id, Topics.PLAY_UNDO);
            assertThat(locked.getVariables().get(Vars.PLAY_ID)).isEqualTo(expected);
            engine.getExternalTaskService().complete(locked.getId(), JourneyDriver.TEST_WORKER);
        }
        assertThat(pi).isWaitingAt(Elements.MISSION_FEEDBACK);
        assertThat(telemetry.count(TelemetryCatalog.UNDO_COMPLETED.eventName(), id))
                .isEqualTo(3);
        drive.complete(
                id,
                Elements.MISSION_FEEDBACK,
                "mo",
                Map.of(
                        Vars.FEEDBACK_RATING,
                        2L,
                        Vars.EFFORT_SAVED_HOURS,
                        0L,
                        Vars.FEEDBACK_SATISFACTION,
                        "dissatisfied"));
        drive.complete(id, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_CURATOR, "kc", Map.of(Vars.CURATOR_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
        assertThat(pi).isEnded();
        assertThat(missions.find(id).orElseThrow().status()).isEqualTo(MissionStore.Status.ROLLED_BACK);
    }

    @Test
    void anAbortDecisionEndsTheMission() {
        String id = toExecution(JourneyDriver.brief("Violation aborted"), "medium/reversible", "low/reversible");
        drive.agent(id, Topics.PLAY_EXECUTE, forbiddenWordStep());
        assertThatThrownBy(() -> drive.complete(
                        id,
                        Runbooks.Elements.VIOLATION_DECISION,
                        "mo",
                        Map.of(
                                Runbooks.Vars.VIOLATION_DECISION,
                                "resume",
                                Runbooks.Vars.VIOLATION_NOTE,
                                "my mission, my call")))
                .isInstanceOf(AuthorizationException.class);
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv",
                Map.of(Runbooks.Vars.VIOLATION_DECISION, "abort", Runbooks.Vars.VIOLATION_NOTE, "stop everything"));
        assertThat(drive.instance(id)).isNull();
        assertThat(missions.find(id).orElseThrow().status()).isEqualTo(MissionStore.Status.ABORTED);
        assertThat(engine.getTaskService()
                        .createTaskQuery()
                        .processInstanceBusinessKey(id)
                        .processDefinitionKey(MissionJourney.PROCESS_KEY)
                        .count())
                .isZero();
    }

    @Test
    void aRateLimitBreachBacksOffAndRunsTheStepAgain() {
        MissionRequest tight = new MissionRequest(
                "Rate limited",
                "Reach dormant accounts",
                "Revenue operations",
                new MissionRequest.Kpi("replies", BigDecimal.TEN),
                List.of(new MissionRequest.Safeguard("rate_limit", null, Map.of("perHour", 1, "burst", 1))),
                List.of(new MissionRequest.Toolkit("hubspot", List.of("crm.objects.contacts.write"))));
        String id = toExecution(tight, "medium/reversible", "medium/reversible");
        ProcessInstance pi = drive.instance(id);
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON));
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON.plusSeconds(10)));
        assertThat(pi)
                .isWaitingAt(Elements.BACKOFF)
                .variables()
                .containsEntry(Vars.SAFEGUARD_OUTCOME, "auto_fix")
                .containsEntry(Vars.SAFEGUARD_DELAY, "PT1S")
                .containsEntry(Vars.SAFEGUARD_ATTEMPT, 1);
        Job backoff = engine.getManagementService()
                .createJobQuery()
                .processInstanceId(pi.getId())
                .timers()
                .singleResult();
        engine.getManagementService().executeJob(backoff.getId());
        assertThat(pi).isWaitingAt(Elements.EXECUTE_PLAY);
        // the agent's second try waits for the hour to pass: a step without a recipient breaks no rate limit
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "queued for the next hour"));
        assertThat(pi).isWaitingAt(Elements.MISSION_FEEDBACK);
        assertThat(incidents.list(null, id, 10)).isEmpty();
    }

    @Test
    void aQuietWindowStepIsRetriedLater() {
        String id = toExecution(JourneyDriver.brief("Quiet window"), "medium/reversible");
        ProcessInstance pi = drive.instance(id);
        Instant lateInBerlin = LocalDate.now(ZoneOffset.UTC).atTime(22, 30).toInstant(ZoneOffset.UTC);
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcomeWithStep("sent", lateInBerlin, "Europe/Berlin", "Hello"));
        assertThat(pi)
                .isWaitingAt(Elements.BACKOFF)
                .variables()
                .containsEntry(Vars.SAFEGUARD_OUTCOME, "retry_later")
                .containsEntry(Vars.SAFEGUARD_DELAY, "PT5M");
        engine.getManagementService()
                .executeJob(engine.getManagementService()
                        .createJobQuery()
                        .processInstanceId(pi.getId())
                        .timers()
                        .singleResult()
                        .getId());
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON));
        assertThat(pi).isWaitingAt(Elements.MISSION_FEEDBACK);
    }

    @Test
    void operationsCommandTriggersUndoFromLiveOversight() {
        String id = toExecution(JourneyDriver.brief("Undo by OC"), "medium/reversible", "low/reversible");
        ProcessInstance pi = drive.instance(id);
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON));
        drive.complete(
                id,
                Elements.LIVE_OVERSIGHT,
                "oc",
                Map.of(Vars.OVERSIGHT_DECISION, "trigger_undo", Vars.OVERSIGHT_NOTE, "customer complaints spiking"));
        assertThat(pi).isWaitingAt(Elements.UNDO_PLAY);
        assertThat(drive.task(id, Elements.LIVE_OVERSIGHT)).isNull();
        var locked = drive.lock(id, Topics.PLAY_UNDO);
        assertThat(locked.getVariables().get(Vars.PLAY_ID)).isEqualTo("play-1");
        engine.getExternalTaskService().complete(locked.getId(), JourneyDriver.TEST_WORKER);
        assertThat(pi).isWaitingAt(Elements.MISSION_FEEDBACK);
    }

    @Test
    void aFailedUndoRunsTheAlternateRollbackAndPagesAtHighSeverity() throws Exception {
        String id = toExecution(JourneyDriver.brief("Undo fails"), "medium/reversible", "low/reversible");
        ProcessInstance pi = drive.instance(id);
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON));
        drive.complete(
                id,
                Elements.LIVE_OVERSIGHT,
                "oc2",
                Map.of(Vars.OVERSIGHT_DECISION, "trigger_undo", Vars.OVERSIGHT_NOTE, "stop"));
        var locked = drive.lock(id, Topics.PLAY_UNDO);
        engine.getExternalTaskService()
                .handleBpmnError(
                        locked.getId(),
                        JourneyDriver.TEST_WORKER,
                        MissionJourney.ERROR_UNDO_FAILED,
                        "records changed since");

        assertThat(pi).isWaitingAt(Elements.UNDO_FAILURE_RUNBOOK);
        ProcessInstance runbook = runbook(id, Runbooks.UNDO_FAILURE);
        assertThat(runbook).isWaitingAt(Runbooks.Elements.ALTERNATE_ROLLBACK);
        IncidentService.Incident incident = incidents.get(incidentOf(id));
        assertThat(incident.kind()).isEqualTo("undo_failure");
        assertThat(incident.severity()).isEqualTo("high");
        assertThat(incident.summary()).contains("records changed since");
        assertThat(deliveries(id, "slack")).isEqualTo(1);
        assertThat(deliveries(id, "pagerduty")).isEqualTo(1);
        assertThat(deliveries(id, "email")).isEqualTo(1);

        // the alternate rollback gets the play with the undo plan that failed (docs/agents.md), not only its id
        var rollback = drive.lock(id, Runbooks.Topics.ALTERNATE_ROLLBACK);
        var play = drive.json().read(rollback.getVariables().get(MissionJourney.Vars.PLAY));
        assertThat(play.path("playId").asText())
                .isEqualTo(rollback.getVariables().get(MissionJourney.Vars.PLAY_ID));
        assertThat(play.path("undoPlan").path("steps").isArray())
                .as(play.toString())
                .isTrue();
        assertThat(play.path("undoPlan").path("steps")).isNotEmpty();
        assertThat(rollback.getVariables().get(Runbooks.Vars.UNDO_ERROR_MESSAGE))
                .isEqualTo("records changed since");
        drive.engineComplete(rollback.getId(), Map.of());
        drive.complete(
                id,
                Runbooks.Elements.CONFIRM_RESTORATION,
                "oc",
                Map.of(
                        Runbooks.Vars.RESTORATION_CONFIRMED,
                        true,
                        Runbooks.Vars.RESTORATION_NOTE,
                        "restored from the nightly export"));
        assertThat(runbook).isEnded();
        assertThat(incidents.get(incident.id()).status()).isEqualTo(IncidentService.RESOLVED);
        assertThat(pi).isWaitingAt(Elements.MISSION_FEEDBACK);
    }

    @Test
    void aCoverageOverrideNeedsASecondApproverWhoIsNotTheFirst() {
        String id = drive.start("mogv", JourneyDriver.brief("Override approvers"));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(55));
        ProcessInstance gap = runbook(id, Runbooks.DATA_GAP);
        assertThat(gap).isWaitingAt(Runbooks.Elements.GAP_DECISION);
        assertThat(deliveries(id, "slack")).as("gap posted").isEqualTo(1);
        drive.complete(
                id,
                Runbooks.Elements.GAP_DECISION,
                "gv",
                Map.of(
                        Vars.COVERAGE_DECISION,
                        "override",
                        Vars.COVERAGE_COMMENT,
                        "the missing 45% are archived accounts"));
        assertThatThrownBy(() -> drive.complete(
                        id,
                        Runbooks.Elements.OVERRIDE_SECOND_APPROVAL,
                        "gv",
                        Map.of(Runbooks.Vars.OVERRIDE_APPROVAL, "approve")))
                .isInstanceOf(SegregationOfDutiesException.class)
                .hasMessageContaining("second approver");
        assertThatThrownBy(() -> drive.complete(
                        id,
                        Runbooks.Elements.OVERRIDE_SECOND_APPROVAL,
                        "mogv",
                        Map.of(Runbooks.Vars.OVERRIDE_APPROVAL, "approve")))
                .isInstanceOf(SegregationOfDutiesException.class);
        drive.complete(
                id,
                Runbooks.Elements.OVERRIDE_SECOND_APPROVAL,
                "gv2",
                Map.of(
                        Runbooks.Vars.OVERRIDE_APPROVAL,
                        "reject",
                        Runbooks.Vars.OVERRIDE_APPROVAL_COMMENT,
                        "55% is red: adjust first"));
        assertThat(drive.instance(id)).isWaitingAt(Elements.TOOLKIT_ADJUSTMENT);
        assertThat(approvals.forMission(id))
                .extracting(ApprovalStore.Approval::decision)
                .contains("override", "reject");
    }

    @Test
    void anUnacknowledgedIncidentEscalatesToTheLeadUntilAcknowledged() {
        String id = toExecution(JourneyDriver.brief("Escalation"), "medium/reversible");
        drive.agent(id, Topics.PLAY_EXECUTE, forbiddenWordStep());
        ProcessInstance runbook = runbook(id, Runbooks.SAFEGUARD_VIOLATION);
        var management = engine.getManagementService();
        Job escalation = management
                .createJobQuery()
                .processInstanceId(runbook.getId())
                .timers()
                .singleResult();
        assertThat(escalation).isNotNull();
        management.executeJob(escalation.getId());
        assertThat(queued(id))
                .filteredOn(q -> q.endsWith("incident_escalated"))
                .hasSize(2); // Slack and e-mail to the lead

        String incident = incidentOf(id);
        assertThat(incidents.acknowledge(incident, "oc", "api")).isTrue();
        assertThat(incidents.acknowledge(incident, "oc2", "api"))
                .as("only once")
                .isFalse();
        assertThat(incidents.get(incident).acknowledgedBy()).isEqualTo("oc");
        assertThat(runbook).hasPassed(Runbooks.Elements.PAGE_ACKNOWLEDGE);
        assertThat(deliveries(id, "pagerduty")).as("trigger and acknowledge").isEqualTo(2);

        management.executeJob(management
                .createJobQuery()
                .processInstanceId(runbook.getId())
                .timers()
                .singleResult()
                .getId());
        assertThat(queued(id))
                .filteredOn(q -> q.endsWith("incident_escalated"))
                .as("no new escalation")
                .hasSize(2);
    }

    @Test
    void aKpiMissIsInvestigatedByATelemetryAnalyst() {
        ProcessInstance kpi = engine.getRuntimeService()
                .createProcessInstanceByKey(Runbooks.KPI_MISS)
                .businessKey("kpi-feedback-2026-10")
                .setVariable(Runbooks.Vars.KPI_NAME, "Feedback participation")
                .setVariable(Runbooks.Vars.KPI_PERIOD, "2026-10")
                .setVariable(Runbooks.Vars.KPI_VALUE, "71%")
                .setVariable(Vars.KPI_TARGET, "80%")
                .setVariable(Runbooks.Vars.KPI_KEY, "feedback-participation")
                .execute();
        assertThat(kpi).isWaitingAt(Runbooks.Elements.KPI_MISS_ANALYSIS);
        IncidentService.Incident incident = incidents.list(IncidentService.OPEN, null, 50).stream()
                .filter(i -> i.kind().equals("kpi_miss") && i.summary().contains("71%"))
                .findFirst()
                .orElseThrow();
        drive.complete(
                "kpi-feedback-2026-10",
                Runbooks.Elements.KPI_MISS_ANALYSIS,
                "ta",
                Map.of(
                        Runbooks.Vars.ROOT_CAUSE,
                        "the feedback form is only in Tasklist",
                        Runbooks.Vars.REMEDIATION_OUTCOME,
                        "backlog_item",
                        Runbooks.Vars.REMEDIATION_PLAN,
                        "ask for feedback in the Slack retro message"));
        assertThat(kpi).isEnded();
        assertThat(incidents.get(incident.id()).status()).isEqualTo(IncidentService.RESOLVED);
        assertThat(incidents.get(incident.id()).resolution()).startsWith("backlog_item");
        assertThat(jdbc.queryForObject(
                        "SELECT category FROM backlog_items WHERE source = 'KPI_MISS' AND source_ref = :incident "
                                + "AND kpi = 'feedback-participation' AND stage = 'REFLECT_IMPROVE'",
                        new MapSqlParameterSource("incident", incident.id()),
                        String.class))
                .as("the remediation is on the backlog")
                .isEqualTo("feedback_classification");
    }

    @Test
    void aResolvedIncidentIsReviewedAndAnOverdueReviewReminds() {
        String id = toExecution(JourneyDriver.brief("Review"), "medium/reversible");
        drive.agent(id, Topics.PLAY_EXECUTE, forbiddenWordStep());
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv",
                Map.of(Runbooks.Vars.VIOLATION_DECISION, "resume", Runbooks.Vars.VIOLATION_NOTE, "fine"));
        ProcessInstance review = runbook(id, Runbooks.INCIDENT_REVIEW);
        var task = engine.getTaskService()
                .createTaskQuery()
                .processInstanceId(review.getId())
                .singleResult();
        assertThat(task.getDueDate()).isAfter(Date.from(Instant.now().plus(Duration.ofHours(47))));
        var management = engine.getManagementService();
        management.executeJob(management
                .createJobQuery()
                .processInstanceId(review.getId())
                .timers()
                .singleResult()
                .getId());
        assertThat(queued(id)).contains("slack:review_overdue", "email:review_overdue");
        String incident = incidentOf(id);
        drive.complete(
                id,
                Runbooks.Elements.POST_INCIDENT_REVIEW,
                "oc",
                Map.of(
                        Runbooks.Vars.REVIEW_COMPLETED,
                        true,
                        Runbooks.Vars.REVIEW_SUMMARY,
                        "the agent quoted the objective verbatim",
                        Runbooks.Vars.REVIEW_FOLLOW_UPS,
                        "kc: add a tone template"));
        assertThat(review).isEnded();
        assertThat(incidents.get(incident).reviewedBy()).isEqualTo("oc");
        assertThat(incidents.get(incident).reviewSummary()).contains("verbatim", "tone template");
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM backlog_items WHERE source = 'POST_INCIDENT_REVIEW' "
                                + "AND source_ref = :incident AND stage = 'EXECUTE_OBSERVE' AND mission_id = :mission",
                        new MapSqlParameterSource("incident", incident).addValue("mission", id),
                        Long.class))
                .as("the follow-ups reach the operations backlog")
                .isEqualTo(1);
    }
}
