package io.controlplane.legacy;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.governance.GovernanceCheck;
import io.controlplane.incident.Runbooks;
import io.controlplane.legacy.LegacyJourney.LegacyStage;
import io.controlplane.mission.EvidenceService;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionRequest;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Eight-stage missions in flight move onto the five-stage journey: one legacy instance waiting at each of the eight
 * legacy stages, migrated by the admin endpoint as one batch, lands on the right five-stage activity with its
 * variables and history, and finishes the five-stage journey. Every mission here is this test's own ("Legacy
 * migration …" titles, persona "Legacy migration test"), selected by process instance id.
 */
@IntegrationTest
class LegacyMigrationTest {
    private static final String PERSONA = "Legacy migration test";
    private static final String BASE = "/api/admin/legacy/migrations";

    @Autowired
    ProcessEngine engine;

    @Autowired
    JourneyDriver drive;

    @Autowired
    MissionStore missions;

    @Autowired
    GovernanceCheck governance;

    @Autowired
    EvidenceService evidence;

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void init() {
        BpmnAwareTests.init(engine);
        http = new Http(port);
    }

    // ---- the legacy journey, as its users and agents drove it

    /**
     * An eight-stage mission of {@code mo}, started as the legacy start did (mission owners may no longer start the
     * legacy journey themselves, so the test starts it on the engine's behalf); returns its mission id.
     */
    private String startLegacy(String title) {
        MissionRequest brief = JourneyDriver.brief(title);
        String id = UUID.randomUUID().toString();
        engine.getRuntimeService()
                .createProcessInstanceByKey(LegacyJourney.PROCESS_KEY)
                .businessKey(id)
                .setVariable(Vars.MISSION_OWNER, "mo")
                .setVariable(Vars.MISSION_TITLE, brief.title())
                .setVariable(Vars.OBJECTIVE, brief.objective())
                .setVariable(Vars.PERSONA, PERSONA)
                .setVariable(Vars.KPI_METRIC, brief.kpi().metric())
                .setVariable(Vars.KPI_TARGET, brief.kpi().target().doubleValue())
                .setVariable(Vars.SAFEGUARDS, drive.json().variable(brief.safeguards()))
                .setVariable(Vars.TOOLKITS, drive.json().variable(brief.toolkits()))
                .execute();
        return id;
    }

