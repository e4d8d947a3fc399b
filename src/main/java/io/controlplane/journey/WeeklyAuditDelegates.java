package io.controlplane.journey;

import static io.controlplane.telemetry.WeeklyAudit.Typed;

import io.controlplane.platform.JsonValues;
import io.controlplane.telemetry.WeeklyAudit;
import io.controlplane.telemetry.WeeklyAuditRuns;
import java.util.ArrayList;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The steps of {@code bpmn/weekly-telemetry-audit.bpmn}, by the bean names the model uses, over {@link WeeklyAuditRuns}. */
@Configuration
class WeeklyAuditDelegates {

    @Bean
    JavaDelegate weeklyAuditDelegate(WeeklyAuditRuns audits, JsonValues json) {
        return execution -> {
            WeeklyAuditRuns.Run run = audits.run(execution.getProcessInstanceId());
            Typed.AUDIT_WEEK.set(execution, run.week());
            execution.setProcessBusinessKey(run.businessKey());
            // a list variable: the model's multi-instance task iterates it, one task per open gap
            execution.setVariable(WeeklyAudit.Vars.AUDIT_GAP_IDS, new ArrayList<>(run.openGapIds()));
            execution.setVariable(Typed.MISSED_KPIS.name(), json.variable(run.toInvestigate()));
            Typed.AUDIT_SUMMARY.set(execution, run.summary());
        };
    }

    @Bean
    JavaDelegate auditReportDelegate(WeeklyAuditRuns audits) {
        return execution -> audits.report(Typed.AUDIT_SUMMARY.orNull(execution), execution.getProcessBusinessKey());
    }

    /** Closes the gap the analyst resolved (or accepted), with the analyst's note. */
    @Bean
    ExecutionListener telemetryGapResolutions(WeeklyAuditRuns audits) {
        return execution -> {
            if (execution.isCanceled()) {
                return;
            }
            audits.resolveGap(
                    Typed.GAP_ID.required(execution),
                    Typed.GAP_RESOLUTION.orNull(execution),
                    Typed.GAP_DETAIL.orNull(execution),
                    Typed.GAP_NOTE.orNull(execution));
        };
    }
}
