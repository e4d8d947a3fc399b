package io.controlplane.legacy;

import io.controlplane.mission.MissionJourney;
import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.batch.history.HistoricBatch;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.migration.MigrationPlanBuilder;
import org.camunda.bpm.engine.migration.MigrationPlanValidationException;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.TransitionInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Migrates running eight-stage missions ({@code mission-journey-legacy}) onto the five-stage journey: a Camunda
 * migration plan with one instruction per legacy wait state ({@link LegacyJourney#migrationTargets()}), validated per
 * instance before anything moves, then executed as one migration batch. See docs/legacy-migration.md.
 */
@Service
public class LegacyMigrations {
    private static final Logger log = LoggerFactory.getLogger(LegacyMigrations.class);

    /** What happens (dry run) or happened to one instance. */
    public enum Status {
        /** dry run: the plan applies, the instance would move to {@code targetActivityId} */
        WOULD_MIGRATE,
        /** not migrated, and not going to be: {@code reason} says why */
        REFUSED,
        /** in the batch, not migrated yet (the batch's jobs have not run, or are being retried: see {@code reason}) */
        PENDING,
        /** runs on the five-stage journey now (or already finished it) */
        MIGRATED,
        /** the batch gave up on it (job out of retries, an incident in Cockpit): {@code reason} */
        FAILED
    }

    public record InstanceReport(
            String processInstanceId,
            String missionId,
            String legacyStage,
            String sourceActivityId,
            String stage,
            String targetActivityId,
            Status status,
            String reason) {}

    public record Report(
            String batchId,
            boolean dryRun,
            String batchState,
            String sourceDefinitionId,
            String targetDefinitionId,
            String startedBy,
            Instant startedAt,
            Map<Status, Long> counts,
            List<InstanceReport> instances) {}

    /** The plan itself is invalid (e.g. a mapped activity is missing from a model): nothing was migrated. */
    public static class PlanInvalidException extends RuntimeException {
        private final List<String> failures;

        PlanInvalidException(String message, List<String> failures) {
            super(message);
            this.failures = failures;
        }

        public List<String> failures() {
            return failures;
        }
    }

    /** At least one selected instance cannot be migrated: nothing was migrated, the report says which and why. */
    public static class InstancesRefusedException extends RuntimeException {
        private final Report report;

        InstancesRefusedException(Report report) {
            super(report.counts().getOrDefault(Status.REFUSED, 0L) + " of "
                    + report.instances().size()
                    + " eight-stage instances cannot be migrated; nothing was migrated. Exclude them (processInstanceIds) "
                    + "or fix them, then run again.");
            this.report = report;
        }

        public Report report() {
            return report;
        }
    }

    private final RuntimeService runtime;
    private final RepositoryService repository;
    private final ManagementService management;
    private final HistoryService history;
    private final IdentityService identity;
    private final LegacyMigrationStore store;
    private final TransactionTemplate trialTransaction;

    LegacyMigrations(
            RuntimeService runtime,
            RepositoryService repository,
            ManagementService management,
            HistoryService history,
            IdentityService identity,
            LegacyMigrationStore store,
            PlatformTransactionManager transactions) {
        this.runtime = runtime;
        this.repository = repository;
        this.management = management;
        this.history = history;
        this.identity = identity;
        this.store = store;
        this.trialTransaction = new TransactionTemplate(transactions);
        this.trialTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Validates the plan and every selected instance (all running legacy instances when {@code processInstanceIds}
     * is empty). A dry run stops there. Otherwise, when every instance passed, the migration starts as a batch;
     * when any was refused, nothing is migrated ({@link InstancesRefusedException}).
     */
    public Report migrate(List<String> processInstanceIds, boolean dryRun, String user, List<String> groups) {
        ProcessDefinition source = latest(LegacyJourney.PROCESS_KEY);
        ProcessDefinition target = latest(MissionJourney.PROCESS_KEY);
        MigrationPlan plan = plan(source.getId(), target.getId());
        List<ProcessInstance> candidates = candidates(processInstanceIds);

        List<InstanceReport> checked = new ArrayList<>();
        for (ProcessInstance pi : candidates) {
            checked.add(check(pi, source, plan));
        }
        if (dryRun || checked.isEmpty()) {
            return new Report(
                    null,
                    dryRun,
                    dryRun ? "dry-run" : "nothing-to-migrate",
                    source.getId(),
                    target.getId(),
                    user,
                    Instant.now(),
                    counts(checked),
                    checked);
        }
        Report refused = new Report(
                null, false, "refused", source.getId(), target.getId(), user, Instant.now(), counts(checked), checked);
        if (checked.stream().anyMatch(r -> r.status() == Status.REFUSED)) {
            throw new InstancesRefusedException(refused);
        }

        Batch batch;
        identity.setAuthentication(user, groups); // the batch records who started it (Cockpit, history)
        try {
            batch = runtime.newMigration(plan)
                    .processInstanceIds(checked.stream()
                            .map(InstanceReport::processInstanceId)
                            .toList())
                    .executeAsync();
        } finally {
            identity.clearAuthentication();
        }
        Instant now = Instant.now();
        store.insert(
                new LegacyMigrationStore.Run(
                        batch.getId(), source.getId(), target.getId(), batch.getBatchJobDefinitionId(), user, now),
                checked.stream()
                        .map(r -> new LegacyMigrationStore.Instance(
                                r.processInstanceId(),
                                r.missionId(),
                                r.legacyStage(),
                                r.sourceActivityId(),
                                r.targetActivityId()))
                        .toList());
        log.info(
                "Legacy migration batch {} started by {}: {} instances from {} to {}",
                batch.getId(),
                user,
                checked.size(),
                source.getId(),
                target.getId());
        return report(batch.getId());
    }

    /** The batch's report: each instance with its legacy stage, target activity and where it is now. */
    public Report report(String batchId) {
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

        List<InstanceReport> out = new ArrayList<>();
        for (LegacyMigrationStore.Instance i : store.instances(batchId)) {
            String stage = LegacyJourney.LegacyStage.ofName(i.legacyStage())
                    .map(s -> s.stage().name())
                    .orElse(null);
            Status status;
            String reason = null;
            ProcessInstance pi = runtime.createProcessInstanceQuery()
                    .processInstanceId(i.processInstanceId())
                    .singleResult();
            String definitionId = pi != null ? pi.getProcessDefinitionId() : historicDefinition(i.processInstanceId());
            if (run.targetDefinitionId().equals(definitionId)) {
                status = Status.MIGRATED;
                reason = pi == null ? "finished the five-stage journey since" : null;
            } else if (pi == null) {
                status = Status.FAILED;
                reason = "the instance ended (or was deleted) before it was migrated";
            } else {
                // the engine's migration errors name the process instance; a job holds one instance by default
                Job failed = failedJobs.stream()
                        .filter(j -> j.getExceptionMessage() != null
                                && j.getExceptionMessage().contains(i.processInstanceId()))
                        .findFirst()
                        .orElse(null);
                if (failed != null && failed.getRetries() == 0) {
                    status = Status.FAILED;
                    reason = failed.getExceptionMessage();
                } else if (batch != null) {
                    status = Status.PENDING;
                    reason = failed != null
                            ? "retrying after: " + failed.getExceptionMessage()
                            : failedJobs.isEmpty()
                                    ? null
                                    : failedJobs.size()
                                            + " job(s) of the batch failed; see the batch's incidents in Cockpit";
                } else {
                    status = Status.FAILED;
                    reason = "the batch ended without migrating it; see the batch in Cockpit";
                }
            }
            out.add(new InstanceReport(
                    i.processInstanceId(),
                    i.missionId(),
                    i.legacyStage(),
                    i.sourceActivityId(),
                    stage,
                    i.targetActivityId(),
                    status,
                    reason));
        }
        return new Report(
                batchId,
                false,
                state,
                run.sourceDefinitionId(),
                run.targetDefinitionId(),
                run.startedBy(),
                run.startedAt(),
                counts(out),
                out);
    }

    // ---- the plan and the checks

    private ProcessDefinition latest(String key) {
        ProcessDefinition d = repository
                .createProcessDefinitionQuery()
                .processDefinitionKey(key)
                .latestVersion()
                .singleResult();
        if (d == null) {
            throw new PlanInvalidException("Process " + key + " is not deployed", List.of(key + ": not deployed"));
        }
        return d;
    }

    private MigrationPlan plan(String sourceId, String targetId) {
        MigrationPlanBuilder builder = runtime.createMigrationPlan(sourceId, targetId);
        new TreeMap<>(LegacyJourney.migrationTargets()).forEach(builder::mapActivities);
        try {
            return builder.setVariables(LegacyJourney.FLAG_DEFAULTS).build();
        } catch (MigrationPlanValidationException e) {
            List<String> failures = new ArrayList<>();
            e.getValidationReport()
                    .getInstructionReports()
                    .forEach(r -> r.getFailures()
                            .forEach(f ->
                                    failures.add(r.getMigrationInstruction().getSourceActivityId() + " -> "
                                            + r.getMigrationInstruction().getTargetActivityId() + ": " + f)));
            e.getValidationReport()
                    .getVariableReports()
                    .forEach((name, r) -> r.getFailures().forEach(f -> failures.add("variable " + name + ": " + f)));
            throw new PlanInvalidException(
                    "The migration plan from " + sourceId + " to " + targetId + " is invalid", failures);
        }
    }

    private List<ProcessInstance> candidates(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return runtime.createProcessInstanceQuery()
                    .processDefinitionKey(LegacyJourney.PROCESS_KEY)
                    .orderByProcessInstanceId()
                    .asc()
                    .list();
        }
        List<ProcessInstance> out = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int n = 0; n < ids.size(); n++) {
            ProcessInstance pi = ids.get(n) == null
                    ? null
                    : runtime.createProcessInstanceQuery()
                            .processInstanceId(ids.get(n))
                            .singleResult();
            String key = pi == null
                    ? null
                    : repository
                            .getProcessDefinition(pi.getProcessDefinitionId())
                            .getKey();
            if (!LegacyJourney.PROCESS_KEY.equals(key)) {
                errors.add(new FieldError(
                        "processInstanceIds[" + n + "]", "is not a running instance of " + LegacyJourney.PROCESS_KEY));
            } else if (out.stream().noneMatch(p -> p.getId().equals(pi.getId()))) {
                out.add(pi);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException("Not every selected instance runs on the eight-stage journey", errors);
        }
        return out;
    }

    /** Where the instance waits, whether it carries what the five stages need, and a trial migration rolled back. */
    private InstanceReport check(ProcessInstance pi, ProcessDefinition source, MigrationPlan plan) {
        List<String> waitStates = new ArrayList<>();
        ActivityInstance tree = runtime.getActivityInstance(pi.getId());
        if (tree != null) {
            collectLeaves(tree, waitStates);
        }
        LegacyJourney.LegacyStage stage = waitStates.stream()
                .map(LegacyJourney.LegacyStage::ofWaitState)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(null);
        String missionId = pi.getBusinessKey();
        String sourceActivity = stage != null ? stage.waitStateId() : waitStates.isEmpty() ? null : waitStates.get(0);
        String reason = null;
        if (!pi.getProcessDefinitionId().equals(source.getId())) {
            reason = "runs on " + pi.getProcessDefinitionId() + ", not the latest legacy version " + source.getId()
                    + " the plan starts from";
        } else if (pi.isSuspended()) {
            reason = "is suspended: activate it first";
        } else if (stage == null
                || waitStates.stream()
                        .anyMatch(a -> LegacyJourney.LegacyStage.ofWaitState(a).isEmpty())) {
            reason = "waits at " + waitStates + ", which the plan does not map onto the five stages";
        } else {
            Map<String, Object> present = runtime.getVariables(pi.getId(), LegacyJourney.REQUIRED_VARIABLES);
            List<String> missing = LegacyJourney.REQUIRED_VARIABLES.stream()
                    .filter(v -> present.get(v) == null)
                    .toList();
            if (!missing.isEmpty()) {
                reason = "lacks " + String.join(", ", missing) + ", which the five-stage journey needs (a mission "
                        + "registered by the legacy start); it stays on the legacy model";
            } else {
                reason = trial(plan, pi.getId());
            }
        }
        return new InstanceReport(
                pi.getId(),
                missionId,
                stage == null ? null : stage.legacyName(),
                sourceActivity,
                stage == null ? null : stage.stage().name(),
                stage == null ? null : stage.targetActivityId(),
                reason == null ? Status.WOULD_MIGRATE : Status.REFUSED,
                reason);
    }

    /**
     * Migrates the one instance for real inside a transaction that is always rolled back: the engine's own
     * execution-time validation (completeness, hierarchy, listeners of the stage it enters) runs without moving it.
     */
    private String trial(MigrationPlan plan, String processInstanceId) {
        try {
            trialTransaction.executeWithoutResult(tx -> {
                tx.setRollbackOnly();
                runtime.newMigration(plan).processInstanceIds(processInstanceId).execute();
            });
            return null;
        } catch (RuntimeException e) {
            log.info("Legacy instance {} cannot be migrated: {}", processInstanceId, e.getMessage());
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static void collectLeaves(ActivityInstance instance, List<String> out) {
        for (TransitionInstance t : instance.getChildTransitionInstances()) {
            out.add(t.getActivityId());
        }
        if (instance.getChildActivityInstances().length == 0
                && instance.getChildTransitionInstances().length == 0
                && instance.getParentActivityInstanceId() != null) {
            out.add(instance.getActivityId());
        }
        for (ActivityInstance child : instance.getChildActivityInstances()) {
            collectLeaves(child, out);
        }
    }

    private String historicDefinition(String processInstanceId) {
        HistoricProcessInstance h = history.createHistoricProcessInstanceQuery()
                .processInstanceId(processInstanceId)
                .singleResult();
        return h == null ? null : h.getProcessDefinitionId();
    }

    private static Map<Status, Long> counts(List<InstanceReport> instances) {
        Map<Status, Long> out = new LinkedHashMap<>();
        for (InstanceReport r : instances) {
            out.merge(r.status(), 1L, Long::sum);
        }
        return out;
    }
}
