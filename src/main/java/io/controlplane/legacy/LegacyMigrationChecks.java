package io.controlplane.legacy;

import io.controlplane.legacy.LegacyMigrations.InstanceReport;
import io.controlplane.legacy.LegacyMigrations.PlanInvalidException;
import io.controlplane.legacy.LegacyMigrations.Status;
import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.migration.MigrationPlanBuilder;
import org.camunda.bpm.engine.migration.MigrationPlanValidationException;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.TransitionInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What {@link LegacyMigrations} checks before anything moves: the deployed definitions, the migration plan, the
 * selected instances, and per instance where it waits, whether it carries what the five stages need, and a trial
 * migration that is rolled back.
 */
final class LegacyMigrationChecks {
    // the trial's log line keeps the category operators know it under
    private static final Logger log = LoggerFactory.getLogger(LegacyMigrations.class);

    private final RuntimeService runtime;
    private final RepositoryService repository;
    /** A new transaction (REQUIRES_NEW) that each trial migration rolls back. */
    private final TransactionTemplate trialTransaction;

    LegacyMigrationChecks(RuntimeService runtime, RepositoryService repository, TransactionTemplate trialTransaction) {
        this.runtime = runtime;
        this.repository = repository;
        this.trialTransaction = trialTransaction;
    }

    ProcessDefinition latest(String key) {
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

    MigrationPlan plan(String sourceId, String targetId) {
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

    List<ProcessInstance> candidates(List<String> ids) {
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
    InstanceReport check(ProcessInstance pi, ProcessDefinition source, MigrationPlan plan) {
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
        String sourceActivity = stage != null ? stage.waitStateId() : waitStates.isEmpty() ? null : waitStates.get(0);
        String reason = refusal(pi, source, plan, stage, waitStates);
        return new InstanceReport(
                pi.getId(),
                pi.getBusinessKey(),
                stage == null ? null : stage.legacyName(),
                sourceActivity,
                stage == null ? null : stage.stage().name(),
                stage == null ? null : stage.targetActivityId(),
                reason == null ? Status.WOULD_MIGRATE : Status.REFUSED,
                reason);
    }

    /** Why the instance cannot be migrated, or {@code null} when it can. */
    private String refusal(
            ProcessInstance pi,
            ProcessDefinition source,
            MigrationPlan plan,
            LegacyJourney.LegacyStage stage,
            List<String> waitStates) {
        if (!pi.getProcessDefinitionId().equals(source.getId())) {
            return "runs on " + pi.getProcessDefinitionId() + ", not the latest legacy version " + source.getId()
                    + " the plan starts from";
        }
        if (pi.isSuspended()) {
            return "is suspended: activate it first";
        }
        if (stage == null
                || waitStates.stream()
                        .anyMatch(a -> LegacyJourney.LegacyStage.ofWaitState(a).isEmpty())) {
            return "waits at " + waitStates + ", which the plan does not map onto the five stages";
        }
        Map<String, Object> present = runtime.getVariables(pi.getId(), LegacyJourney.REQUIRED_VARIABLES);
        List<String> missing = LegacyJourney.REQUIRED_VARIABLES.stream()
                .filter(v -> present.get(v) == null)
                .toList();
        if (!missing.isEmpty()) {
            return "lacks " + String.join(", ", missing) + ", which the five-stage journey needs (a mission "
                    + "registered by the legacy start); it stays on the legacy model";
        }
        return trial(plan, pi.getId());
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
}
