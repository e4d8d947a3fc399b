package io.controlplane.legacy;

import io.controlplane.legacy.LegacyMigrations.InstanceReport;
import io.controlplane.legacy.LegacyMigrations.Report;
import io.controlplane.legacy.LegacyMigrations.Status;
import io.controlplane.platform.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.batch.history.HistoricBatch;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * The report of a started migration batch: each recorded instance with its legacy stage, target activity and where
 * it is now, read from the engine's runtime, the batch's failed jobs and the history.
 */
final class LegacyMigrationReports {
    private final RuntimeService runtime;
    private final ManagementService management;
    private final HistoryService history;
    private final LegacyMigrationStore store;

    LegacyMigrationReports(
            RuntimeService runtime, ManagementService management, HistoryService history, LegacyMigrationStore store) {
        this.runtime = runtime;
        this.management = management;
        this.history = history;
        this.store = store;
    }

    /** What the report knows of the batch while it reports its instances. */
    private record BatchState(String targetDefinitionId, boolean running, List<Job> failedJobs) {}

    Report report(String batchId) {
        LegacyMigrationStore.Run run = store.run(batchId)
                .orElseThrow(() -> new NotFoundException("No legacy migration with batch id " + batchId));
        Batch batch = management.createBatchQuery().batchId(batchId).singleResult();
        HistoricBatch finished = batch == null
                ? history.createHistoricBatchQuery().batchId(batchId).singleResult()
                : null;
        String state =
                batch != null ? "RUNNING" : finished != null && finished.getEndTime() != null ? "COMPLETED" : "REMOVED";
        List<Job> failedJobs = batch == null || run.batchJobDefinitionId() == null
                ? List.of()
                : management
                        .createJobQuery()
                        .jobDefinitionId(run.batchJobDefinitionId())
                        .withException()
                        .list();
        BatchState now = new BatchState(run.targetDefinitionId(), batch != null, failedJobs);
        List<InstanceReport> out = new ArrayList<>();
        for (LegacyMigrationStore.Instance i : store.instances(batchId)) {
            out.add(instance(i, now));
        }
        return new Report(
                batchId,
                false,
                state,
                run.sourceDefinitionId(),
                run.targetDefinitionId(),
                run.startedBy(),
                run.startedAt(),
                LegacyMigrations.counts(out),
                out);
    }

    private InstanceReport instance(LegacyMigrationStore.Instance i, BatchState batch) {
        String stage = LegacyJourney.LegacyStage.ofName(i.legacyStage())
                .map(s -> s.stage().name())
                .orElse(null);
        Status status;
        String reason = null;
        ProcessInstance pi = runtime.createProcessInstanceQuery()
                .processInstanceId(i.processInstanceId())
                .singleResult();
        String definitionId = pi != null ? pi.getProcessDefinitionId() : historicDefinition(i.processInstanceId());
        if (batch.targetDefinitionId().equals(definitionId)) {
            status = Status.MIGRATED;
            reason = pi == null ? "finished the five-stage journey since" : null;
        } else if (pi == null) {
            status = Status.FAILED;
            reason = "the instance ended (or was deleted) before it was migrated";
        } else {
            return notYetMigrated(i, stage, batch);
        }
        return report(i, stage, status, reason);
    }

    /** A running instance still on the legacy model: pending while the batch runs, else failed. */
    private InstanceReport notYetMigrated(LegacyMigrationStore.Instance i, String stage, BatchState batch) {
        // the engine's migration errors name the process instance; a job holds one instance by default
        List<Job> failedJobs = batch.failedJobs();
        Job failed = failedJobs.stream()
                .filter(j -> j.getExceptionMessage() != null
                        && j.getExceptionMessage().contains(i.processInstanceId()))
                .findFirst()
                .orElse(null);
        if (failed != null && failed.getRetries() == 0) {
            return report(i, stage, Status.FAILED, failed.getExceptionMessage());
        }
        if (batch.running()) {
            String reason = failed != null
                    ? "retrying after: " + failed.getExceptionMessage()
                    : failedJobs.isEmpty()
                            ? null
                            : failedJobs.size() + " job(s) of the batch failed; see the batch's incidents in Cockpit";
            return report(i, stage, Status.PENDING, reason);
        }
        return report(i, stage, Status.FAILED, "the batch ended without migrating it; see the batch in Cockpit");
    }

    private static InstanceReport report(LegacyMigrationStore.Instance i, String stage, Status status, String reason) {
        return new InstanceReport(
                i.processInstanceId(),
                i.missionId(),
                i.legacyStage(),
                i.sourceActivityId(),
                stage,
                i.targetActivityId(),
                status,
                reason);
    }

    private String historicDefinition(String processInstanceId) {
        HistoricProcessInstance h = history.createHistoricProcessInstanceQuery()
                .processInstanceId(processInstanceId)
                .singleResult();
        return h == null ? null : h.getProcessDefinitionId();
    }
}
