package io.controlplane.mission;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.ProcessVariable;
import io.controlplane.platform.VariableNames;
import java.util.Set;

/**
 * The one place where Java meets {@code bpmn/mission-journey.bpmn}: process key, element ids and variable names.
 * Delegates, listeners and tests use these constants, never string literals.
 */
public final class MissionJourney {

    public static final String PROCESS_KEY = "mission-journey";

    private MissionJourney() {}

    /** Element ids of the journey model. */
    public static final class Elements {
        public static final String START = "startEvent_missionRequested";
        public static final String END = "endEvent_missionCompleted";
        public static final String SUB_DEFINE = "subProcess_define";
        public static final String SUB_PREPARE = "subProcess_prepare";
        public static final String SUB_PLAN_APPROVE = "subProcess_planApprove";
        public static final String SUB_EXECUTE_OBSERVE = "subProcess_executeObserve";
        public static final String SUB_REFLECT_IMPROVE = "subProcess_reflectImprove";

        public static final String INTENT_CONFIRMATION = "userTask_intentConfirmation";
        public static final String BRIEF_REVISION = "userTask_briefRevision";
        public static final String READ_ONLY_INSPECTION = "serviceTask_readOnlyInspection";
        public static final String TOOLKIT_ADJUSTMENT = "userTask_toolkitAdjustment";
        public static final String TOOLKIT_AUTHORIZATION = "userTask_toolkitAuthorization";
        public static final String RANK_PLAYS = "serviceTask_rankPlays";
        public static final String GRADE_PLAYS = "serviceTask_gradePlays";
        public static final String PACKET_REVIEW_GOVERNANCE = "userTask_packetReviewGovernance";
        public static final String PACKET_REVIEW_OPERATIONS = "userTask_packetReviewOperations";
        public static final String TELEMETRY_HOOKS_VERIFICATION = "userTask_telemetryHooksVerification";
        public static final String RED_PLAY_CONFIRMATION = "userTask_redPlayConfirmation";
        public static final String EXECUTE_PLAY = "serviceTask_executePlay";
        public static final String PLAY_EXECUTION = "subProcess_playExecution";
        public static final String EXECUTION_NOT_PAUSED = "event_executionNotPaused";
        public static final String BACKOFF = "timer_backoff";
        public static final String VIOLATION_DECIDED = "event_violationDecided";
        public static final String SAFEGUARD_VIOLATION_RUNBOOK = "callActivity_safeguardViolationRunbook";
        public static final String ROLLBACK = "subProcess_rollback";
        public static final String UNDO_PLAY = "serviceTask_undoPlay";
        public static final String UNDO_FAILURE_RUNBOOK = "callActivity_undoFailureRunbook";
        public static final String DATA_GAP_RUNBOOK = "callActivity_dataGapRunbook";
        public static final String OAUTH_DRIFT_RUNBOOK = "callActivity_oauthDriftRunbook";
        public static final String MISSION_ABORTED = "endEvent_missionAborted";
        public static final String JOURNEY_ABORTED = "endEvent_journeyAborted";
        public static final String LIVE_OVERSIGHT = "userTask_liveOversight";
        public static final String MISSION_FEEDBACK = "userTask_missionFeedback";
        public static final String RETRO_SIGN_OFF_OWNER = "userTask_retroSignOffOwner";
        public static final String RETRO_SIGN_OFF_CURATOR = "userTask_retroSignOffCurator";
        public static final String RETRO_SIGN_OFF_ANALYST = "userTask_retroSignOffAnalyst";

        private Elements() {}
    }

    /** Message the toolkit side sends when granted scopes drift ({@code POST /api/missions/{id}/scope-drift}). */
    public static final String MESSAGE_SCOPE_DRIFT = "scopeDrift";
    /** BPMN error code an agent reports when an undo plan cannot be carried out. */
    public static final String ERROR_UNDO_FAILED = "UNDO_FAILED";

    /** External-task topics the agent runtimes subscribe to. */
    public static final class Topics {
        public static final String DATA_INSPECT = "mission.data.inspect";
        public static final String PLAY_RANK = "mission.play.rank";
        public static final String PLAY_EXECUTE = "mission.play.execute";
        public static final String PLAY_UNDO = "mission.play.undo";

