package io.controlplane.incident;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.ProcessVariable;
import io.controlplane.platform.VariableNames;
import java.util.Set;

/**
 * The one place where Java meets the runbook models ({@code bpmn/runbook-*.bpmn}, {@code bpmn/incident-review.bpmn}):
 * process keys, element ids, message names and the variables they use.
 */
public final class Runbooks {
    public static final String SAFEGUARD_VIOLATION = "runbook-safeguard-violation";
    public static final String UNDO_FAILURE = "runbook-undo-failure";
    public static final String DATA_GAP = "runbook-data-gap";
    public static final String OAUTH_DRIFT = "runbook-oauth-drift";
    public static final String KPI_MISS = "runbook-kpi-miss";
    public static final String INCIDENT_REVIEW = "incident-review";
    public static final String NOTIFICATION_DELIVERY = "notification-delivery";

    /** Message correlated to a runbook when its incident is acknowledged (Slack button, API). */
    public static final String MESSAGE_INCIDENT_ACKNOWLEDGED = "incidentAcknowledged";

    private Runbooks() {}

    public static final class Elements {
        public static final String OPEN_INCIDENT = "serviceTask_openIncident";
        public static final String NOTIFY_SLACK = "serviceTask_notifySlack";
        public static final String PAGE_ON_CALL = "serviceTask_pageOnCall";
        public static final String PAGE_ACKNOWLEDGE = "serviceTask_pageAcknowledge";
        public static final String PAGE_RESOLVE = "serviceTask_pageResolve";
        public static final String EMAIL_STAKEHOLDERS = "serviceTask_emailStakeholders";
        public static final String ESCALATE_TO_LEAD = "serviceTask_escalateToLead";
        public static final String RESOLVE_INCIDENT = "serviceTask_resolveIncident";
        public static final String VIOLATION_DECISION = "userTask_violationDecision";
        public static final String ALTERNATE_ROLLBACK = "serviceTask_alternateRollback";
        public static final String CONFIRM_RESTORATION = "userTask_confirmRestoration";
        public static final String GAP_DECISION = "userTask_gapDecision";
        public static final String OVERRIDE_SECOND_APPROVAL = "userTask_overrideSecondApproval";
        public static final String SCOPE_REAUTHORIZATION = "userTask_scopeReauthorization";
        public static final String KPI_MISS_ANALYSIS = "userTask_kpiMissAnalysis";
        public static final String POST_INCIDENT_REVIEW = "userTask_postIncidentReview";
        public static final String REMIND_SLACK = "serviceTask_remindSlack";
        public static final String REMIND_EMAIL = "serviceTask_remindEmail";
        public static final String DELIVER_NOTIFICATION = "serviceTask_deliverNotification";
        public static final String BOUNDARY_NOT_ACKNOWLEDGED = "boundary_notAcknowledged";
        public static final String BOUNDARY_REVIEW_OVERDUE = "boundary_reviewOverdue";

        private Elements() {}
    }

    /** Agent topics the runbooks hand out. */
    public static final class Topics {
        public static final String ALTERNATE_ROLLBACK = "mission.play.rollback";

        private Topics() {}
    }

    public static final class Vars {
        public static final String INCIDENT_ID = "incidentId";
        public static final String INCIDENT_KIND = "incidentKind";
        public static final String INCIDENT_SEVERITY = "incidentSeverity";
        public static final String INCIDENT_SUMMARY = "incidentSummary";
        public static final String INCIDENT_RESOLUTION = "incidentResolution";
        public static final String INCIDENT_ESCALATION_CYCLE = "incidentEscalationCycle";
        public static final String PAGER_ACTION = "pagerAction";
        public static final String NOTIFICATION_KIND = "notificationKind";
        public static final String VIOLATION_DECISION = "violationDecision";
        public static final String VIOLATION_NOTE = "violationNote";
        public static final String RESTORATION_CONFIRMED = "restorationConfirmed";
        public static final String RESTORATION_NOTE = "restorationNote";
        public static final String OVERRIDE_APPROVAL = "overrideApproval";
        public static final String OVERRIDE_APPROVAL_COMMENT = "overrideApprovalComment";
        public static final String OVERRIDE_REQUESTED_BY = "overrideRequestedBy";
        public static final String DRIFT_TOOLKIT = "driftToolkit";
        public static final String DRIFT_SCOPES = "driftScopes";
        public static final String DRIFT_DETAIL = "driftDetail";
        public static final String DRIFT_DECISION = "driftDecision";
        public static final String DRIFT_NOTE = "driftNote";
        public static final String KPI_NAME = "kpiName";
        /** the KPI's key (e.g. feedback-participation), when the weekly audit started the investigation */
        public static final String KPI_KEY = "kpiKey";

