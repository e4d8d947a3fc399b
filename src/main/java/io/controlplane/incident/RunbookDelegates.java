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
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The runbooks' service tasks, thin: read variables, call the incident service or queue a notification.
 * Notifications are only queued here; {@code notification-delivery} sends them asynchronously.
 */
@Configuration
class RunbookDelegates {

    /** Opens the incident; its id travels on as {@code incidentId}, with the escalation cycle for the timer. */
    @Bean
    JavaDelegate openIncidentDelegate(IncidentService incidents, OnCallSchedule onCall, MissionStore missions) {
        return execution -> {
            String missionId = RunbookNotices.text(execution, "missionId");
            String stage = missionId == null
                    ? null
                    : missions.find(missionId).map(m -> m.stage().name()).orElse(null);
            String id = incidents.open(
                    RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_KIND),
                    missionId,
                    stage,
                    RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_SEVERITY),
                    RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_SUMMARY),
                    execution.getProcessInstanceId());
            // the task's input parameters are local to it: the rest of the runbook reads the incident at process level
            var runbook = execution.getProcessInstance();
            runbook.setVariable(Runbooks.Vars.INCIDENT_ID, id);
            runbook.setVariable(
                    Runbooks.Vars.INCIDENT_KIND, RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_KIND));
            runbook.setVariable(
                    Runbooks.Vars.INCIDENT_SEVERITY, RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_SEVERITY));
            runbook.setVariable(
                    Runbooks.Vars.INCIDENT_SUMMARY, RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_SUMMARY));
            runbook.setVariable(Runbooks.Vars.INCIDENT_ESCALATION_CYCLE, "R/" + onCall.escalateAfter());
        };
    }

    /** Posts to the operations channel, mentioning whoever is on call. */
    @Bean
    JavaDelegate notifySlackDelegate(RunbookNotices notices, NotificationDeliveries deliveries, Contacts contacts) {
        return execution -> {
            // whoever is on call, and the lead of the role that acts on this kind of notice
            List<String> mentions = new ArrayList<>(notices.onCallMentions());
            String lead = contacts.leadFor(kind(execution));
            if (lead != null && !mentions.contains(lead)) {
                mentions.add(lead);
            }
            deliveries.slack(
                    notices.notice(execution, kind(execution), mentions, List.of()), execution.getProcessBusinessKey());
        };
    }

    /** PagerDuty trigger, acknowledge or resolve ({@code pagerAction}), the incident id as dedup key. */
    @Bean
    JavaDelegate pageOnCallDelegate(RunbookNotices notices, NotificationDeliveries deliveries) {
        return execution -> deliveries.page(
                notices.notice(execution, kind(execution), notices.onCallMentions(), List.of()),
                PagerAction.valueOf(RunbookNotices.text(execution, Runbooks.Vars.PAGER_ACTION)),
                execution.getProcessBusinessKey());
    }

    /** Mails the stakeholders: the mission owner, governance validators and operations command, and whoever is on call. */
    @Bean
    JavaDelegate emailStakeholdersDelegate(RunbookNotices notices, NotificationDeliveries deliveries) {
        return execution -> {
            List<String> to = new ArrayList<>(notices.emailsOf(
                    RunbookNotices.text(execution, "missionOwner"), RunbookNotices.stakeholderGroups()));
            String onCallEmail = notices.onCallEmail();
            if (onCallEmail != null && !to.contains(onCallEmail)) {
                to.add(onCallEmail);
            }
            deliveries.email(
                    notices.notice(execution, kind(execution), List.of(), to), execution.getProcessBusinessKey());
        };
    }

    /** Fired by the repeating timer while the decision is open: escalates to the lead while nobody acknowledged. */
    @Bean
    JavaDelegate escalateIncidentDelegate(
            IncidentService incidents, RunbookNotices notices, NotificationDeliveries deliveries) {
        return execution -> {
            String id = RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_ID);
            if (!IncidentService.OPEN.equals(incidents.get(id).status())) {
                return; // acknowledged (or resolved) meanwhile: the escalation has stopped
            }
            deliveries.slack(
                    notices.notice(execution, "incident_escalated", notices.leadMentions(), List.of()),
                    execution.getProcessBusinessKey());
            deliveries.email(
                    notices.notice(execution, "incident_escalated", List.of(), List.of(notices.leadEmail())),
                    execution.getProcessBusinessKey());
        };
    }

    /** Where a KPI's remediation lands on the backlog: the stage the guide aligns the KPI with, and a category there. */
    private static final Map<String, String[]> KPI_BACKLOG = Map.of(
            "mission-throughput", new String[] {"REFLECT_IMPROVE", "training_content"},
            "approval-latency", new String[] {"PLAN_APPROVE", "approval_ux"},
            "validator-escalation-rate", new String[] {"EXECUTE_OBSERVE", "validator_tuning"},
            "undo-execution-success", new String[] {"PLAN_APPROVE", "undo_plan_coverage"},
            "feedback-participation", new String[] {"REFLECT_IMPROVE", "feedback_classification"},
            "library-reuse", new String[] {"REFLECT_IMPROVE", "library_tagging"});

    /**
     * Resolves the incident with the decision taken, which starts its post-incident review. A KPI miss whose analyst
     * chose a backlog item puts the remediation plan on the operations backlog.
     */
    @Bean
    JavaDelegate resolveIncidentDelegate(IncidentService incidents, IdentityService identity, BacklogService backlog) {
        return execution -> {
            if ("kpi_miss".equals(RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_KIND))
                    && "backlog_item".equals(RunbookNotices.text(execution, Runbooks.Vars.REMEDIATION_OUTCOME))) {
                String key = RunbookNotices.text(execution, Runbooks.Vars.KPI_KEY);
                String[] where = KPI_BACKLOG.getOrDefault(key, new String[] {"REFLECT_IMPROVE", "training_content"});
                String title = "Remediate " + RunbookNotices.text(execution, Runbooks.Vars.KPI_NAME) + " ("
                        + RunbookNotices.text(execution, Runbooks.Vars.KPI_PERIOD) + ")";
                backlog.fromSource(
                        "KPI_MISS",
                        RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_ID),
                        new BacklogRequest(
                                title.length() > 200 ? title.substring(0, 200) : title,
                                RunbookNotices.text(execution, Runbooks.Vars.REMEDIATION_PLAN),
                                where[0],
                                where[1],
                                KPI_BACKLOG.containsKey(key) ? key : null,
                                null,
                                4,
                                3,
                                "telemetry-analyst"),
                        null);
            }
            Authentication auth = identity.getCurrentAuthentication();
            String by = auth != null ? auth.getUserId() : RunbookNotices.text(execution, "decidedBy");
            EngineCalls.asProcess(() -> incidents.resolve(
                    RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_ID),
                    by == null ? "runbook" : by,
                    RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_RESOLUTION),
                    RunbookNotices.text(execution, "missionTitle")));
        };
    }

    private static String kind(DelegateExecution execution) {
        String kind = RunbookNotices.text(execution, Runbooks.Vars.NOTIFICATION_KIND);
        kind = kind != null ? kind : RunbookNotices.text(execution, Runbooks.Vars.INCIDENT_KIND);
        return kind != null ? kind : "notice";
    }
}
