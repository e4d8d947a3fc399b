package io.controlplane.mission;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.Runbooks;
import io.controlplane.platform.Sha256;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Every path of {@code mission-journey.bpmn}, driven with the job executor off and agents played by the test. */
@IntegrationTest
class MissionJourneyProcessTest {

    @Autowired
    ProcessEngine engine;

    @Autowired
    JourneyDriver drive;

    @Autowired
    MissionService missions;

    @Autowired
    MissionStore store;

    @Autowired
    ApprovalStore approvals;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @BeforeEach
    void init() {
        BpmnAwareTests.init(engine);
    }

    // ---- reusable legs of the journey

    private String startAndConfirmIntent(String title, String... scopes) {
        String id = drive.start("mo", JourneyDriver.brief(title, scopes));
        drive.confirmIntent(id);
        return id;
    }

    private String toPlanReview(String title, String... ranking) {
        String id = startAndConfirmIntent(title);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(92));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking(ranking));
        return id;
    }

    private void reflect(String id) {
        drive.complete(
                id,
                Elements.MISSION_FEEDBACK,
                "mo",
                Map.of(
                        Vars.FEEDBACK_RATING,
                        4L,
                        Vars.EFFORT_SAVED_HOURS,
                        3.5,
                        Vars.FEEDBACK_SATISFACTION,
                        "satisfied",
                        Vars.LIBRARY_ASSETS_REUSED,
                        "asset-7",
                        Vars.FEEDBACK_BLOCKERS,
                        "CRM sandbox access took two days"));
        drive.complete(id, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_CURATOR, "kc", Map.of(Vars.CURATOR_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
    }

    // ---- paths

    @Test
    void happyPathRunsAllFiveStagesAndLeavesEvidence() {
        String id = drive.start("mo", JourneyDriver.brief("Happy path"));
        ProcessInstance pi = drive.instance(id);
        assertThat(pi).isWaitingAt(Elements.INTENT_CONFIRMATION);
        assertThat(store.find(id).orElseThrow().stage()).isEqualTo(Stage.DEFINE);

        drive.confirmIntent(id);
        assertThat(pi).isWaitingAt(Elements.READ_ONLY_INSPECTION).externalTask().hasTopicName(Topics.DATA_INSPECT);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(92));
        assertThat(pi).isWaitingAt(Elements.TOOLKIT_AUTHORIZATION);
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible", "medium/partial", "medium/reversible"));
        assertThat(pi)
                .isWaitingAt(
                        Elements.PACKET_REVIEW_GOVERNANCE,
                        Elements.PACKET_REVIEW_OPERATIONS,
                        Elements.TELEMETRY_HOOKS_VERIFICATION);
        assertThat(pi).variables().containsEntry(Vars.RED_PLAY_COUNT, 0).containsEntry(Vars.PLAY_COUNT, 3);
        drive.coSign(id, "gv", "oc");

        assertThat(pi).isWaitingAt(Elements.EXECUTE_PLAY, Elements.LIVE_OVERSIGHT);
        assertThat(store.find(id).orElseThrow().stage()).isEqualTo(Stage.EXECUTE_OBSERVE);
        for (int i = 1; i <= 3; i++) {
            var locked = drive.lock(id, Topics.PLAY_EXECUTE);
            assertThat(locked.getVariables().get(Vars.PLAY_ID)).isEqualTo("play-" + i);
            engine.getExternalTaskService()
                    .complete(
                            locked.getId(),
                            JourneyDriver.TEST_WORKER,
                            drive.outcome("succeeded", "play " + i + " done"));
        }
        // execution finished: the oversight window closed with it
        assertThat(pi).isWaitingAt(Elements.MISSION_FEEDBACK);
        assertThat(drive.task(id, Elements.LIVE_OVERSIGHT)).isNull();
        reflect(id);

        assertThat(pi)
                .isEnded()
                .hasPassedInOrder(
                        Elements.SUB_DEFINE,
                        Elements.SUB_PREPARE,
                        Elements.SUB_PLAN_APPROVE,
                        Elements.SUB_EXECUTE_OBSERVE,
                        Elements.SUB_REFLECT_IMPROVE,
                        Elements.END);
        MissionService.MissionView view = missions.view(id);
        assertThat(view.status()).isEqualTo("COMPLETED");
        assertThat(view.evidence())
                .extracting(MissionService.EvidenceLink::stage)
                .containsExactly("DEFINE", "PREPARE", "PLAN_APPROVE", "EXECUTE_OBSERVE", "REFLECT_IMPROVE");
        for (MissionService.EvidenceLink e : view.evidence()) {
            String content = missions.evidence(id, Stage.valueOf(e.stage()));
            assertThat(Sha256.hex(content)).as("stored hash of %s", e.stage()).isEqualTo(e.sha256());
            assertThat(content).contains("Happy path");
        }
        // one row per human decision: intent, toolkits, 2 co-signs + telemetry, feedback, 3 sign-offs
        assertThat(view.approvals())
                .hasSize(9)
                .allSatisfy(a -> assertThat(a.evidence()).isNotNull());
        assertThat(missions.evidence(id, Stage.EXECUTE_OBSERVE)).contains("play 1 done", "play 2 done", "play 3 done");
        assertThat(store.feedback(id))
                .get()
                .extracting(MissionStore.Feedback::rating)
                .isEqualTo(4);
        assertThat(jdbc.queryForObject(
                        "SELECT description FROM backlog_items WHERE source = 'REFLECT_FOLLOWUP' AND source_ref = :id",
                        new MapSqlParameterSource("id", id),
                        String.class))
                .as("the blockers become a Reflect & Improve follow-up")
                .isEqualTo("CRM sandbox access took two days");
    }

    @Test
    void requestedChangesLoopBackToTheOwnerAndReviseTheBrief() {
        String id = drive.start("mo", JourneyDriver.brief("Changes requested"));
        ProcessInstance pi = drive.instance(id);
        assertThatThrownBy(() -> drive.complete(
                        id, Elements.INTENT_CONFIRMATION, "gv", Map.of(Vars.INTENT_DECISION, "request_changes")))
                .hasMessageContaining("intentComment is required");
        drive.complete(
                id,
                Elements.INTENT_CONFIRMATION,
                "gv",
                Map.of(Vars.INTENT_DECISION, "request_changes", Vars.INTENT_COMMENT, "KPI is not measurable"));
        assertThat(pi).isWaitingAt(Elements.BRIEF_REVISION).task().isAssignedTo("mo");
        drive.complete(
                id,
                Elements.BRIEF_REVISION,
                "mo",
                Map.of(
                        Vars.OBJECTIVE,
                        "Reactivate 40 dormant accounts",
                        Vars.KPI_METRIC,
                        "accounts with a reply within 14 days",
                        Vars.KPI_TARGET,
                        40L,
                        Vars.REVISION_NOTE,
                        "made the KPI measurable"));
        assertThat(pi).isWaitingAt(Elements.INTENT_CONFIRMATION);
        assertThat(store.find(id).orElseThrow().kpiMetric()).isEqualTo("accounts with a reply within 14 days");
        drive.complete(
                id,
                Elements.INTENT_CONFIRMATION,
                "gv2",
                Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
        assertThat(pi).isWaitingAt(Elements.READ_ONLY_INSPECTION);
        assertThat(approvals.forMission(id))
                .extracting(ApprovalStore.Approval::decision)
                .containsExactly("request_changes", "revised", "approve");
    }

    @Test
    void approvingIntentNeedsTheSafeguardAcknowledgement() {
        String id = drive.start("mo", JourneyDriver.brief("No acknowledgement"));
        assertThatThrownBy(() ->
                        drive.complete(id, Elements.INTENT_CONFIRMATION, "gv", Map.of(Vars.INTENT_DECISION, "approve")))
                .hasMessageContaining("acknowledge the safeguards");
        assertThat(drive.instance(id)).isWaitingAt(Elements.INTENT_CONFIRMATION);
        assertThat(approvals.forMission(id)).isEmpty();
    }

    @Test
    void coverageBelowThresholdCannotAdvanceWithoutARecordedOverride() {
        String id = startAndConfirmIntent("Coverage gap");
        ProcessInstance pi = drive.instance(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(72.5));
        assertThat(pi).isWaitingAt(Elements.DATA_GAP_RUNBOOK);
        assertThat(drive.task(id, Elements.TOOLKIT_AUTHORIZATION)).isNull();
        assertThatThrownBy(() -> drive.complete(
                        id, Runbooks.Elements.GAP_DECISION, "gv", Map.of(Vars.COVERAGE_DECISION, "override")))
                .hasMessageContaining("coverageComment is required");

        // adjust the toolkits: back to the owner, then a fresh inspection
        drive.complete(
                id,
                Runbooks.Elements.GAP_DECISION,
                "gv",
                Map.of(Vars.COVERAGE_DECISION, "adjust_toolkits", Vars.COVERAGE_COMMENT, "add the billing toolkit"));
        assertThat(pi).isWaitingAt(Elements.TOOLKIT_ADJUSTMENT);
        drive.complete(
                id,
                Elements.TOOLKIT_ADJUSTMENT,
                "mo",
                Map.of(
                        Vars.TOOLKIT_REQUEST,
                        "hubspot: crm.objects.contacts.read\nstripe: customers.read",
                        Vars.TOOLKIT_ADJUSTMENT_NOTE,
                        "added billing"));
        assertThat(store.find(id).orElseThrow().toolkitsJson()).contains("stripe");
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(80));
        assertThat(pi).isWaitingAt(Elements.DATA_GAP_RUNBOOK);

        // a recorded override, approved by a second person, lets it advance
        drive.complete(
                id,
                Runbooks.Elements.GAP_DECISION,
                "gv",
                Map.of(
                        Vars.COVERAGE_DECISION,
                        "override",
                        Vars.COVERAGE_COMMENT,
                        "80% is enough for a read-mostly mission"));
        assertThat(pi).isWaitingAt(Elements.DATA_GAP_RUNBOOK);
        drive.complete(
                id,
                Runbooks.Elements.OVERRIDE_SECOND_APPROVAL,
                "oc",
                Map.of(Runbooks.Vars.OVERRIDE_APPROVAL, "approve"));
        assertThat(pi).isWaitingAt(Elements.TOOLKIT_AUTHORIZATION);
        assertThat(approvals.forMission(id))
                .filteredOn(a -> a.checkpoint().equals(Runbooks.Elements.GAP_DECISION))
                .extracting(ApprovalStore.Approval::decision)
                .containsExactly("adjust_toolkits", "override");
    }

    @Test
    void rejectedToolkitAuthorizationReturnsToToolkitSelection() {
        String id = startAndConfirmIntent("Scopes rejected");
        ProcessInstance pi = drive.instance(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        assertThatThrownBy(() -> drive.complete(
                        id,
                        Elements.TOOLKIT_AUTHORIZATION,
                        "oc",
                        Map.of(Vars.TOOLKIT_DECISION, "authorize", Vars.SCOPES_VALIDATED, true)))
                .hasMessageContaining("readOnlyPathConfirmed");
        drive.complete(
                id,
                Elements.TOOLKIT_AUTHORIZATION,
                "oc",
                Map.of(Vars.TOOLKIT_DECISION, "reject", Vars.TOOLKIT_COMMENT, "write scope is broader than needed"));
        assertThat(pi).isWaitingAt(Elements.TOOLKIT_ADJUSTMENT);
        drive.complete(
                id,
                Elements.TOOLKIT_ADJUSTMENT,
                "mo",
                Map.of(
                        Vars.TOOLKIT_REQUEST,
                        "hubspot: crm.objects.contacts.read",
                        Vars.TOOLKIT_ADJUSTMENT_NOTE,
                        "read only"));
        assertThat(pi).isWaitingAt(Elements.READ_ONLY_INSPECTION);
    }

    @Test
    void governanceCoSignerRejectionReturnsToPlanning() {
        String id = toPlanReview("GV rejects", "low/reversible");
        ProcessInstance pi = drive.instance(id);
        drive.complete(
                id,
                Elements.PACKET_REVIEW_GOVERNANCE,
                "gv",
                Map.of(Vars.GV_PACKET_DECISION, "reject", Vars.GV_PACKET_COMMENT, "undo plan too thin"));
        drive.complete(id, Elements.PACKET_REVIEW_OPERATIONS, "oc", Map.of(Vars.OC_PACKET_DECISION, "approve"));
        drive.complete(
                id, Elements.TELEMETRY_HOOKS_VERIFICATION, "ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
        assertThat(pi).isWaitingAt(Elements.RANK_PLAYS);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible", "low/partial"));
        assertThat(pi).variables().containsEntry(Vars.APPROVAL_ROUND, 2).containsEntry(Vars.PLAY_COUNT, 2);
        // a fresh round: the first round's co-signers count no more, so gv may co-sign again
        drive.coSign(id, "gv", "oc");
        assertThat(pi).isWaitingAt(Elements.EXECUTE_PLAY);
        assertThat(engine.getRuntimeService().getVariable(pi.getId(), Vars.APPROVAL_ROUND))
                .isEqualTo(2);
    }

    @Test
    void operationsCoSignerRejectionReturnsToPlanning() {
        String id = toPlanReview("OC rejects", "medium/reversible");
        drive.complete(
                id,
                Elements.PACKET_REVIEW_OPERATIONS,
                "oc",
                Map.of(Vars.OC_PACKET_DECISION, "reject", Vars.OC_PACKET_COMMENT, "SLA impact unclear"));
        drive.complete(id, Elements.PACKET_REVIEW_GOVERNANCE, "gv", Map.of(Vars.GV_PACKET_DECISION, "approve"));
        drive.complete(
                id, Elements.TELEMETRY_HOOKS_VERIFICATION, "ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
        assertThat(drive.instance(id)).isWaitingAt(Elements.RANK_PLAYS);
    }

    @Test
    void missingTelemetryHooksReturnToPlanning() {
        String id = toPlanReview("Hooks missing", "medium/reversible");
        drive.complete(id, Elements.PACKET_REVIEW_GOVERNANCE, "gv", Map.of(Vars.GV_PACKET_DECISION, "approve"));
        drive.complete(id, Elements.PACKET_REVIEW_OPERATIONS, "oc", Map.of(Vars.OC_PACKET_DECISION, "approve"));
        drive.complete(
                id,
                Elements.TELEMETRY_HOOKS_VERIFICATION,
                "ta",
                Map.of(
                        Vars.TELEMETRY_HOOKS_DECISION,
                        "missing",
                        Vars.TELEMETRY_HOOKS_COMMENT,
                        "no execution_step_completed hook"));
        assertThat(drive.instance(id)).isWaitingAt(Elements.RANK_PLAYS);
    }

    @Test
    void redPlaysNeedASecondConfirmationFromAThirdPerson() {
        String id = toPlanReview("Red play", "low/reversible", "high/irreversible");
        ProcessInstance pi = drive.instance(id);
        assertThat(pi).variables().containsEntry(Vars.RED_PLAY_COUNT, 1);
        drive.coSign(id, "gv", "oc");
        assertThat(pi).isWaitingAt(Elements.RED_PLAY_CONFIRMATION);
        assertThatThrownBy(() -> drive.complete(
                        id, Elements.RED_PLAY_CONFIRMATION, "gv", Map.of(Vars.RED_PLAY_DECISION, "confirm")))
                .hasMessageContaining("second confirmation");
        drive.complete(id, Elements.RED_PLAY_CONFIRMATION, "oc2", Map.of(Vars.RED_PLAY_DECISION, "confirm"));
        assertThat(pi).isWaitingAt(Elements.EXECUTE_PLAY);
        assertThat(missions.evidence(id, Stage.PLAN_APPROVE)).contains("| red |", "Red Play Confirmation");
    }

    @Test
    void rejectedRedPlaysReturnToPlanning() {
        String id = toPlanReview("Red rejected", "high/partial");
        drive.coSign(id, "gv", "oc");
        drive.complete(
                id,
                Elements.RED_PLAY_CONFIRMATION,
                "gv2",
                Map.of(Vars.RED_PLAY_DECISION, "reject", Vars.RED_PLAY_COMMENT, "too risky this quarter"));
        assertThat(drive.instance(id)).isWaitingAt(Elements.RANK_PLAYS);
    }

    @Test
    void liveOversightHandsOverUntilExecutionEndsOrStandsDown() {
        String id = toPlanReview("Oversight", "low/reversible", "medium/reversible");
        drive.coSign(id, "gv", "oc");
        ProcessInstance pi = drive.instance(id);
        drive.complete(
                id,
                Elements.LIVE_OVERSIGHT,
                "oc",
                Map.of(Vars.OVERSIGHT_DECISION, "handover", Vars.OVERSIGHT_NOTE, "handing over to EMEA"));
        assertThat(pi).isWaitingAt(Elements.LIVE_OVERSIGHT, Elements.EXECUTE_PLAY);
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "first"));
        drive.complete(
                id,
                Elements.LIVE_OVERSIGHT,
                "oc2",
                Map.of(Vars.OVERSIGHT_DECISION, "stand_down", Vars.OVERSIGHT_NOTE, "automated safeguards suffice"));
        assertThat(pi).isWaitingAt(Elements.EXECUTE_PLAY);
        assertThat(drive.task(id, Elements.LIVE_OVERSIGHT)).isNull();
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("failed", "second: API quota exhausted"));
        assertThat(pi).isWaitingAt(Elements.MISSION_FEEDBACK);
        assertThat(missions.evidence(id, Stage.EXECUTE_OBSERVE))
                .contains("handing over to EMEA", "automated safeguards suffice", "| failed |");
    }

    @Test
    void malformedAgentReportsAreRefusedAndChangeNothing() {
        String id = startAndConfirmIntent("Bad agent");
        ProcessInstance pi = drive.instance(id);
        assertThatThrownBy(() -> drive.agent(id, Topics.DATA_INSPECT, Map.of(Vars.DATA_COVERAGE_PERCENT, 140)))
                .isInstanceOf(BadUserRequestException.class)
                .hasMessageContaining("from 0 to 100");
        assertThat(pi).isWaitingAt(Elements.READ_ONLY_INSPECTION);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(90));
        drive.authorizeToolkits(id);
        Map<String, Object> noUndo = Map.of(
                Vars.RANKED_PLAYS,
                drive.json()
                        .variable(List.of(Map.of(
                                "playId",
                                "p1",
                                "name",
                                "Mass e-mail",
                                "impact",
                                "high",
                                "reversibility",
                                "irreversible",
                                "mutating",
                                true))));
        assertThatThrownBy(() -> drive.agent(id, Topics.PLAY_RANK, noUndo))
                .isInstanceOf(BadUserRequestException.class)
                .hasMessageContaining("no undoPlan");
        assertThatThrownBy(() -> drive.agent(id, Topics.PLAY_RANK, drive.ranking("huge/reversible")))
                .hasMessageContaining("impact must be one of");
        assertThat(pi).isWaitingAt(Elements.RANK_PLAYS);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible"));
        drive.coSign(id, "gv", "oc");
        assertThatThrownBy(() -> drive.agent(id, Topics.PLAY_EXECUTE, Map.of()))
                .hasMessageContaining("playOutcome is required");
        assertThat(pi).isWaitingAt(Elements.EXECUTE_PLAY);
    }
}