        private Topics() {}
    }

    /** Process variable names; form field keys must be among them. */
    public static final class Vars {
        // the mission brief
        public static final String MISSION_ID = "missionId";
        public static final String MISSION_TITLE = "missionTitle";
        public static final String OBJECTIVE = "objective";
        public static final String PERSONA = "persona";
        public static final String KPI_METRIC = "kpiMetric";
        public static final String KPI_TARGET = "kpiTarget";
        public static final String SAFEGUARDS = "safeguards";
        public static final String TOOLKITS = "toolkits";
        public static final String MISSION_OWNER = "missionOwner";
        public static final String SAFEGUARD_TEMPLATES = "safeguardTemplates";
        public static final String TOOLKIT_REQUEST = "toolkitRequest";
        // read-only summaries rendered in the forms
        public static final String MISSION_BRIEF = "missionBrief";
        public static final String SAFEGUARD_SUMMARY = "safeguardSummary";
        public static final String TOOLKIT_SUMMARY = "toolkitSummary";
        public static final String PLAN_SUMMARY = "planSummary";
        public static final String EXECUTION_SUMMARY = "executionSummary";
        public static final String FEEDBACK_SUMMARY = "feedbackSummary";
        // Define
        public static final String INTENT_DECISION = "intentDecision";
        public static final String INTENT_COMMENT = "intentComment";
        public static final String SAFEGUARDS_ACKNOWLEDGED = "safeguardsAcknowledged";
        public static final String REVISION_NOTE = "revisionNote";
        // Prepare
        public static final String DATA_COVERAGE_PERCENT = "dataCoveragePercent";
        public static final String DATA_PREVIEW_SUMMARY = "dataPreviewSummary";
        public static final String COVERAGE_DECISION = "coverageDecision";
        public static final String COVERAGE_COMMENT = "coverageComment";
        public static final String TOOLKIT_ADJUSTMENT_NOTE = "toolkitAdjustmentNote";
        public static final String TOOLKIT_DECISION = "toolkitDecision";
        public static final String TOOLKIT_COMMENT = "toolkitComment";
        public static final String SCOPES_VALIDATED = "scopesValidated";
        public static final String READ_ONLY_PATH_CONFIRMED = "readOnlyPathConfirmed";
        // Plan & Approve
        public static final String RANKED_PLAYS = "rankedPlays";
        public static final String PLAY_COUNT = "playCount";
        public static final String RED_PLAY_COUNT = "redPlayCount";
        public static final String APPROVAL_ROUND = "approvalRound";
        public static final String GOVERNANCE_CO_SIGNER = "governanceCoSigner";
        public static final String OPERATIONS_CO_SIGNER = "operationsCoSigner";
        public static final String GV_PACKET_DECISION = "gvPacketDecision";
        public static final String GV_PACKET_COMMENT = "gvPacketComment";
        public static final String OC_PACKET_DECISION = "ocPacketDecision";
        public static final String OC_PACKET_COMMENT = "ocPacketComment";
        public static final String TELEMETRY_HOOKS_DECISION = "telemetryHooksDecision";
        public static final String TELEMETRY_HOOKS_COMMENT = "telemetryHooksComment";
        public static final String RED_PLAY_DECISION = "redPlayDecision";
        public static final String RED_PLAY_COMMENT = "redPlayComment";
        // Execute & Observe
        public static final String PLAY_ID = "playId";
        /** what an agent reports it used for one external task (optional on every topic): the agent ledger */
        public static final String AGENT_USAGE = "agentUsage";

        public static final String PLAY = "play";
        public static final String PLAY_OUTCOME = "playOutcome";
        public static final String OVERSIGHT_DECISION = "oversightDecision";
        public static final String OVERSIGHT_NOTE = "oversightNote";
        // safeguards, pause, undo and abort (conditional events watch these process-level flags)
        /** a safeguard violation awaits the validator's decision: the next play waits */
        public static final String VIOLATION_HOLD = "violationHold";
        /** a toolkit's scopes drifted and await re-authorisation: the next play waits */
        public static final String SCOPE_DRIFT_HOLD = "scopeDriftHold";

