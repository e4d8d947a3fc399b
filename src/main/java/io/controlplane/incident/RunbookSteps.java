package io.controlplane.incident;

import io.controlplane.backlog.BacklogRequest;
import io.controlplane.backlog.BacklogService;
import io.controlplane.mission.MissionStore;
import io.controlplane.notify.PagerAction;
import io.controlplane.platform.EngineCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * The runbooks' service tasks ({@code journey.RunbookDelegates} reads their variables): open and resolve the
 * incident, queue its notifications. Notifications are only queued here; {@code notification-delivery} sends them
 * asynchronously.
 */
@Component
public class RunbookSteps {
    /** Where a KPI's remediation lands on the backlog: the stage the guide aligns the KPI with, and a category there. */
    private static final Map<String, String[]> KPI_BACKLOG = Map.of(
            "mission-throughput", new String[] {"REFLECT_IMPROVE", "training_content"},
            "approval-latency", new String[] {"PLAN_APPROVE", "approval_ux"},
            "validator-escalation-rate", new String[] {"EXECUTE_OBSERVE", "validator_tuning"},
            "undo-execution-success", new String[] {"PLAN_APPROVE", "undo_plan_coverage"},
            "feedback-participation", new String[] {"REFLECT_IMPROVE", "feedback_classification"},
            "library-reuse", new String[] {"REFLECT_IMPROVE", "library_tagging"});

    private final IncidentService incidents;
    private final OnCallSchedule onCall;
    private final MissionStore missions;
    private final RunbookNotices notices;
    private final NotificationDeliveries deliveries;
    private final Contacts contacts;
    private final IdentityService identity;
    private final BacklogService backlog;

    RunbookSteps(
            IncidentService incidents,
            OnCallSchedule onCall,
            MissionStore missions,
            RunbookNotices notices,
            NotificationDeliveries deliveries,
            Contacts contacts,
            IdentityService identity,
            BacklogService backlog) {
        this.incidents = incidents;
        this.onCall = onCall;
        this.missions = missions;
        this.notices = notices;
        this.deliveries = deliveries;
        this.contacts = contacts;
        this.identity = identity;
        this.backlog = backlog;
    }

    /** An opened incident: its id, and the escalation cycle for the runbook's timer. */
    public record Opened(String incidentId, String escalationCycle) {}

    public Opened open(RunbookFacts facts, String processInstanceId) {
        String missionId = facts.missionId();
        String stage = missionId == null
                ? null
                : missions.find(missionId).map(m -> m.stage().name()).orElse(null);
        String id = incidents.open(
                facts.incidentKind(),
                missionId,
                stage,
                facts.incidentSeverity(),
                facts.incidentSummary(),
                processInstanceId);
        return new Opened(id, "R/" + onCall.escalateAfter());
    }

    /** Posts to the operations channel, mentioning whoever is on call and the lead of the role that acts on it. */
    public void notifySlack(RunbookFacts facts, String businessKey) {
        List<String> mentions = new ArrayList<>(notices.onCallMentions());
        String lead = contacts.leadFor(facts.kind());
        if (lead != null && !mentions.contains(lead)) {
            mentions.add(lead);
        }
        deliveries.slack(notices.notice(facts, facts.kind(), mentions, List.of()), businessKey);
    }

    /** PagerDuty trigger, acknowledge or resolve ({@code pagerAction}), the incident id as dedup key. */
    public void page(RunbookFacts facts, String businessKey) {
        deliveries.page(
                notices.notice(facts, facts.kind(), notices.onCallMentions(), List.of()),
                PagerAction.valueOf(facts.pagerAction()),
                businessKey);
    }

    /** Mails the mission owner, governance validators and operations command, and whoever is on call. */
    public void emailStakeholders(RunbookFacts facts, String businessKey) {
        List<String> to = new ArrayList<>(notices.emailsOf(facts.missionOwner(), RunbookNotices.stakeholderGroups()));
        String onCallEmail = notices.onCallEmail();
        if (onCallEmail != null && !to.contains(onCallEmail)) {
            to.add(onCallEmail);
        }
        deliveries.email(notices.notice(facts, facts.kind(), List.of(), to), businessKey);
    }

    /** Fired by the repeating timer while the decision is open: escalates to the lead while nobody acknowledged. */
    public void escalate(RunbookFacts facts, String businessKey) {
        if (!IncidentService.OPEN.equals(incidents.get(facts.incidentId()).status())) {
            return; // acknowledged (or resolved) meanwhile: the escalation has stopped
        }
        deliveries.slack(notices.notice(facts, "incident_escalated", notices.leadMentions(), List.of()), businessKey);
        deliveries.email(
                notices.notice(facts, "incident_escalated", List.of(), List.of(notices.leadEmail())), businessKey);
    }

    /**
     * Resolves the incident with the decision taken, which starts its post-incident review. A KPI miss whose analyst
     * chose a backlog item puts the remediation plan on the operations backlog.
     */
    public void resolve(RunbookFacts facts) {
        if ("kpi_miss".equals(facts.incidentKind()) && "backlog_item".equals(facts.remediationOutcome())) {
            remediate(facts);
        }
        Authentication auth = identity.getCurrentAuthentication();
        String by = auth != null ? auth.getUserId() : facts.decidedBy();
        EngineCalls.asProcess(() -> incidents.resolve(
                facts.incidentId(), by == null ? "runbook" : by, facts.incidentResolution(), facts.missionTitle()));
    }

    private void remediate(RunbookFacts facts) {
        String key = facts.kpiKey();
        String[] where = KPI_BACKLOG.getOrDefault(key, new String[] {"REFLECT_IMPROVE", "training_content"});
        String title = "Remediate " + facts.kpiName() + " (" + facts.kpiPeriod() + ")";
        backlog.fromSource(
                "KPI_MISS",
                facts.incidentId(),
                new BacklogRequest(
                        title.length() > 200 ? title.substring(0, 200) : title,
                        facts.remediationPlan(),
                        where[0],
                        where[1],
                        KPI_BACKLOG.containsKey(key) ? key : null,
                        null,
                        4,
                        3,
                        "telemetry-analyst"),
                null);
    }
}
