package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.mission.Stage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The stage rollup ({@link StageRollups}): the changes our own missions make to it over a window around the test (the
 * database is shared with other tests), and which window each figure counts a visit in.
 */
@IntegrationTest
class StageRollupTest {
    @Autowired
    ProcessEngine engine;

    @Autowired
    JourneyDriver drive;

    @Autowired
    StageRollups rollups;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    /** A window around this test, the same for the snapshots before and after (the default window moves with now). */
    private final Instant testStart = Instant.now();

    private Map<String, StageRollups.StageRollup> snapshot() {
        return snapshot(testStart.minus(Duration.ofHours(1)), testStart.plus(Duration.ofHours(1)));
    }

    private Map<String, StageRollups.StageRollup> snapshot(Instant from, Instant to) {
        return rollups.rollup(from, to, null).items().stream()
                .collect(Collectors.toMap(StageRollups.StageRollup::stageCode, Function.identity()));
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    private String toExecution(String title, String... plays) {
        String id = toToolkitAuthorization(title);
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking(plays));
        drive.coSign(id, "gv", "oc");
        return id;
    }

    private String toToolkitAuthorization(String title) {
        String id = drive.start("mo", JourneyDriver.brief(title));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        return id;
    }

    /** ACT_INST_STATE_ of the mission's stage sub-process instances, by sub-process id */
    private Map<String, Integer> states(String missionId) {
        return jdbc.query("""
                SELECT a.ACT_ID_, a.ACT_INST_STATE_ FROM ACT_HI_ACTINST a JOIN ACT_HI_PROCINST p ON p.ID_ = a.PROC_INST_ID_
                WHERE p.BUSINESS_KEY_ = :id AND a.ACT_ID_ IN (SELECT sub_process_id FROM stage_labels) AND a.END_TIME_ IS NOT NULL""", new MapSqlParameterSource("id", missionId), rs -> {
            Map<String, Integer> out = new HashMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
            return out;
        });
    }

    @Test
    void missionsEnterLeaveAndStayInStages() {
        Map<String, StageRollups.StageRollup> before = snapshot();

        // completes every stage
        String done = toExecution("Rollup: completes", "medium/reversible");
        drive.agent(done, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "done"));
        drive.complete(
                done,
                Elements.MISSION_FEEDBACK,
                "mo",
                Map.of(Vars.FEEDBACK_RATING, 5L, Vars.EFFORT_SAVED_HOURS, 2L, Vars.FEEDBACK_SATISFACTION, "satisfied"));
        drive.complete(done, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
        drive.complete(done, Elements.RETRO_SIGN_OFF_CURATOR, "kc", Map.of(Vars.CURATOR_SIGN_OFF, true));
        drive.complete(done, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
        assertThat(drive.instance(done)).isNull();
        // waits in Prepare
        toToolkitAuthorization("Rollup: in Prepare");
        // executed its play, waits for feedback in Reflect & Improve
        String inReflect = toExecution("Rollup: in Reflect", "medium/reversible");
        drive.agent(inReflect, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "done"));
        // undone from live oversight: the rollback boundary cancels Execute & Observe; then it waits in Reflect
        String undone = toExecution("Rollup: undone", "medium/reversible", "low/reversible");
        drive.agent(undone, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "first play done"));
        drive.complete(
                undone,
                Elements.LIVE_OVERSIGHT,
                "oc",
                Map.of(Vars.OVERSIGHT_DECISION, "trigger_undo", Vars.OVERSIGHT_NOTE, "complaints"));
        var locked = drive.lock(undone, Topics.PLAY_UNDO);
        engine.getExternalTaskService().complete(locked.getId(), JourneyDriver.TEST_WORKER);
        assertThat(drive.task(undone, Elements.MISSION_FEEDBACK)).isNotNull();

        Map<String, StageRollups.StageRollup> after = snapshot();
        // done: all five left forward; in Prepare: Define left, Prepare entered; inReflect: Execute left forward,
        // waits in Reflect; undone: Execute canceled by the rollback boundary, waits in Reflect
        assertDelta(before, after, Stage.DEFINE, 4, 0, 4, 4);
        assertDelta(before, after, Stage.PREPARE, 4, 1, 3, 3);
        assertDelta(before, after, Stage.PLAN_APPROVE, 3, 0, 3, 3);
        assertDelta(before, after, Stage.EXECUTE_OBSERVE, 3, 0, 2, 3);
        assertDelta(before, after, Stage.REFLECT_IMPROVE, 3, 2, 1, 1);

        // the states Camunda 7.24 writes for a stage sub-process: ended normally 4 ("ending"), canceled 2; the view
        // counts every finished instance but the canceled ones as left forward
        assertThat(states(done))
                .containsOnlyKeys(
                        "subProcess_define",
                        "subProcess_prepare",
                        "subProcess_planApprove",
                        "subProcess_executeObserve",
                        "subProcess_reflectImprove")
                .allSatisfy((k, v) -> assertThat(v).isEqualTo(4));
        assertThat(states(undone))
                .containsEntry("subProcess_executeObserve", 2)
                .containsEntry("subProcess_planApprove", 4);