        public static final String ROLLBACK_REQUESTED = "rollbackRequested";
        public static final String MISSION_ABORT_REQUESTED = "missionAbortRequested";
        public static final String SAFEGUARD_OUTCOME = "safeguardOutcome";
        public static final String SAFEGUARD_DELAY = "safeguardDelay";
        public static final String SAFEGUARD_ATTEMPT = "safeguardAttempt";
        public static final String SAFEGUARD_FINDING_SUMMARY = "safeguardFindingSummary";
        public static final String SAFEGUARD_SEVERITY = "safeguardSeverity";
        /** the play whose step escalated, at process level for the safeguard-violation runbook */
        public static final String ESCALATED_PLAY_ID = "escalatedPlayId";
        // Reflect & Improve
        public static final String FEEDBACK_RATING = "feedbackRating";
        public static final String EFFORT_SAVED_HOURS = "effortSavedHours";
        public static final String FEEDBACK_SATISFACTION = "feedbackSatisfaction";
        public static final String LIBRARY_ASSETS_REUSED = "libraryAssetsReused";
        public static final String FEEDBACK_BLOCKERS = "feedbackBlockers";
        public static final String OWNER_SIGN_OFF = "ownerSignOff";
        public static final String OWNER_SIGN_OFF_COMMENT = "ownerSignOffComment";
        public static final String CURATOR_SIGN_OFF = "curatorSignOff";
        public static final String CURATOR_SIGN_OFF_COMMENT = "curatorSignOffComment";
        public static final String ANALYST_SIGN_OFF = "analystSignOff";
        public static final String ANALYST_SIGN_OFF_COMMENT = "analystSignOffComment";
        // the knowledge library
        public static final String LIBRARY_PLAYS = "libraryPlays";
        public static final String LIBRARY_CATEGORY = "libraryCategory";
        public static final String LIBRARY_TAGS = "libraryTags";
        public static final String LIBRARY_OFFERS = "libraryOffers";

        private Vars() {}

        /** Every variable name declared above (read reflectively so the list cannot drift). */
        public static Set<String> all() {
            return VariableNames.of(Vars.class);
        }
    }

    /** The variables Java reads and writes, typed ({@link ProcessVariable}): no reader casts. */
    public static final class Typed {
        public static final ProcessVariable<String> MISSION_ID = ProcessVariable.text(Vars.MISSION_ID);
        public static final ProcessVariable<String> MISSION_TITLE = ProcessVariable.text(Vars.MISSION_TITLE);
        public static final ProcessVariable<String> OBJECTIVE = ProcessVariable.text(Vars.OBJECTIVE);
        public static final ProcessVariable<String> PERSONA = ProcessVariable.text(Vars.PERSONA);
        public static final ProcessVariable<String> KPI_METRIC = ProcessVariable.text(Vars.KPI_METRIC);
        /** a number from the API, a number or numeric text from the start form: {@code MissionBriefs.decimal} judges it */
        public static final ProcessVariable<Object> KPI_TARGET = ProcessVariable.value(Vars.KPI_TARGET);

        public static final ProcessVariable<JsonNode> SAFEGUARDS = ProcessVariable.json(Vars.SAFEGUARDS);
        public static final ProcessVariable<JsonNode> TOOLKITS = ProcessVariable.json(Vars.TOOLKITS);
        public static final ProcessVariable<String> MISSION_OWNER = ProcessVariable.text(Vars.MISSION_OWNER);
        public static final ProcessVariable<JsonNode> SAFEGUARD_TEMPLATES =
                ProcessVariable.json(Vars.SAFEGUARD_TEMPLATES);
        public static final ProcessVariable<String> TOOLKIT_REQUEST = ProcessVariable.text(Vars.TOOLKIT_REQUEST);
        public static final ProcessVariable<String> MISSION_BRIEF = ProcessVariable.text(Vars.MISSION_BRIEF);
        public static final ProcessVariable<String> SAFEGUARD_SUMMARY = ProcessVariable.text(Vars.SAFEGUARD_SUMMARY);
        public static final ProcessVariable<String> TOOLKIT_SUMMARY = ProcessVariable.text(Vars.TOOLKIT_SUMMARY);
        public static final ProcessVariable<String> PLAN_SUMMARY = ProcessVariable.text(Vars.PLAN_SUMMARY);
        public static final ProcessVariable<String> EXECUTION_SUMMARY = ProcessVariable.text(Vars.EXECUTION_SUMMARY);
        /** what the inspection agent reported, judged by the inspection report (so: as sent) */
        public static final ProcessVariable<Object> DATA_COVERAGE_PERCENT =
                ProcessVariable.value(Vars.DATA_COVERAGE_PERCENT);

