package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Typed;

import io.controlplane.mission.MissionLifecycle;
import io.controlplane.mission.MissionRequest;
import io.controlplane.mission.MissionSummaries;
import io.controlplane.platform.JsonValues;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Start and end listener of both journey models: reads the brief's variables, has {@link MissionLifecycle} validate
 * and register (or close) the mission, and sets the variables the forms show. One bean for both events, because the
 * models deployed so far name it for both ({@code delegateExpression="${missionRegistration}"}); each event has its
 * own entry point.
 */
@Component("missionRegistration")
class MissionRegistration implements ExecutionListener {
    private final MissionLifecycle lifecycle;
    private final JsonValues json;

    MissionRegistration(MissionLifecycle lifecycle, JsonValues json) {
        this.lifecycle = lifecycle;
        this.json = json;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (EVENTNAME_END.equals(execution.getEventName())) {
            ended(execution);
        } else {
            started(execution);
        }
    }

    void started(DelegateExecution execution) {
        String owner = lifecycle.owner(() -> Typed.MISSION_OWNER.orNull(execution));
        MissionLifecycle.Registered mission = lifecycle.register(
                owner, brief(execution), execution.getProcessBusinessKey(), execution.getProcessInstanceId());
        if (!mission.id().equals(execution.getProcessBusinessKey())) {
            execution.setProcessBusinessKey(mission.id());
        }
        Typed.MISSION_ID.set(execution, mission.id());
        // the hold and abort flags the conditional events watch are not set here: absent means false (the conditions
        // read them null-safe), and the engine's listeners create them on the process instance when they first set
        // one, since no scope below has them (3 statements per flag and mission saved)
        Typed.SAFEGUARD_ATTEMPT.set(execution, 0);
        Typed.MISSION_OWNER.set(execution, owner);
        show(execution, mission.brief(), owner);
    }

    void ended(DelegateExecution execution) {
        boolean aborted = execution.isCanceled() || Typed.MISSION_ABORT_REQUESTED.isTrue(execution);
        lifecycle.close(execution.getProcessBusinessKey(), aborted, Typed.ROLLBACK_REQUESTED.isTrue(execution));
    }

    /** The brief as sent: the API's structured safeguards and toolkits, or the start form's templates and text. */
    private static MissionLifecycle.BriefVariables brief(DelegateExecution execution) {
        try {
            var safeguards = Typed.SAFEGUARDS.orNull(execution);
            boolean fromApi = safeguards != null;
            return new MissionLifecycle.BriefVariables(
                    safeguards,
                    fromApi ? Typed.TOOLKITS.orNull(execution) : null,
                    fromApi ? null : Typed.SAFEGUARD_TEMPLATES.orNull(execution),
                    fromApi ? null : Typed.TOOLKIT_REQUEST.orNull(execution),
                    Typed.MISSION_TITLE.orNull(execution),
                    Typed.OBJECTIVE.orNull(execution),
                    Typed.PERSONA.orNull(execution),
                    Typed.KPI_METRIC.orNull(execution),
                    Typed.KPI_TARGET.orNull(execution));
        } catch (IllegalArgumentException e) {
            throw MissionLifecycle.unreadable(e);
        }
    }

    /** The validated brief, normalised, and the read-only summaries the forms render. */
    private void show(DelegateExecution execution, MissionRequest brief, String owner) {
        Typed.MISSION_TITLE.set(execution, brief.title());
        Typed.OBJECTIVE.set(execution, brief.objective());
        Typed.PERSONA.set(execution, brief.persona());
        Typed.KPI_METRIC.set(execution, brief.kpi().metric());
        Typed.KPI_TARGET.set(execution, brief.kpi().target().doubleValue());
        // the mapper's own serialisation of the records (the descriptor's trees are for reading)
        execution.setVariable(Typed.SAFEGUARDS.name(), json.variable(brief.safeguards()));
        execution.setVariable(Typed.TOOLKITS.name(), json.variable(brief.toolkits()));
        Typed.MISSION_BRIEF.set(
                execution,
                MissionSummaries.brief(
                        brief.title(),
                        brief.objective(),
                        brief.persona(),
                        brief.kpi().metric(),
                        brief.kpi().target(),
                        owner));
        Typed.SAFEGUARD_SUMMARY.set(execution, MissionSummaries.safeguards(brief.safeguards()));
        Typed.TOOLKIT_SUMMARY.set(execution, MissionSummaries.toolkits(brief.toolkits()));
    }
}
