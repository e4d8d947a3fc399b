package io.controlplane.legacy;

import io.controlplane.mission.MissionJourney;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
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
    private final IdentityService identity;
    private final LegacyMigrationStore store;
    private final LegacyMigrationChecks checks;
    private final LegacyMigrationReports reports;

    LegacyMigrations(
            RuntimeService runtime,
            RepositoryService repository,
            ManagementService management,
            HistoryService history,
            IdentityService identity,
            LegacyMigrationStore store,
            PlatformTransactionManager transactions) {
        this.runtime = runtime;
        this.identity = identity;
        this.store = store;
        TransactionTemplate trialTransaction = new TransactionTemplate(transactions);
        trialTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.checks = new LegacyMigrationChecks(runtime, repository, trialTransaction);
        this.reports = new LegacyMigrationReports(runtime, management, history, store);
    }

    /**
     * Validates the plan and every selected instance (all running legacy instances when {@code processInstanceIds}
     * is empty). A dry run stops there. Otherwise, when every instance passed, the migration starts as a batch;
     * when any was refused, nothing is migrated ({@link InstancesRefusedException}).
     */
    public Report migrate(List<String> processInstanceIds, boolean dryRun, String user, List<String> groups) {
        ProcessDefinition source = checks.latest(LegacyJourney.PROCESS_KEY);
        ProcessDefinition target = checks.latest(MissionJourney.PROCESS_KEY);
        MigrationPlan plan = checks.plan(source.getId(), target.getId());
        List<ProcessInstance> candidates = checks.candidates(processInstanceIds);

        List<InstanceReport> checked = new ArrayList<>();
        for (ProcessInstance pi : candidates) {
            checked.add(checks.check(pi, source, plan));
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
        return start(plan, source, target, checked, user, groups);
    }

    /** Starts the batch of the checked instances and records it, with each instance's legacy stage. */
    private Report start(
            MigrationPlan plan,
            ProcessDefinition source,
            ProcessDefinition target,
            List<InstanceReport> checked,
            String user,
            List<String> groups) {
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
        return reports.report(batchId);
    }

    static Map<Status, Long> counts(List<InstanceReport> instances) {
        Map<Status, Long> out = new LinkedHashMap<>();
        for (InstanceReport r : instances) {
            out.merge(r.status(), 1L, Long::sum);
        }
        return out;
    }
}