        public static final ProcessVariable<Object> DATA_PREVIEW_SUMMARY =
                ProcessVariable.value(Vars.DATA_PREVIEW_SUMMARY);
        /** what the planner agent reported; malformed JSON is the agent's 400 */
        public static final ProcessVariable<JsonNode> RANKED_PLAYS = ProcessVariable.json(Vars.RANKED_PLAYS);

        public static final ProcessVariable<Integer> PLAY_COUNT = ProcessVariable.integer(Vars.PLAY_COUNT);
        public static final ProcessVariable<Integer> RED_PLAY_COUNT = ProcessVariable.integer(Vars.RED_PLAY_COUNT);
        public static final ProcessVariable<Integer> APPROVAL_ROUND = ProcessVariable.integer(Vars.APPROVAL_ROUND);
        public static final ProcessVariable<String> PLAY_ID = ProcessVariable.text(Vars.PLAY_ID);
        public static final ProcessVariable<JsonNode> PLAY = ProcessVariable.json(Vars.PLAY);
        public static final ProcessVariable<JsonNode> PLAY_OUTCOME = ProcessVariable.json(Vars.PLAY_OUTCOME);
        public static final ProcessVariable<Boolean> SCOPE_DRIFT_HOLD = ProcessVariable.flag(Vars.SCOPE_DRIFT_HOLD);
        public static final ProcessVariable<Boolean> ROLLBACK_REQUESTED = ProcessVariable.flag(Vars.ROLLBACK_REQUESTED);
        public static final ProcessVariable<Boolean> MISSION_ABORT_REQUESTED =
                ProcessVariable.flag(Vars.MISSION_ABORT_REQUESTED);
        public static final ProcessVariable<String> SAFEGUARD_OUTCOME = ProcessVariable.text(Vars.SAFEGUARD_OUTCOME);
        public static final ProcessVariable<String> SAFEGUARD_DELAY = ProcessVariable.text(Vars.SAFEGUARD_DELAY);
        public static final ProcessVariable<Integer> SAFEGUARD_ATTEMPT =
                ProcessVariable.integer(Vars.SAFEGUARD_ATTEMPT);
        public static final ProcessVariable<String> SAFEGUARD_FINDING_SUMMARY =
                ProcessVariable.text(Vars.SAFEGUARD_FINDING_SUMMARY);
        public static final ProcessVariable<String> SAFEGUARD_SEVERITY = ProcessVariable.text(Vars.SAFEGUARD_SEVERITY);
        public static final ProcessVariable<String> ESCALATED_PLAY_ID = ProcessVariable.text(Vars.ESCALATED_PLAY_ID);
        /** a comma-separated list in the sign-off form */
        public static final ProcessVariable<String> LIBRARY_PLAYS = ProcessVariable.asText(Vars.LIBRARY_PLAYS);
        /** one of the library's categories, checked by the curation (so: as sent) */
        public static final ProcessVariable<Object> LIBRARY_CATEGORY = ProcessVariable.value(Vars.LIBRARY_CATEGORY);

        public static final ProcessVariable<String> LIBRARY_TAGS = ProcessVariable.asText(Vars.LIBRARY_TAGS);
        public static final ProcessVariable<JsonNode> LIBRARY_OFFERS = ProcessVariable.json(Vars.LIBRARY_OFFERS);

        private Typed() {}
    }
}