        StageRollups.StageRollup define = after.get("DEFINE");
        assertThat(define.dwellMeanSeconds()).isNotNull();
        assertThat(define.dwellP95Seconds()).isGreaterThanOrEqualTo(define.dwellP50Seconds());
        assertThat(define.successRate()).isEqualTo((double) define.leftForward() / define.leftTotal());
    }

    /**
     * Entered counts a visit in the window it started in, left and dwell in the window it ended in, and in stage now
     * whatever its start: a mission whose Define ran ten days ago (engine clock) and whose Prepare ends now.
     */
    @Test
    void aVisitIsEnteredInTheWindowItStartedAndLeftInTheWindowItEnded() {
        Instant past = testStart.minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        Instant pastFrom = past.minus(Duration.ofHours(1));
        Instant pastTo = past.plus(Duration.ofHours(1));
        Map<String, StageRollups.StageRollup> pastBefore = snapshot(pastFrom, pastTo);
        Map<String, StageRollups.StageRollup> nowBefore = snapshot();

        ClockUtil.setCurrentTime(Date.from(past));
        String id = drive.start("mo", JourneyDriver.brief("Rollup: entered long ago"));
        drive.confirmIntent(id); // Define left and Prepare entered ten days ago
        ClockUtil.reset();
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id); // Prepare left and Plan & Approve entered now

        Map<String, StageRollups.StageRollup> pastAfter = snapshot(pastFrom, pastTo);
        Map<String, StageRollups.StageRollup> nowAfter = snapshot();
        // ten days ago: entered Define and Prepare, left Define; Plan & Approve is open now, so "in stage" in both
        assertDelta(pastBefore, pastAfter, Stage.DEFINE, 1, 0, 1, 1);
        assertDelta(pastBefore, pastAfter, Stage.PREPARE, 1, 0, 0, 0);
        assertDelta(pastBefore, pastAfter, Stage.PLAN_APPROVE, 0, 1, 0, 0);
        // now: Prepare left (after ten days: its dwell), Plan & Approve entered
        assertDelta(nowBefore, nowAfter, Stage.DEFINE, 0, 0, 0, 0);
        assertDelta(nowBefore, nowAfter, Stage.PREPARE, 0, 0, 1, 1);
        assertDelta(nowBefore, nowAfter, Stage.PLAN_APPROVE, 1, 1, 0, 0);
        assertThat(nowAfter.get("PREPARE").dwellP95Seconds()).isNotNull();
    }

    private static void assertDelta(
            Map<String, StageRollups.StageRollup> before,
            Map<String, StageRollups.StageRollup> after,
            Stage stage,
            long entered,
            long inStage,
            long leftForward,
            long leftTotal) {
        StageRollups.StageRollup b = before.get(stage.name());
        StageRollups.StageRollup a = after.get(stage.name());
        assertThat(a.missionsEntered() - b.missionsEntered())
                .as(stage + " entered")
                .isEqualTo(entered);
        assertThat(a.inStageNow() - b.inStageNow()).as(stage + " in stage now").isEqualTo(inStage);
        assertThat(a.leftForward() - b.leftForward())
                .as(stage + " left forward")
                .isEqualTo(leftForward);
        assertThat(a.leftTotal() - b.leftTotal()).as(stage + " left").isEqualTo(leftTotal);
    }

    @Test
    void everyStageHasItsFiveStageAndLegacyLabelsInJourneyOrder() {
        StageRollups.Rollup week = rollups.rollup(testStart.minus(Duration.ofDays(7)), testStart, null);
        assertThat(week.from()).isEqualTo(testStart.minus(Duration.ofDays(7)));
        assertThat(week.to()).isEqualTo(testStart);
        List<StageRollups.StageRollup> rows = week.items();
        assertThat(rows)
                .extracting(StageRollups.StageRollup::stageCode)
                .containsExactly("DEFINE", "PREPARE", "PLAN_APPROVE", "EXECUTE_OBSERVE", "REFLECT_IMPROVE");
        assertThat(rows)
                .extracting(StageRollups.StageRollup::stageV3)
                .containsExactly("Define", "Prepare", "Plan & Approve", "Execute & Observe", "Reflect & Improve");
        assertThat(rows)
                .extracting(StageRollups.StageRollup::stageLegacy)
                .containsExactly(
                        "Intake + Mission Brief",
                        "Toolkits & Connect + Data Inspect",
                        "Plan",
                        "Governed Execution + Evidence",
                        "Feedback");
        // the labels table agrees with the Java enum, legacy name by legacy name
        List<Map<String, Object>> labels = jdbc.queryForList(
                "SELECT stage_code, stage_v3, stage_legacy FROM stage_labels ORDER BY position", Map.of());
        assertThat(labels).hasSize(8);
        for (Map<String, Object> label : labels) {
            Stage stage = Stage.fromLegacy((String) label.get("stage_legacy")).orElseThrow();
            assertThat(label.get("stage_code")).isEqualTo(stage.name());
            assertThat(label.get("stage_v3")).isEqualTo(stage.displayName());
        }
        assertThat(rollups.rollup(testStart.minus(Duration.ofDays(7)), testStart, Stage.PLAN_APPROVE)
                        .items())
                .extracting(StageRollups.StageRollup::stageCode)
                .containsExactly("PLAN_APPROVE");
    }
}
