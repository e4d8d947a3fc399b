package io.controlplane.governance;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Commands;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.governance.GovernanceReport.Finding;
import io.controlplane.governance.GovernanceReport.MissionResult;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.platform.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The governance check over missions driven through the journey, each rule broken by tampering with the stored records.
 * The database is shared with other tests: every assertion reads the result of a mission this test created.
 */
@IntegrationTest
class GovernanceCheckTest {
    /** noon UTC today: inside no quiet window of the test brief (21:00–07:00 recipient time) */
    private static final Instant NOON =
            LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);

    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    GovernanceCheck check;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    /** Define → Prepare → Plan & Approve, co-signed by gv and oc, hooks verified by ta: waiting at the first play. */
    private String toExecution(String title, String... ranking) {
        String id = drive.start("mo", JourneyDriver.brief(title));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking(ranking));
        drive.coSign(id, "gv", "oc");
        return id;
    }

    /** A mission in Execute & Observe whose first play (mutating, with an undo plan) has run cleanly; play-2 waits. */
    private String compliant(String title) {
        String id = toExecution(title, "medium/reversible", "low/reversible");
        drive.agent(
                id,
                Topics.PLAY_EXECUTE,
                drive.outcomeWithStep("sent outreach", NOON, "Etc/UTC", "Hello, shall we talk?"));
        return id;
    }

    private MissionResult result(String missionId) {
        return check.checkMission(missionId).mission(missionId);
    }

    private int sql(String statement, String missionId, Object... keyValues) {
        MapSqlParameterSource p = new MapSqlParameterSource("mission", missionId);
        for (int i = 0; i < keyValues.length; i += 2) {
            p.addValue((String) keyValues[i], keyValues[i + 1]);
        }
        return jdbc.update(statement, p);
    }

    private static void assertFailsOnlyWith(MissionResult result, Finding expected) {
        assertThat(result.passed()).as(result.toString()).isFalse();
        assertThat(result.failures()).containsExactly(expected);
    }

    @Test
    void aCompliantMissionInExecuteAndObservePasses() {
        String id = compliant("Governance: compliant");
        MissionResult result = result(id);
        assertThat(result.stage()).isEqualTo(Stage.EXECUTE_OBSERVE);
        assertThat(result.title()).isEqualTo("Governance: compliant");
        assertThat(result.failures()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        assertThat(result.passed()).isTrue();

        GovernanceReport active = check.checkActive();
        assertThat(active.mission(id).passed()).isTrue();
        assertThat(active.summary().missions()).isEqualTo(active.missions().size());
        assertThat(active.summary().passed() + active.summary().failed())
                .isEqualTo(active.summary().missions());
    }

    @Test
    void aDecisionTakenInARoleTheCheckpointDoesNotAllowFails() {
        String id = compliant("Governance: wrong role");
        assertThat(sql(
                        "UPDATE mission_approvals SET role = 'mission-owner' WHERE mission_id = :mission AND checkpoint = :cp",
                        id,
                        "cp",
                        Elements.PACKET_REVIEW_OPERATIONS))
                .isEqualTo(1);
        assertFailsOnlyWith(
                result(id),
                new Finding(
                        GovernanceCheck.CHECKPOINT_ROLE,
                        "Approval Packet Review (Operations) "
                                + "(Plan & Approve) was decided by oc in role mission-owner; allowed: operations-command, camunda-admin"));
    }

    @Test
    void theSameCoSignerOnBothSidesOfAnApprovalRoundFails() {
        String id = compliant("Governance: one co-signer");
        assertThat(sql(
                        "UPDATE mission_approvals SET decided_by = 'gv' WHERE mission_id = :mission AND checkpoint = :cp",
                        id,
                        "cp",
                        Elements.PACKET_REVIEW_OPERATIONS))
                .isEqualTo(1);
        assertFailsOnlyWith(
                result(id),
                new Finding(
                        GovernanceCheck.SEGREGATION_OF_DUTIES,
                        "approval round 1: gv co-signed "
                                + "both Approval Packet Review (Governance) and Approval Packet Review (Operations)"));
    }

    @Test
    void theMissionOwnerReviewingTheirOwnMissionFails() {
        String id = compliant("Governance: owner reviews");
        sql(
                "UPDATE mission_approvals SET decided_by = 'mo' WHERE mission_id = :mission AND checkpoint = :cp",
                id,
                "cp",
                Elements.INTENT_CONFIRMATION);
        assertFailsOnlyWith(
                result(id),
                new Finding(
                        GovernanceCheck.SEGREGATION_OF_DUTIES,
                        "Intent Confirmation (Define) was decided by mo, the mission owner"));
    }

    @Test
    void aRedPlayConfirmationByACoSignerFails() {
        String id = toExecution("Governance: red play", "high/irreversible");
        assertThat(drive.task(id, Elements.RED_PLAY_CONFIRMATION))
                .as("the play is graded red")
                .isNotNull();
        // operations-command is the task's second candidate group: a confirmation in that role is allowed
        drive.complete(id, Elements.RED_PLAY_CONFIRMATION, "oc2", Map.of(Vars.RED_PLAY_DECISION, "confirm"));
        MissionResult before = result(id);
        assertThat(before.failures()).isEmpty();

        sql(
                "UPDATE mission_approvals SET decided_by = 'gv' WHERE mission_id = :mission AND checkpoint = :cp",
                id,
                "cp",
                Elements.RED_PLAY_CONFIRMATION);
        assertFailsOnlyWith(
                result(id),
                new Finding(
                        GovernanceCheck.SEGREGATION_OF_DUTIES,
                        "Red Play Confirmation (Plan & Approve) was decided by gv, who co-signed the preceding approval round"));
    }

    @Test
    void aCoverageOverrideApprovedByItsRequesterFails() {
        String id = drive.start("mo", JourneyDriver.brief("Governance: override"));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(70));
        drive.complete(
                id,
                Runbooks.Elements.GAP_DECISION,
                "gv",
                Map.of(Vars.COVERAGE_DECISION, "override", Vars.COVERAGE_COMMENT, "the missing accounts are archived"));
        drive.complete(
                id,
                Runbooks.Elements.OVERRIDE_SECOND_APPROVAL,
                "oc",
                Map.of(Runbooks.Vars.OVERRIDE_APPROVAL, "approve"));
        assertThat(result(id).failures()).isEmpty();

        sql(
                "UPDATE mission_approvals SET decided_by = 'gv', role = 'governance-validator' WHERE mission_id = :mission "
                        + "AND checkpoint = :cp",
                id,
                "cp",
                Runbooks.Elements.OVERRIDE_SECOND_APPROVAL);
        assertFailsOnlyWith(
                result(id),
                new Finding(
                        GovernanceCheck.SEGREGATION_OF_DUTIES,
                        "Coverage Override Second "
                                + "Approval (Prepare) was decided by gv, who requested the override in Coverage Gap Decision"));
    }

    @Test
    void changedEvidenceContentFailsItsHash() {
        String id = compliant("Governance: evidence changed");
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT id, sha256 FROM mission_evidence WHERE mission_id = :mission " + "AND stage = 'DEFINE'",
                new MapSqlParameterSource("mission", id));
        sql(
                "UPDATE mission_evidence SET content = :content WHERE id = :id",
                id,
                "content",
                "approved by nobody",
                "id",
                row.get("id"));
        assertFailsOnlyWith(
                result(id),
                new Finding(
                        GovernanceCheck.EVIDENCE_INTEGRITY,
                        "evidence #" + row.get("id")
                                + " of Define (define_intake_validation.md): stored SHA-256 " + row.get("sha256")
                                + " does not match its content (" + Sha256.hex("approved by nobody") + ")"));
    }

    @Test
    void aCompletedStageWithoutEvidenceFails() {
        String id = compliant("Governance: evidence missing");
        sql("UPDATE mission_approvals SET evidence_id = NULL WHERE mission_id = :mission AND stage = 'PREPARE'", id);
        assertThat(sql("DELETE FROM mission_evidence WHERE mission_id = :mission AND stage = 'PREPARE'", id))
                .isEqualTo(1);
        assertFailsOnlyWith(
                result(id),
                new Finding(
                        GovernanceCheck.STAGE_EVIDENCE,
                        "Prepare is completed but has no evidence artifact (prepare_toolkit_attestation.md)"));
    }

    @Test
    void aLegacyStageRecordWithoutTheLegacyStageInTheEnginesHistoryFails() {
        // only a migrated mission's stage that ran on the eight-stage model may stand on a legacy record
        String id = compliant("Governance: forged legacy record");
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT id FROM mission_evidence WHERE mission_id = :mission " + "AND stage = 'DEFINE'",
                new MapSqlParameterSource("mission", id));
        sql(
                "UPDATE mission_evidence SET template = :template WHERE id = :id",
                id,
                "template",
                EvidenceService.LEGACY_RECORD_TEMPLATE,
                "id",
                row.get("id"));
        MissionResult result = result(id);
        assertThat(result.passed()).isFalse();
        assertThat(result.failures())
                .containsExactly(
                        new Finding(
                                GovernanceCheck.STAGE_EVIDENCE,
                                "evidence #"
                                        + row.get("id")
                                        + " of Define is a legacy stage record, but the engine's history shows no Define stage "
                                        + "completed on the eight-stage model"),
                        new Finding(
                                GovernanceCheck.STAGE_EVIDENCE,
                                "Define is completed but has no evidence artifact (define_intake_validation.md)"));
    }

    @Test
    void anExecutedMutatingPlayWithoutUndoPlanFails() {
        String id = compliant("Governance: no undo plan");
        // play-2 has not run yet: a missing undo plan there is for the plan review, not for this rule
        assertThat(sql("UPDATE mission_plays SET undo_plan_json = NULL WHERE mission_id = :mission", id))
                .isEqualTo(2);
        assertFailsOnlyWith(
                result(id),
                new Finding(
                        GovernanceCheck.UNDO_PLAN,
                        "play play-1 (Play 1, round 1) is mutating and was executed without an undo plan"));
    }

    @Test
    void anEscalatedStepWithoutAViolationDecisionFails() {
        String id = compliant("Governance: undecided escalation");
        sql("""
                INSERT INTO mission_steps (mission_id, play_id, action, occurred_at, spend_cents, reversible,
                  safeguard_outcome, findings)
                VALUES (:mission, 'play-1', 'send_message', :at, 0, TRUE, 'escalate', 'tone: forbidden word')""", id, "at", NOON.atOffset(ZoneOffset.UTC));
        assertFailsOnlyWith(
                result(id),
                new Finding(
                        GovernanceCheck.SAFEGUARD_ESCALATION,
                        "play play-1 (Play 1) escalated a safeguard violation with no Safeguard Violation Decision"));
    }

    @Test
    void anEscalationAwaitingItsDecisionIsAWarningUntilDecided() {
        String id = toExecution("Governance: pending escalation", "medium/reversible", "low/reversible");
        drive.agent(
                id,
                Topics.PLAY_EXECUTE,
                drive.outcomeWithStep("sent outreach", NOON, "Etc/UTC", "Your results are guaranteed!"));
        String runbook = drive.task(id, Runbooks.Elements.VIOLATION_DECISION).getProcessInstanceId();

        MissionResult pending = result(id);
        assertThat(pending.passed()).isTrue();
        assertThat(pending.failures()).isEmpty();
        assertThat(pending.warnings())
                .containsExactly(new Finding(
                        GovernanceCheck.SAFEGUARD_ESCALATION,
                        "play play-1 "
                                + "(Play 1) escalated a safeguard violation; its Safeguard Violation Decision is pending (runbook "
                                + runbook + ")"));

        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv",
                Map.of(
                        Runbooks.Vars.VIOLATION_DECISION,
                        "resume",
                        Runbooks.Vars.VIOLATION_NOTE,
                        "wording approved by legal"));
        MissionResult decided = result(id);
        assertThat(decided.passed()).isTrue();
        assertThat(decided.warnings()).isEmpty();
    }

    @Test
    void telemetryHooksNotVerifiedAtApprovalFails() {
        String id = compliant("Governance: hooks missing");
        sql(
                "UPDATE mission_approvals SET decision = 'missing' WHERE mission_id = :mission AND checkpoint = :cp",
                id,
                "cp",
                Elements.TELEMETRY_HOOKS_VERIFICATION);
        // the records now say the hooks were missing, so the engine's path (Execute & Observe entered) disagrees too
        MissionResult result = result(id);
        assertThat(result.passed()).isFalse();
        assertThat(result.failures())
                .extracting(Finding::rule)
                .containsExactly(GovernanceCheck.TELEMETRY_HOOKS, GovernanceCheck.JOURNEY_PATH);
        assertThat(result.failures().get(0))
                .isEqualTo(
                        new Finding(
                                GovernanceCheck.TELEMETRY_HOOKS,
                                "Plan & Approve is "
                                        + "completed but the latest Telemetry Hooks Verification decision is 'missing' (by ta)"));
        assertThat(result.failures().get(1).detail())
                .startsWith("Execute & Observe was entered at ")
                .endsWith("without Telemetry Hooks Verification 'verified' (the latest was 'missing' by ta)");
    }

    @Test
    void theEndpointReportsPassAndFailWith200() {
        String clean = compliant("Governance: endpoint clean");
        String broken = compliant("Governance: endpoint broken");
        sql(
                "UPDATE mission_plays SET undo_plan_json = NULL WHERE mission_id = :mission AND play_id = 'play-1'",
                broken);

        Http.Response one = http.get("/api/governance/check?missionId=" + clean, "oc");
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(one.json().path("summary").path("missions").asInt()).isEqualTo(1);
        assertThat(one.json().path("summary").path("passed").asInt()).isEqualTo(1);
        assertThat(one.json().path("summary").path("failed").asInt()).isZero();
        assertThat(one.json().path("summary").path("checkedAt").asText()).isNotEmpty();
        assertThat(one.json().path("missions").get(0).path("missionId").asText())
                .isEqualTo(clean);
        assertThat(one.json().path("missions").get(0).path("title").asText()).isEqualTo("Governance: endpoint clean");
        assertThat(one.json().path("missions").get(0).path("stage").asText()).isEqualTo("EXECUTE_OBSERVE");
        assertThat(one.json().path("missions").get(0).path("passed").asBoolean())
                .isTrue();
        assertThat(one.json().path("missions").get(0).path("failures").isArray())
                .isTrue();
        assertThat(one.json().path("missions").get(0).path("warnings").isArray())
                .isTrue();

        Http.Response failing = http.get("/api/governance/check?missionId=" + broken, "gv");
        assertThat(failing.status()).as(failing.body()).isEqualTo(200);
        assertThat(failing.json().path("summary").path("failed").asInt()).isEqualTo(1);
        var mission = failing.json().path("missions").get(0);
        assertThat(mission.path("passed").asBoolean()).isFalse();
        assertThat(mission.path("failures").get(0).path("rule").asText()).isEqualTo(GovernanceCheck.UNDO_PLAN);
        assertThat(mission.path("failures").get(0).path("detail").asText()).contains("play-1");

        Http.Response all = http.get("/api/governance/check", "oc");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.json().path("summary").path("failed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(all.json().path("missions").findValuesAsText("missionId")).contains(clean, broken);

        assertThat(http.get("/api/governance/check?missionId=no-such-mission", "oc")
                        .status())
                .isEqualTo(404);
        Http.Response bad = http.get("/api/governance/check?missionId=%20", "oc");
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("missionId");
    }

    @Test
    void theCommandExitsZeroWhenTheMissionsPassAndOneWhenOneFails() {
        String clean = compliant("Governance: command clean");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Commands.governanceCheck(check, clean, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("1 mission, 1 passed, 0 failed")
                .contains("PASS " + clean + "  Governance: command clean  (Execute & Observe)");

        String broken = compliant("Governance: command broken");
        sql(
                "UPDATE mission_approvals SET decision = 'missing' WHERE mission_id = :mission AND checkpoint = :cp",
                broken,
                "cp",
                Elements.TELEMETRY_HOOKS_VERIFICATION);
        out.reset();
        assertThat(Commands.governanceCheck(check, broken, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("1 mission, 0 passed, 1 failed")
                .contains("FAIL " + broken + "  Governance: command broken  (Execute & Observe)\n"
                        + "    failure [telemetry-hooks] Plan & Approve is completed but the latest Telemetry Hooks "
                        + "Verification decision is 'missing' (by ta)\n");

        // every active mission: the broken one is among them
        out.reset();
        assertThat(Commands.governanceCheck(check, null, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(" active missions, ")
                .contains("FAIL " + broken)
                .contains("PASS " + clean);
    }

    // ---- every path through the journey leaves the evidence the check expects (issue #15, defect 1)

    /** Mission Feedback and the three retrospective sign-offs: the journey ends. */
    private void reflect(String id) {
        drive.complete(
                id,
                Elements.MISSION_FEEDBACK,
                "mo",
                Map.of(Vars.FEEDBACK_RATING, 3L, Vars.EFFORT_SAVED_HOURS, 1L, Vars.FEEDBACK_SATISFACTION, "neutral"));
        drive.complete(id, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_CURATOR, "kc", Map.of(Vars.CURATOR_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
    }

    /** Runs every queued undo plan of the mission (newest first), as the agent would. */
    private void undoAll(String id) {
        for (int i = 0; i < 10 && drive.task(id, Elements.MISSION_FEEDBACK) == null; i++) {
            drive.agent(id, Topics.PLAY_UNDO, Map.of());
        }
    }

    /**
     * The mission passes the check (no failure, no warning), the release gate names no reason for it, and the evidence
     * of each of {@code stages} — what the forms link — answers 200 with its template's heading.
     */
    private void passesWithEvidence(String id, MissionStore.Status status, Stage... stages) {
        MissionResult result = result(id);
        assertThat(result.failures()).as(result.toString()).isEmpty();
        assertThat(result.warnings()).as(result.toString()).isEmpty();
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM missions WHERE id = :mission",
                        new MapSqlParameterSource("mission", id),
                        String.class))
                .isEqualTo(status.name());
        assertThat(check.checkActive().mission(id).passed())
                .as("in the active check's window")
                .isTrue();
        Http.Response gate = http.get("/api/release/readiness", "oc");
        assertThat(gate.status()).isEqualTo(200);
        assertThat(gate.json().path("reasons").findValuesAsText("missionId")).doesNotContain(id);
        for (Stage stage : stages) {
            Http.Response evidence = http.get("/api/missions/" + id + "/evidence/" + stage.name(), "gv");
            assertThat(evidence.status())
                    .as("%s evidence: %s", stage, evidence.body())
                    .isEqualTo(200);
            assertThat(evidence.body()).startsWith("# " + stage.displayName());
        }
    }

    @Test
    void theHappyPathPassesWithEvidenceOfEveryStage() {
        String id = compliant("Governance path: happy");
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "segment built"));
        reflect(id);
        passesWithEvidence(id, MissionStore.Status.COMPLETED, Stage.values());
    }

    @Test
    void aRejectedPacketReplannedAndApprovedPassesWithEvidenceOfEveryStage() {
        String id = drive.start("mo", JourneyDriver.brief("Governance path: packet rejected"));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("medium/reversible"));
        drive.complete(
                id,
                Elements.PACKET_REVIEW_GOVERNANCE,
                "gv",
                Map.of(Vars.GV_PACKET_DECISION, "reject", Vars.GV_PACKET_COMMENT, "the segment is too wide"));
        drive.complete(id, Elements.PACKET_REVIEW_OPERATIONS, "oc", Map.of(Vars.OC_PACKET_DECISION, "approve"));
        drive.complete(
                id, Elements.TELEMETRY_HOOKS_VERIFICATION, "ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible"));
        drive.coSign(id, "gv2", "oc2");
        drive.agent(
                id,
                Topics.PLAY_EXECUTE,
                drive.outcomeWithStep("sent outreach", NOON, "Etc/UTC", "Hello, shall we talk?"));
        reflect(id);
        passesWithEvidence(id, MissionStore.Status.COMPLETED, Stage.values());
    }

    @Test
    void aMissionRolledBackAfterASafeguardViolationPassesWithItsRunLog() {
        String id = compliant("Governance path: rolled back");
        drive.agent(
                id,
                Topics.PLAY_EXECUTE,
                drive.outcomeWithStep("sent outreach", NOON, "Etc/UTC", "Your results are guaranteed!"));
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv",
                Map.of(
                        Runbooks.Vars.VIOLATION_DECISION,
                        "rollback",
                        Runbooks.Vars.VIOLATION_NOTE,
                        "tone breach reached customers"));
        undoAll(id);
        reflect(id);
        passesWithEvidence(id, MissionStore.Status.ROLLED_BACK, Stage.values());
        // the run log says how the stage ended and lists the violation decision the form linked it from
        String runLog = http.get("/api/missions/" + id + "/evidence/EXECUTE_OBSERVE", "gv")
                .body();
        assertThat(runLog).contains("| Stage ended | rolled back |").contains("| Safeguard Violation Decision | gv |");
    }

    @Test
    void aMissionAbortedAfterASafeguardViolationPassesWithItsRunLog() {
        String id = compliant("Governance path: aborted");
        drive.agent(
                id,
                Topics.PLAY_EXECUTE,
                drive.outcomeWithStep("sent outreach", NOON, "Etc/UTC", "Your results are guaranteed!"));
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv",
                Map.of(Runbooks.Vars.VIOLATION_DECISION, "abort", Runbooks.Vars.VIOLATION_NOTE, "stop everything"));
        assertThat(drive.instance(id)).isNull();
        passesWithEvidence(
                id,
                MissionStore.Status.ABORTED,
                Stage.DEFINE,
                Stage.PREPARE,
                Stage.PLAN_APPROVE,
                Stage.EXECUTE_OBSERVE);
        assertThat(http.get("/api/missions/" + id + "/evidence/EXECUTE_OBSERVE", "gv")
                        .body())
                .contains("| Stage ended | aborted |");
        assertThat(http.get("/api/missions/" + id + "/evidence/REFLECT_IMPROVE", "gv")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aMissionUndoneFromLiveOversightPassesWithItsRunLog() {
        String id = compliant("Governance path: undone from oversight");
        drive.complete(
                id,
                Elements.LIVE_OVERSIGHT,
                "oc",
                Map.of(Vars.OVERSIGHT_DECISION, "trigger_undo", Vars.OVERSIGHT_NOTE, "the audience list was stale"));
        undoAll(id);
        reflect(id);
        passesWithEvidence(id, MissionStore.Status.ROLLED_BACK, Stage.values());
        assertThat(http.get("/api/missions/" + id + "/evidence/EXECUTE_OBSERVE", "gv")
                        .body())
                .contains("| Stage ended | rolled back |")
                .contains("| Live Execution Oversight | oc |");
    }

    /**
     * The check covers the active missions and those that ended in its window (default the trailing seven days); the
     * report says which window; {@code --all} audits the whole history. Two missions marked ended in March 2003 (a
     * period no other test works in), one of them broken.
     */
    @Test
    void theCheckCoversActiveMissionsAndThoseThatEndedInItsWindow() {
        String active = compliant("Governance: window active");
        String early = compliant("Governance: ended early March");
        String late = compliant("Governance: ended late March");
        sql("UPDATE mission_plays SET undo_plan_json = NULL WHERE mission_id = :mission AND play_id = 'play-1'", early);
        sql(
                "UPDATE missions SET status = 'COMPLETED', completed_at = :at WHERE id = :mission",
                early,
                "at",
                OffsetDateTime.parse("2003-03-05T10:00:00Z"));
        sql(
                "UPDATE missions SET status = 'ROLLED_BACK', completed_at = :at WHERE id = :mission",
                late,
                "at",
                OffsetDateTime.parse("2003-03-20T10:00:00Z"));

        GovernanceReport week = check.checkActive();
        assertThat(week.to())
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(week.from()).isEqualTo(week.to().minus(Duration.ofDays(7)));
        assertThat(week.missions())
                .extracting(MissionResult::missionId)
                .contains(active)
                .doesNotContain(early, late);

        GovernanceReport march =
                check.check(Instant.parse("2003-03-01T00:00:00Z"), Instant.parse("2003-03-08T00:00:00Z"));
        assertThat(march.from()).isEqualTo(Instant.parse("2003-03-01T00:00:00Z"));
        assertThat(march.to()).isEqualTo(Instant.parse("2003-03-08T00:00:00Z"));
        assertThat(march.missions())
                .extracting(MissionResult::missionId)
                .contains(active, early)
                .doesNotContain(late);
        assertThat(march.mission(early).failures())
                .contains(new Finding(
                        GovernanceCheck.UNDO_PLAN,
                        "play play-1 (Play 1, round 1) is mutating and was executed without an undo plan"));
        assertThat(march.summary().missions()).isEqualTo(march.missions().size());
        // the end of the window is exclusive, its start inclusive
        assertThat(check.check(Instant.parse("2003-03-05T10:00:00Z"), Instant.parse("2003-03-20T10:00:00Z"))
                        .missions())
                .extracting(MissionResult::missionId)
                .contains(early)
                .doesNotContain(late);

        GovernanceReport history = check.checkHistory();
        assertThat(history.from()).isNull();
        assertThat(history.missions()).extracting(MissionResult::missionId).contains(active, early, late);

        Http.Response api = http.get("/api/governance/check?from=2003-03-15&to=2003-03-22", "oc");
        assertThat(api.status()).as(api.body()).isEqualTo(200);
        assertThat(api.json().path("from").asText()).isEqualTo("2003-03-15T00:00:00Z");
        assertThat(api.json().path("to").asText()).isEqualTo("2003-03-22T00:00:00Z");
        assertThat(api.json().path("missions").findValuesAsText("missionId"))
                .contains(active, late)
                .doesNotContain(early);
        Http.Response one = http.get("/api/governance/check?missionId=" + early, "oc");
        assertThat(one.json().has("from")).isTrue();
        assertThat(one.json().path("from").isNull()).isTrue();
        assertThat(http.get("/api/governance/check?from=2003-03-22&to=2003-03-15", "oc")
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/api/governance/check?to=soon", "oc").status()).isEqualTo(400);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Commands.governanceCheckCommand(
                        check,
                        List.of("--from=2003-03-01", "--to=2003-03-08"),
                        new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("active missions, and missions ended 2003-03-01T00:00:00Z – 2003-03-08T00:00:00Z: ")
                .contains("FAIL " + early)
                .doesNotContain(late);
        out.reset();
        assertThat(Commands.governanceCheckCommand(
                        check, List.of("--all"), new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("every mission of the history: ")
                .contains("FAIL " + early)
                .contains(late);
    }
}