    /** Drives a fresh legacy mission through the stages before {@code stage}, so it waits at {@code stage}. */
    private void driveLegacyTo(String id, LegacyStage stage) {
        for (LegacyStage s : LegacyStage.values()) {
            if (s == stage) {
                return;
            }
            switch (s) {
                case INTAKE -> drive.complete(id, LegacyJourney.Elements.INTAKE_COMPLETION, "mo", Map.of());
                case MISSION_BRIEF ->
                    drive.complete(
                            id,
                            LegacyJourney.Elements.MISSION_BRIEF_SIGN_OFF,
                            "gv",
                            Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
                case TOOLKITS_CONNECT -> drive.complete(id, LegacyJourney.Elements.TOOLKIT_CONNECTION, "mo", Map.of());
                case DATA_INSPECT -> drive.agent(id, Topics.DATA_INSPECT, drive.coverage(91));
                case PLAN -> drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible"));
                case GOVERNED_EXECUTION ->
                    drive.complete(
                            id,
                            LegacyJourney.Elements.EXECUTION_OVERSIGHT,
                            "oc",
                            Map.of(Vars.OVERSIGHT_DECISION, "stand_down"));
                case EVIDENCE -> drive.complete(id, LegacyJourney.Elements.EVIDENCE_REVIEW, "oc", Map.of());
                case FEEDBACK -> throw new AssertionError("Feedback is the last legacy stage");
            }
        }
    }

    private ProcessInstance instance(String missionId) {
        // not the notification deliveries of its checkpoint posts, which share the business key
        return engine.getRuntimeService()
                .createProcessInstanceQuery()
                .processInstanceBusinessKey(missionId)
                .processDefinitionKeyNotIn(Runbooks.NOTIFICATION_DELIVERY)
                .singleResult();
    }

    /** Runs the migration batch's jobs as the job executor would: seed, one job per instance, then the monitor. */
    private void runBatch(String batchId) {
        var management = engine.getManagementService();
        Batch batch = management.createBatchQuery().batchId(batchId).singleResult();
        assertThat(batch).as("batch %s", batchId).isNotNull();
        assertThat(batch.getType()).isEqualTo(Batch.TYPE_PROCESS_INSTANCE_MIGRATION);
        for (int round = 0;
                round < 10 && management.createBatchQuery().batchId(batchId).count() > 0;
                round++) {
            for (String definition : List.of(
                    batch.getSeedJobDefinitionId(),
                    batch.getBatchJobDefinitionId(),
                    batch.getMonitorJobDefinitionId())) {
                for (Job job :
                        management.createJobQuery().jobDefinitionId(definition).list()) {
                    management.executeJob(job.getId());
                }
            }
        }
        assertThat(management.createBatchQuery().batchId(batchId).count())
                .as("batch completed")
                .isZero();
    }

    // ---- the five-stage journey from wherever the migration put the mission

    private void finishFiveStageJourney(String id, String from) {
        boolean on = false;
        for (String step : List.of(
                Elements.BRIEF_REVISION,
                Elements.INTENT_CONFIRMATION,
                Elements.TOOLKIT_ADJUSTMENT,
                Elements.READ_ONLY_INSPECTION,
                Elements.RANK_PLAYS,
                Elements.LIVE_OVERSIGHT,
                Elements.MISSION_FEEDBACK)) {
            on |= step.equals(from);
            if (!on
                    || List.of(Elements.TOOLKIT_ADJUSTMENT, Elements.LIVE_OVERSIGHT)
                                    .contains(step)
                            && !step.equals(from)) {
                // Adjust Toolkit Selection and a stand-down are only on the way of a mission that waits there; after
                // executed plays the oversight window closes by itself
                continue;
            }
            switch (step) {
                case Elements.BRIEF_REVISION ->
                    drive.complete(
                            id,
                            step,
                            "mo",
                            Map.of(Vars.REVISION_NOTE, "completed the intake on the five-stage journey"));
                case Elements.INTENT_CONFIRMATION -> drive.confirmIntent(id);
                case Elements.TOOLKIT_ADJUSTMENT -> {
                    drive.complete(
                            id,
                            step,
                            "mo",
                            Map.of(
                                    Vars.TOOLKIT_REQUEST,
                                    "hubspot: crm.objects.contacts.read",
                                    Vars.TOOLKIT_ADJUSTMENT_NOTE,
                                    "connected on the five-stage journey"));
                }
                case Elements.READ_ONLY_INSPECTION -> {
                    drive.agent(id, Topics.DATA_INSPECT, drive.coverage(93));
                    drive.authorizeToolkits(id);
                }
                case Elements.RANK_PLAYS -> {
                    drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible", "medium/reversible"));
                    drive.coSign(id, "gv", "oc");
                    for (int i = 0; i < 2; i++) {
                        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "play done after migration"));
                    }
                }
                case Elements.LIVE_OVERSIGHT ->
                    drive.complete(
                            id,
                            step,
                            "oc",
                            Map.of(
                                    Vars.OVERSIGHT_DECISION,
                                    "stand_down",
                                    Vars.OVERSIGHT_NOTE,
                                    "nothing left to watch after the migration"));
                case Elements.MISSION_FEEDBACK -> {
                    drive.complete(
                            id,
                            step,
                            "mo",
                            Map.of(
                                    Vars.FEEDBACK_RATING,
                                    4L,
                                    Vars.EFFORT_SAVED_HOURS,
                                    2.0,
                                    Vars.FEEDBACK_SATISFACTION,
                                    "satisfied"));
                    drive.complete(id, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
                    drive.complete(id, Elements.RETRO_SIGN_OFF_CURATOR, "kc", Map.of(Vars.CURATOR_SIGN_OFF, true));
                    drive.complete(id, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
                }
                default -> throw new AssertionError(step);
            }
        }
    }

    // ---- tests

    @Test
    void missionsWaitingAtEachOfTheEightLegacyStagesMigrateToTheRightActivityKeepTheirStateAndFinish() {
        var runtime = engine.getRuntimeService();
        var history = engine.getHistoryService();
        Map<LegacyStage, String> byStage = new LinkedHashMap<>();
        Map<String, Map<String, String>> variablesBefore = new LinkedHashMap<>();
        Map<String, List<String>> historyBefore = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (LegacyStage stage : LegacyStage.values()) {
            String id = startLegacy("Legacy migration " + stage.legacyName());
            driveLegacyTo(id, stage);
            ProcessInstance pi = instance(id);
            assertThat(pi).isWaitingAt(stage.waitStateId());
            assertThat(missions.find(id).orElseThrow().stage())
                    .as("read model of %s", stage)
                    .isEqualTo(stage.stage());
            byStage.put(stage, id);
            ids.add(pi.getId());
            Map<String, String> vars = new LinkedHashMap<>();
            runtime.getVariables(pi.getId()).forEach((k, v) -> vars.put(k, String.valueOf(v)));
            variablesBefore.put(id, vars);
            historyBefore.put(
                    id,
                    history.createHistoricActivityInstanceQuery().processInstanceId(pi.getId()).list().stream()
                            .map(HistoricActivityInstance::getId)
                            .toList());
        }

        // dry run: every instance would move to its stage's five-stage step; nothing moves
        Http.Response dry = http.post(BASE + "?dryRun=true", "demo", Map.of("processInstanceIds", ids));
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(dry.json().path("batchId").isMissingNode()
                        || dry.json().path("batchId").isNull())
                .isTrue();
        assertThat(dry.json().path("instances")).hasSize(8);
        for (JsonNode row : dry.json().path("instances")) {
            LegacyStage stage =
                    LegacyStage.ofName(row.path("legacyStage").asText()).orElseThrow();
            assertThat(row.path("status").asText()).as(row.toString()).isEqualTo("WOULD_MIGRATE");
            assertThat(row.path("missionId").asText()).isEqualTo(byStage.get(stage));
            assertThat(row.path("targetActivityId").asText()).isEqualTo(stage.targetActivityId());
            assertThat(row.path("stage").asText()).isEqualTo(stage.stage().name());
        }
        byStage.forEach((stage, id) ->
                assertThat(instance(id)).as("untouched by the dry run").isWaitingAt(stage.waitStateId()));
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceIds(new HashSet<>(ids))
                        .processDefinitionKey(LegacyJourney.PROCESS_KEY)
                        .count())
                .isEqualTo(8);

        // the migration: one batch, reported per instance
        Http.Response started = http.post(BASE, "demo", Map.of("processInstanceIds", ids));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String batchId = started.json().path("batchId").asText();
        assertThat(started.header("Location")).isEqualTo(BASE + "/" + batchId);
        assertThat(started.json().path("instances").findValuesAsText("status")).containsOnly("PENDING");
        runBatch(batchId);

        Http.Response report = http.get(BASE + "/" + batchId, "demo");
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().path("batchState").asText()).isEqualTo("COMPLETED");
        assertThat(report.json().path("counts").path("MIGRATED").asInt()).isEqualTo(8);
        assertThat(report.json().path("startedBy").asText()).isEqualTo("demo");
        for (JsonNode row : report.json().path("instances")) {
            LegacyStage stage =
                    LegacyStage.ofName(row.path("legacyStage").asText()).orElseThrow();
            assertThat(row.path("status").asText()).as(row.toString()).isEqualTo("MIGRATED");
            assertThat(row.path("sourceActivityId").asText()).isEqualTo(stage.waitStateId());
            assertThat(row.path("targetActivityId").asText()).isEqualTo(stage.targetActivityId());
        }

