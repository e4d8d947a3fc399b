package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Typed;

import io.controlplane.execution.Inspections;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * End of the read-only inspection: what the agent reported, as sent, to {@link Inspections}, which refuses a bad
 * report (the agent's completion gets a 400); the coverage it accepted, normalised, for the coverage gateway.
 */
@Component("inspectionReport")
class InspectionReport implements ExecutionListener {
    private final Inspections inspections;

    InspectionReport(Inspections inspections) {
        this.inspections = inspections;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        double percent = inspections.accept(
                execution.getProcessBusinessKey(),
                execution.getActivityInstanceId(),
                Typed.DATA_COVERAGE_PERCENT.orNull(execution),
                Typed.DATA_PREVIEW_SUMMARY.orNull(execution));
        Typed.DATA_COVERAGE_PERCENT.set(execution, percent);
    }
}
