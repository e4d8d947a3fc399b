package io.controlplane.journey;

import static io.controlplane.incident.Runbooks.Typed;

import io.controlplane.incident.RunbookFacts;
import io.controlplane.incident.RunbookSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The runbooks' service tasks, by the bean names the models use: the runbook's variables to {@link RunbookSteps}. */
@Configuration
class RunbookDelegates {

    /** Opens the incident; its id travels on as {@code incidentId}, with the escalation cycle for the timer. */
    @Bean
    JavaDelegate openIncidentDelegate(RunbookSteps steps) {
        return execution -> {
            RunbookFacts facts = facts(execution);
            RunbookSteps.Opened opened = steps.open(facts, execution.getProcessInstanceId());
            // the task's input parameters are local to it: the rest of the runbook reads the incident at process level
            var runbook = execution.getProcessInstance();
            Typed.INCIDENT_ID.set(runbook, opened.incidentId());
            Typed.INCIDENT_KIND.set(runbook, facts.incidentKind());
            Typed.INCIDENT_SEVERITY.set(runbook, facts.incidentSeverity());
            Typed.INCIDENT_SUMMARY.set(runbook, facts.incidentSummary());
            Typed.INCIDENT_ESCALATION_CYCLE.set(runbook, opened.escalationCycle());
        };
    }

    @Bean
    JavaDelegate notifySlackDelegate(RunbookSteps steps) {
        return execution -> steps.notifySlack(facts(execution), execution.getProcessBusinessKey());
    }

    @Bean
    JavaDelegate pageOnCallDelegate(RunbookSteps steps) {
        return execution -> steps.page(facts(execution), execution.getProcessBusinessKey());
    }

    @Bean
    JavaDelegate emailStakeholdersDelegate(RunbookSteps steps) {
        return execution -> steps.emailStakeholders(facts(execution), execution.getProcessBusinessKey());
    }

    @Bean
    JavaDelegate escalateIncidentDelegate(RunbookSteps steps) {
        return execution -> steps.escalate(facts(execution), execution.getProcessBusinessKey());
    }

    @Bean
    JavaDelegate resolveIncidentDelegate(RunbookSteps steps) {
        return execution -> steps.resolve(facts(execution));
    }

    private static RunbookFacts facts(DelegateExecution execution) {
        return new RunbookFacts(
                Typed.MISSION_ID.orNull(execution),
                Typed.MISSION_TITLE.orNull(execution),
                Typed.MISSION_OWNER.orNull(execution),
                Typed.INCIDENT_ID.orNull(execution),
                Typed.INCIDENT_KIND.orNull(execution),
                Typed.INCIDENT_SEVERITY.orNull(execution),
                Typed.INCIDENT_SUMMARY.orNull(execution),
                Typed.INCIDENT_RESOLUTION.orNull(execution),
                Typed.SAFEGUARD_FINDING_SUMMARY.orNull(execution),
                Typed.NOTIFICATION_KIND.orNull(execution),
                Typed.PAGER_ACTION.orNull(execution),
                Typed.DECIDED_BY.orNull(execution),
                Typed.REMEDIATION_OUTCOME.orNull(execution),
                Typed.REMEDIATION_PLAN.orNull(execution),
                Typed.KPI_KEY.orNull(execution),
                Typed.KPI_NAME.orNull(execution),
                Typed.KPI_PERIOD.orNull(execution));
    }
}