        String target = engine.getRepositoryService()
                .createProcessDefinitionQuery()
                .processDefinitionKey(MissionJourney.PROCESS_KEY)
                .latestVersion()
                .singleResult()
                .getId();
        for (Map.Entry<LegacyStage, String> e : byStage.entrySet()) {
            LegacyStage stage = e.getKey();
            String id = e.getValue();
            ProcessInstance pi = instance(id);
            assertThat(pi.getId()).as("same process instance").isEqualTo(ids.get(stage.ordinal()));
            assertThat(pi.getProcessDefinitionId()).isEqualTo(target);
            assertThat(pi).isWaitingAt(stage.targetActivityId());
            // variables kept, the five-stage flags present
            Map<String, Object> after = runtime.getVariables(pi.getId());
            variablesBefore
                    .get(id)
                    .forEach((k, v) -> assertThat(String.valueOf(after.get(k)))
                            .as("%s of %s", k, stage)
                            .isEqualTo(v));
            assertThat(after)
                    .containsEntry(Vars.VIOLATION_HOLD, false)
                    .containsEntry(Vars.MISSION_ABORT_REQUESTED, false);
            // history kept: every activity instance recorded before is still there, under the same process instance
            List<String> historyAfter =
                    history.createHistoricActivityInstanceQuery().processInstanceId(pi.getId()).list().stream()
                            .map(HistoricActivityInstance::getId)
                            .toList();
            assertThat(historyAfter).containsAll(historyBefore.get(id));
            assertThat(history.createHistoricProcessInstanceQuery()
                            .processInstanceId(pi.getId())
                            .singleResult()
                            .getProcessDefinitionKey())
                    .isEqualTo(MissionJourney.PROCESS_KEY);
            // the five-stage stage was entered by the migration: the read model follows it
            assertThat(missions.find(id).orElseThrow().stage()).isEqualTo(stage.stage());
            // the export carries both labels: the legacy stage it waited at, and the five-stage stage it is in now
            JsonNode visits =
                    http.get("/api/stages/history?missionId=" + id, "ta").json().path("items");
            assertThat(visits.findValuesAsText("stageLegacy")).contains(stage.legacyName());
            assertThat(visits).anySatisfy(v -> {
                assertThat(v.path("model").asText()).isEqualTo("EIGHT_STAGE");
                assertThat(v.path("stageLegacy").asText()).isEqualTo(stage.legacyName());
                assertThat(v.path("stageV3").asText()).isEqualTo(stage.stage().displayName());
                assertThat(v.path("outcome").asText()).isEqualTo("CANCELED");
            });
            assertThat(visits).anySatisfy(v -> {
                assertThat(v.path("model").asText()).isEqualTo("FIVE_STAGE");
                assertThat(v.path("stageCode").asText()).isEqualTo(stage.stage().name());
                assertThat(v.path("outcome").asText()).isEqualTo("ACTIVE");
            });
        }

