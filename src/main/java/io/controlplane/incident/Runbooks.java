package io.controlplane.incident;

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
}