        public static final String KPI_VALUE = "kpiValue";
        public static final String KPI_PERIOD = "kpiPeriod";
        public static final String ROOT_CAUSE = "rootCause";
        public static final String REMEDIATION_OUTCOME = "remediationOutcome";
        public static final String REMEDIATION_PLAN = "remediationPlan";
        public static final String REVIEW_DUE = "reviewDue";
        public static final String REVIEW_SUMMARY = "reviewSummary";
        public static final String REVIEW_FOLLOW_UPS = "reviewFollowUps";
        public static final String REVIEW_COMPLETED = "reviewCompleted";
        public static final String UNDO_ERROR_MESSAGE = "undoErrorMessage";
        public static final String DELIVERY_CHANNEL = "deliveryChannel";
        public static final String DELIVERY_PAYLOAD = "deliveryPayload";

        private Vars() {}

        public static Set<String> all() {
            return VariableNames.of(Vars.class);
        }
    }

    /** The runbooks' variables as the services read them: text, whatever wrote them (models, forms, Java). */
    public static final class Typed {
        public static final ProcessVariable<String> INCIDENT_ID = ProcessVariable.asText(Vars.INCIDENT_ID);
        public static final ProcessVariable<String> INCIDENT_KIND = ProcessVariable.asText(Vars.INCIDENT_KIND);
        public static final ProcessVariable<String> INCIDENT_SEVERITY = ProcessVariable.asText(Vars.INCIDENT_SEVERITY);
        public static final ProcessVariable<String> INCIDENT_SUMMARY = ProcessVariable.asText(Vars.INCIDENT_SUMMARY);
        public static final ProcessVariable<String> INCIDENT_RESOLUTION =
                ProcessVariable.asText(Vars.INCIDENT_RESOLUTION);
        public static final ProcessVariable<String> INCIDENT_ESCALATION_CYCLE =
                ProcessVariable.text(Vars.INCIDENT_ESCALATION_CYCLE);
        public static final ProcessVariable<String> PAGER_ACTION = ProcessVariable.asText(Vars.PAGER_ACTION);
        public static final ProcessVariable<String> NOTIFICATION_KIND = ProcessVariable.asText(Vars.NOTIFICATION_KIND);
        public static final ProcessVariable<String> KPI_NAME = ProcessVariable.asText(Vars.KPI_NAME);
        public static final ProcessVariable<String> KPI_KEY = ProcessVariable.asText(Vars.KPI_KEY);
        public static final ProcessVariable<String> KPI_VALUE = ProcessVariable.text(Vars.KPI_VALUE);
        public static final ProcessVariable<String> KPI_PERIOD = ProcessVariable.asText(Vars.KPI_PERIOD);
        public static final ProcessVariable<String> REMEDIATION_OUTCOME =
                ProcessVariable.asText(Vars.REMEDIATION_OUTCOME);
        public static final ProcessVariable<String> REMEDIATION_PLAN = ProcessVariable.asText(Vars.REMEDIATION_PLAN);
        public static final ProcessVariable<String> REVIEW_SUMMARY = ProcessVariable.text(Vars.REVIEW_SUMMARY);
        public static final ProcessVariable<String> REVIEW_FOLLOW_UPS = ProcessVariable.text(Vars.REVIEW_FOLLOW_UPS);
        public static final ProcessVariable<String> DELIVERY_CHANNEL = ProcessVariable.text(Vars.DELIVERY_CHANNEL);
        public static final ProcessVariable<JsonNode> DELIVERY_PAYLOAD = ProcessVariable.json(Vars.DELIVERY_PAYLOAD);
        // the mission's variables a runbook gets from the journey (its call activity's inputs)
        public static final ProcessVariable<String> MISSION_ID = ProcessVariable.asText("missionId");
        public static final ProcessVariable<String> MISSION_TITLE = ProcessVariable.asText("missionTitle");
        public static final ProcessVariable<String> MISSION_OWNER = ProcessVariable.asText("missionOwner");
        public static final ProcessVariable<String> SAFEGUARD_FINDING_SUMMARY =
                ProcessVariable.asText("safeguardFindingSummary");
        /** who decided, when the runbook's decision did not come through an authenticated task completion */
        public static final ProcessVariable<String> DECIDED_BY = ProcessVariable.asText("decidedBy");

        private Typed() {}
    }
}