        // every migrated mission finishes the five-stage journey
        byStage.forEach((stage, id) -> {
            ProcessInstance pi = instance(id);
            finishFiveStageJourney(id, stage.targetActivityId());
            // the legacy stage stays in history; the step that waited there was migrated, so its history row now
            // names the five-stage activity (same activity instance, its start time kept)
            assertThat(pi)
                    .as("%s finished", stage)
                    .isEnded()
                    .hasPassed(
                            stage.subProcessId(), stage.targetActivityId(), Elements.SUB_REFLECT_IMPROVE, Elements.END)
                    .hasNotPassed(stage.waitStateId());
            assertThat(missions.find(id).orElseThrow().status()).isEqualTo(MissionStore.Status.COMPLETED);
        });
        // the report still tells what happened once the missions have finished
        assertThat(http.get(BASE + "/" + batchId, "demo")
                        .json()
                        .path("instances")
                        .findValuesAsText("status"))
                .containsOnly("MIGRATED");
        // and the CSV export of a mission that migrated from Plan shows its whole path with both labels
        String plan = byStage.get(LegacyStage.PLAN);
        Http.Response csv = http.get("/api/stages/history?format=csv&missionId=" + plan, "ta");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0))
                .isEqualTo(
                        "mission_id,process_instance_id,model,activity_id,stage_code,stage_v3,stage_legacy,entered_at,left_at,outcome");
        assertThat(lines)
                .anySatisfy(l ->
                        assertThat(l).contains(",EIGHT_STAGE,subProcess_dataInspect,PREPARE,Prepare,Data Inspect,"))
                .anySatisfy(
                        l -> assertThat(l).contains(",EIGHT_STAGE,subProcess_plan,PLAN_APPROVE,Plan & Approve,Plan,"))
                .anySatisfy(l -> assertThat(l)
                        .contains(",FIVE_STAGE,subProcess_reflectImprove,REFLECT_IMPROVE,Reflect & Improve,Feedback,"));
    }

    /**
     * A migrated mission ran its earlier stages on the eight-stage model, where no readiness artifact was rendered:
     * each of them gets its legacy stage record, rendered from the engine's history when the mission enters its
     * five-stage stage, so the governance check passes and the evidence answers 200 — in flight and once finished.
     */
    @Test
    void aMigratedMissionHasTheLegacyRecordOfEveryStageItRanOnTheEightStageModelAndPassesTheCheck() {
        String prepare = startLegacy("Legacy migration evidence, Toolkits and Connect");
        driveLegacyTo(prepare, LegacyStage.TOOLKITS_CONNECT);
        String execute = startLegacy("Legacy migration evidence, Governed Execution");
        driveLegacyTo(execute, LegacyStage.GOVERNED_EXECUTION);
        Http.Response started = http.post(
                BASE,
                "demo",
                Map.of(
                        "processInstanceIds",
                        List.of(instance(prepare).getId(), instance(execute).getId())));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        runBatch(started.json().path("batchId").asText());

        assertThat(instance(prepare)).isWaitingAt(Elements.TOOLKIT_ADJUSTMENT);
        assertThat(missions.find(prepare).orElseThrow().stage()).isEqualTo(Stage.PREPARE);
        assertPassesWithEvidence(prepare, Stage.DEFINE);
        String define =
                http.get("/api/missions/" + prepare + "/evidence/DEFINE", "gv").body();
        assertThat(define)
                .startsWith("# Define — Legacy Stage Record: ")
                .contains("| Stage ended | completed on the eight-stage model |")
                .contains("| Intake | `subProcess_intake` |")
                .contains("| Mission Brief | `subProcess_missionBrief` |")
                .contains("| Complete Intake | `userTask_intakeCompletion` | mo |")
                .contains("| `userTask_missionBriefSignOff` | — (none) |")
                .doesNotContain("subProcess_toolkitsConnect", "userTask_toolkitConnection");
        assertThat(http.get("/api/missions/" + prepare + "/evidence/PREPARE", "gv")
                        .status())
                .as("Prepare runs on the five stages: its own attestation comes when it ends")
                .isEqualTo(404);

        assertThat(instance(execute)).isWaitingAt(Elements.LIVE_OVERSIGHT);
        assertPassesWithEvidence(execute, Stage.DEFINE, Stage.PREPARE, Stage.PLAN_APPROVE);
        assertThat(http.get("/api/missions/" + execute + "/evidence/PLAN_APPROVE", "gv")
                        .body())
                .contains("| Plan | `subProcess_plan` |")
                .contains("| Plan plays | `serviceTask_planPlays` | — (none) |");

        // both finish the five-stage journey: the five-stage artifacts join the legacy records, nothing is rendered
        // twice
        finishFiveStageJourney(prepare, Elements.TOOLKIT_ADJUSTMENT);
        finishFiveStageJourney(execute, Elements.LIVE_OVERSIGHT);
        for (String id : List.of(prepare, execute)) {
            assertThat(missions.find(id).orElseThrow().status()).isEqualTo(MissionStore.Status.COMPLETED);
            assertPassesWithEvidence(id, Stage.values());
            assertThat(new HashSet<>(
                            evidence.artifacts(id).stream().map(a -> a.stage()).toList()))
                    .hasSize(evidence.artifacts(id).size());
        }
        assertThat(evidence.latest(prepare, Stage.PREPARE).template()).isEqualTo(Stage.PREPARE.evidenceTemplate());
        assertThat(evidence.latest(execute, Stage.PREPARE).template())
                .isEqualTo(EvidenceService.LEGACY_RECORD_TEMPLATE);
    }

    private void assertPassesWithEvidence(String id, Stage... stages) {
        var result = governance.checkMission(id).mission(id);
        assertThat(result.failures()).as(result.toString()).isEmpty();
        assertThat(result.passed()).isTrue();
        assertThat(http.get("/api/release/readiness", "oc")
                        .json()
                        .path("reasons")
                        .findValuesAsText("missionId"))
                .doesNotContain(id);
        for (Stage stage : stages) {
            Http.Response r = http.get("/api/missions/" + id + "/evidence/" + stage.name(), "gv");
            assertThat(r.status())
                    .as("%s evidence of %s: %s", stage, id, r.body())
                    .isEqualTo(200);
        }
    }

    @Test
    void anInstanceTheFiveStagesCannotTakeIsRefusedWithItsReasonAndNothingIsMigrated() {
        var runtime = engine.getRuntimeService();
        String good = startLegacy("Legacy migration refusal, good");
        driveLegacyTo(good, LegacyStage.DATA_INSPECT);
        String broken = startLegacy("Legacy migration refusal, broken");
        driveLegacyTo(broken, LegacyStage.MISSION_BRIEF);
        String brokenPi = instance(broken).getId();
        runtime.removeVariable(brokenPi, Vars.MISSION_ID); // as in a legacy instance started before registration
        List<String> ids = List.of(instance(good).getId(), brokenPi);

        Http.Response dry = http.post(BASE + "?dryRun=true", "demo", Map.of("processInstanceIds", ids));
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.json().path("counts").path("WOULD_MIGRATE").asInt()).isEqualTo(1);
        assertThat(dry.json().path("counts").path("REFUSED").asInt()).isEqualTo(1);

        Http.Response refused = http.post(BASE, "demo", Map.of("processInstanceIds", ids));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        JsonNode rows = refused.json().path("instances");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.path("processInstanceId").asText()).isEqualTo(brokenPi);
            assertThat(r.path("status").asText()).isEqualTo("REFUSED");
            assertThat(r.path("legacyStage").asText()).isEqualTo("Mission Brief");
            assertThat(r.path("reason").asText()).contains(Vars.MISSION_ID);
        });
        // nothing moved: both still wait on the legacy model, and the legacy model still serves them
        assertThat(instance(good)).isWaitingAt(LegacyJourney.Elements.DATA_INSPECTION);
        assertThat(instance(broken)).isWaitingAt(LegacyJourney.Elements.MISSION_BRIEF_SIGN_OFF);
        // an agent runtime still serves the legacy mission through /engine-rest, with its own account
        Http.Response locked = http.post(
                "/engine-rest/external-task/fetchAndLock",
                "agent",
                Map.of(
                        "workerId",
                        "legacy-agent",
                        "maxTasks",
                        1,
                        "topics",
                        List.of(Map.of(
                                "topicName", Topics.DATA_INSPECT, "lockDuration", 60_000, "businessKey", good))));
        assertThat(locked.status()).as(locked.body()).isEqualTo(200);
        assertThat(locked.json()).hasSize(1);
        Http.Response done = http.post(
                "/engine-rest/external-task/" + locked.json().get(0).path("id").asText() + "/complete",
                "agent",
                Map.of(
                        "workerId",
                        "legacy-agent",
                        "variables",
                        Map.of(
                                Vars.DATA_COVERAGE_PERCENT, Map.of("value", 90, "type", "Double"),
                                Vars.DATA_PREVIEW_SUMMARY, Map.of("value", "sampled 300 records", "type", "String"))));
        assertThat(done.status()).as(done.body()).isEqualTo(204);
        assertThat(instance(good)).isWaitingAt(LegacyJourney.Elements.PLAN_PLAYS);

        // a five-stage mission is not a legacy instance: 400 naming the field
        String fiveStage = drive.start("mo", JourneyDriver.brief("Legacy migration refusal, five-stage"));
        Http.Response wrong = http.post(
                BASE + "?dryRun=true",
                "demo",
                Map.of("processInstanceIds", List.of(drive.instance(fiveStage).getId())));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("errors").get(0).path("field").asText()).isEqualTo("processInstanceIds[0]");

        for (String id : List.of(good, broken, fiveStage)) {
            runtime.deleteProcessInstance(instance(id).getId(), "legacy migration test done");
        }
    }

    @Test
    void anInstanceThatEndsBeforeItsBatchJobRunsIsReportedFailed() {
        var management = engine.getManagementService();
        String id = startLegacy("Legacy migration, ends before its batch job");
        driveLegacyTo(id, LegacyStage.FEEDBACK);
        String pi = instance(id).getId();
        Http.Response started = http.post(BASE, "demo", Map.of("processInstanceIds", List.of(pi)));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String batchId = started.json().path("batchId").asText();
        // the mission owner finishes the legacy journey before the job executor gets to the batch
        drive.complete(id, LegacyJourney.Elements.FEEDBACK_COLLECTION, "mo", Map.of());
        assertThat(instance(id)).isNull();
        Batch batch = management.createBatchQuery().batchId(batchId).singleResult();
        management
                .createJobQuery()
                .jobDefinitionId(batch.getSeedJobDefinitionId())
                .list()
                .forEach(j -> management.executeJob(j.getId()));
        for (int attempt = 0; attempt < 3; attempt++) {
            for (Job job : management
                    .createJobQuery()
                    .jobDefinitionId(batch.getBatchJobDefinitionId())
                    .list()) {
                try {
                    management.executeJob(job.getId());
                } catch (RuntimeException expected) {
                    // the instance is gone: the job fails, is retried, and runs out of retries
                }
            }
        }
        JsonNode row =
                http.get(BASE + "/" + batchId, "demo").json().path("instances").get(0);
        assertThat(row.path("status").asText()).isEqualTo("FAILED");
        assertThat(row.path("legacyStage").asText()).isEqualTo("Feedback");
        assertThat(row.path("reason").asText()).contains("ended");
        assertThat(missions.find(id).orElseThrow().status()).isEqualTo(MissionStore.Status.COMPLETED);
        management.deleteBatch(batchId, true); // the failed job's incident is this test's own
    }

    @Test
    void onlyCamundaAdministratorsMayMigrateOrReadReports() {
        String id = startLegacy("Legacy migration, not an admin");
        String pi = instance(id).getId();
        for (String user : List.of("mo", "gv", "oc", "ta", "kc", "agent")) {
            Http.Response r = http.post(BASE, user, Map.of("processInstanceIds", List.of(pi)));
            assertThat(r.status()).as("POST as %s", user).isEqualTo(403);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(http.get(BASE + "/some-batch", user).status())
                    .as("GET as %s", user)
                    .isEqualTo(403);
        }
        assertThat(instance(id)).isWaitingAt(LegacyJourney.Elements.INTAKE_COMPLETION);
        // nor can a mission owner start a new eight-stage mission: the legacy model only serves what is in flight
        Assertions.assertThatThrownBy(() -> drive.as(
                        "mo", () -> engine.getRuntimeService().startProcessInstanceByKey(LegacyJourney.PROCESS_KEY)))
                .isInstanceOf(AuthorizationException.class);
        assertThat(engine.getRepositoryService()
                        .getProcessDefinition(instance(id).getProcessDefinitionId())
                        .getKey())
                .isEqualTo(LegacyJourney.PROCESS_KEY);
        assertThat(http.get(BASE + "/no-such-batch", "demo").status()).isEqualTo(404);
        engine.getRuntimeService().deleteProcessInstance(pi, "legacy migration test done");
    }
}
