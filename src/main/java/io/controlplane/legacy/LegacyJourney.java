package io.controlplane.legacy;

import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.Stage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place where Java meets {@code bpmn/legacy/mission-journey-legacy.bpmn}, the eight-stage journey the five
 * stages replaced: process key, element ids, and the migration mapping of each legacy stage's wait state onto a
 * five-stage activity (docs/domain.md, "Legacy eight-stage mapping"). The migration, its report and the model test read
 * the mapping from here.
 */
public final class LegacyJourney {

    public static final String PROCESS_KEY = "mission-journey-legacy";

    private LegacyJourney() {}

    /** Element ids of the legacy model. */
    public static final class Elements {
        public static final String START = "startEvent_legacyMissionRequested";
        public static final String END = "endEvent_legacyMissionCompleted";
        public static final String SUB_INTAKE = "subProcess_intake";
        public static final String SUB_MISSION_BRIEF = "subProcess_missionBrief";
        public static final String SUB_TOOLKITS_CONNECT = "subProcess_toolkitsConnect";
        public static final String SUB_DATA_INSPECT = "subProcess_dataInspect";
        public static final String SUB_PLAN = "subProcess_plan";
        public static final String SUB_GOVERNED_EXECUTION = "subProcess_governedExecution";
        public static final String SUB_EVIDENCE = "subProcess_evidence";
        public static final String SUB_FEEDBACK = "subProcess_feedback";

        public static final String INTAKE_COMPLETION = "userTask_intakeCompletion";
        public static final String MISSION_BRIEF_SIGN_OFF = "userTask_missionBriefSignOff";
        public static final String TOOLKIT_CONNECTION = "userTask_toolkitConnection";
        public static final String DATA_INSPECTION = "serviceTask_dataInspection";
        public static final String PLAN_PLAYS = "serviceTask_planPlays";
        public static final String EXECUTION_OVERSIGHT = "userTask_executionOversight";
        public static final String EVIDENCE_REVIEW = "userTask_evidenceReview";
        public static final String FEEDBACK_COLLECTION = "userTask_feedbackCollection";

        private Elements() {}
    }

    /**
     * The eight legacy stages in journey order: the name (as in docs/domain.md and {@link Stage#legacyNames()}), the
     * stage's sub-process, its one wait state, and the five-stage activity an instance waiting there migrates to.
     * Each target is the five-stage step of the same kind and role, so the migrated task keeps its candidate group
     * and assignee (migration does not reassign tasks).
     */
    public enum LegacyStage {
        INTAKE("Intake", Elements.SUB_INTAKE, Elements.INTAKE_COMPLETION, MissionJourney.Elements.BRIEF_REVISION),
        MISSION_BRIEF(
                "Mission Brief",
                Elements.SUB_MISSION_BRIEF,
                Elements.MISSION_BRIEF_SIGN_OFF,
                MissionJourney.Elements.INTENT_CONFIRMATION),
        TOOLKITS_CONNECT(
                "Toolkits & Connect",
                Elements.SUB_TOOLKITS_CONNECT,
                Elements.TOOLKIT_CONNECTION,
                MissionJourney.Elements.TOOLKIT_ADJUSTMENT),
        DATA_INSPECT(
                "Data Inspect",
                Elements.SUB_DATA_INSPECT,
                Elements.DATA_INSPECTION,
                MissionJourney.Elements.READ_ONLY_INSPECTION),
        PLAN("Plan", Elements.SUB_PLAN, Elements.PLAN_PLAYS, MissionJourney.Elements.RANK_PLAYS),
        GOVERNED_EXECUTION(
                "Governed Execution",
                Elements.SUB_GOVERNED_EXECUTION,
                Elements.EXECUTION_OVERSIGHT,
                MissionJourney.Elements.LIVE_OVERSIGHT),
        EVIDENCE("Evidence", Elements.SUB_EVIDENCE, Elements.EVIDENCE_REVIEW, MissionJourney.Elements.LIVE_OVERSIGHT),
        FEEDBACK(
                "Feedback",
                Elements.SUB_FEEDBACK,
                Elements.FEEDBACK_COLLECTION,
                MissionJourney.Elements.MISSION_FEEDBACK);

        private final String legacyName;
        private final String subProcessId;
        private final String waitStateId;
        private final String targetActivityId;

        LegacyStage(String legacyName, String subProcessId, String waitStateId, String targetActivityId) {
            this.legacyName = legacyName;
            this.subProcessId = subProcessId;
            this.waitStateId = waitStateId;
            this.targetActivityId = targetActivityId;
        }

        public String legacyName() {
            return legacyName;
        }

        public String subProcessId() {
            return subProcessId;
        }

        public String waitStateId() {
            return waitStateId;
        }

        public String targetActivityId() {
            return targetActivityId;
        }

        /** The five-stage successor, from the one mapping {@link Stage} already holds. */
        public Stage stage() {
            return Stage.fromLegacy(legacyName).orElseThrow();
        }

        public static Optional<LegacyStage> ofName(String name) {
            return Arrays.stream(values())
                    .filter(s -> s.legacyName.equals(name))
                    .findFirst();
        }

        public static Optional<LegacyStage> ofWaitState(String activityId) {
            return Arrays.stream(values())
                    .filter(s -> s.waitStateId.equals(activityId))
                    .findFirst();
        }
    }

    /** Legacy wait state id → five-stage activity id: the instructions of the migration plan. */
    public static Map<String, String> migrationTargets() {
        return Arrays.stream(LegacyStage.values())
                .collect(Collectors.toMap(LegacyStage::waitStateId, LegacyStage::targetActivityId));
    }

    /**
     * Variables every migrated mission must already carry: without them the five-stage listeners, forms and the
     * read model cannot work, so an instance lacking one is refused rather than migrated into a broken state.
     */
    public static final List<String> REQUIRED_VARIABLES = List.of(
            MissionJourney.Vars.MISSION_ID,
            MissionJourney.Vars.MISSION_OWNER,
            MissionJourney.Vars.MISSION_TITLE,
            MissionJourney.Vars.SAFEGUARDS,
            MissionJourney.Vars.TOOLKITS);

    /**
     * Process-level flags the five-stage journey's conditional events read and the eight-stage journey never
     * changed (it had no holds, rollback or abort): the migration plan sets them to their start values.
     */
    public static final Map<String, Object> FLAG_DEFAULTS = Map.of(
            MissionJourney.Vars.VIOLATION_HOLD, false,
            MissionJourney.Vars.SCOPE_DRIFT_HOLD, false,
            MissionJourney.Vars.ROLLBACK_REQUESTED, false,
            MissionJourney.Vars.MISSION_ABORT_REQUESTED, false,
            MissionJourney.Vars.SAFEGUARD_ATTEMPT, 0);
}
