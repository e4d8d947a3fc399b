package io.controlplane.platform;

import java.lang.reflect.Field;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.CompleteExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CorrelateAllMessageCmd;
import org.camunda.bpm.engine.impl.cmd.CorrelateMessageCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskFailureCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Commands people and agents send that collide with another command on the same mission. Two people signing parallel
 * checkpoints at the same moment (the packet's co-signers, the retrospective's signers), or a person and an agent
 * finishing work on one mission together, update the same engine rows: the later transaction fails with an
 * optimistic-locking conflict (or a duplicate key, a serialization failure, a deadlock), which Camunda's REST API and
 * Tasklist answer with a 500. Neither did anything wrong, so the engine settles it here:
 * <ul>
 *   <li>a task completion ({@code TaskService.complete}, Tasklist's {@code submit-form}) whose task is no longer open
 *       after the failure lost a race for that task: {@link TaskNoLongerOpenException} (409; 404 for an id that never
 *       existed);</li>
 *   <li>otherwise, after a concurrency conflict, the command runs again in a new transaction after a short random
 *       pause, up to {@code controlplane.engine.optimistic-locking-attempts} in all, so both co-signatures count and
 *       the second sees the first (segregation of duties holds under a race);</li>
 *   <li>anything else (bad input, segregation of duties) is left as it is.</li>
 * </ul>
 * Retrying is safe: everything these commands write (decisions, evidence, queued notifications) is in the engine's
 * transaction, so a rolled-back attempt leaves nothing behind. Only top-level calls are handled — inside another
 * command or a caller's transaction the failure belongs to the caller — and jobs are left to the job executor.
 * Proven by {@code CompletionRaceTest} and, on two nodes, {@code ClusterIT}; see docs/cluster.md and ADR 7.
 */
@Component
class OptimisticLockingRetries extends AbstractProcessEnginePlugin {
    private static final Logger log = LoggerFactory.getLogger(OptimisticLockingRetries.class);
    /** What {@code ClusterIT} counts in the logs. */
    static final String RETRYING = "retrying after an optimistic-locking conflict";

    private static final Set<Class<?>> RETRIED = Set.of(
            CompleteTaskCmd.class,
            SubmitTaskFormCmd.class,
            CompleteExternalTaskCmd.class,
            HandleExternalTaskBpmnErrorCmd.class,
            HandleExternalTaskFailureCmd.class,
            CorrelateMessageCmd.class,
            CorrelateAllMessageCmd.class);

    private final int attempts;

    OptimisticLockingRetries(EngineProperties engine) {
        this.attempts = engine.optimisticLockingAttempts();
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<CommandInterceptor> pre = configuration.getCustomPreCommandInterceptorsTxRequired() == null
                ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
        // first in the chain, outside the transaction interceptor: each attempt is a transaction of its own
        pre.add(0, new Retry(attempts));
        configuration.setCustomPreCommandInterceptorsTxRequired(pre);
    }

    private enum TaskState {
        OPEN,
        CLOSED,
        UNKNOWN
    }

    static final class Retry extends CommandInterceptor {
        private static final Field COMPLETE_TASK_ID = taskIdField(CompleteTaskCmd.class);
        private static final Field SUBMIT_TASK_ID = taskIdField(SubmitTaskFormCmd.class);

        private final int attempts;

        Retry(int attempts) {
            this.attempts = attempts;
        }

        @Override
        public <T> T execute(Command<T> command) {
            if (!RETRIED.contains(command.getClass())
                    || Context.getCommandContext() != null
                    || TransactionSynchronizationManager.isActualTransactionActive()) {
                return next.execute(command);
            }
            String taskId = taskId(command);
            for (int attempt = 1; ; attempt++) {
                try {
                    return next.execute(command);
                } catch (RuntimeException e) {
                    if (taskId != null) {
                        TaskState state = state(taskId);
                        if (state == TaskState.CLOSED) {
                            log.info(
                                    "Completion of task {} lost a race: the task was completed meanwhile ({})",
                                    taskId,
                                    e.toString());
                            throw new TaskNoLongerOpenException(taskId, true, e);
                        }
                        if (state == TaskState.UNKNOWN) {
                            throw new TaskNoLongerOpenException(taskId, false, e);
                        }
                    }
                    if (attempt >= attempts || !isConflict(e)) {
                        throw e;
                    }
                    log.info(
                            "{} failed (attempt {} of {}), {}: {}",
                            command.getClass().getSimpleName(),
                            attempt,
                            attempts,
                            RETRYING,
                            e.getMessage());
                    pause(attempt);
                }
            }
        }

        /** Looks the task up in a transaction of its own, without authorization checks (the caller may not see history). */
        private TaskState state(String taskId) {
            return next.execute(context -> context.runWithoutAuthorization(() -> {
                if (context.getTaskManager().findTaskById(taskId) != null) {
                    return TaskState.OPEN;
                }
                return context.getHistoricTaskInstanceManager().findHistoricTaskInstanceById(taskId) != null
                        ? TaskState.CLOSED
                        : TaskState.UNKNOWN;
            }));
        }

        /**
         * Camunda's own conflict, or one the database reports: serialization failure or deadlock (40xxx), lock timeout
         * (H2: HYT00), a unique key two racing transactions both wrote (23505, e.g. one approval row per task).
         */
        static boolean isConflict(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof OptimisticLockingException
                        || t instanceof ConcurrencyFailureException
                        || t instanceof TransientDataAccessException
                        || t instanceof DuplicateKeyException) {
                    return true;
                }
                if (t instanceof SQLException sql
                        && sql.getSQLState() != null
                        && (sql.getSQLState().startsWith("40")
                                || sql.getSQLState().equals("HYT00")
                                || sql.getSQLState().equals("23505"))) {
                    return true;
                }
            }
            return false;
        }

        private static void pause(int attempt) {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50) * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while retrying a conflicting command", e);
            }
        }

        private static String taskId(Command<?> command) {
            try {
                if (command instanceof CompleteTaskCmd) {
                    return (String) COMPLETE_TASK_ID.get(command);
                }
                if (command instanceof SubmitTaskFormCmd) {
                    return (String) SUBMIT_TASK_ID.get(command);
                }
                return null;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The task commands keep the task id in a protected field and offer no getter. */
        private static Field taskIdField(Class<?> type) {
            try {
                Field f = type.getDeclaredField("taskId");
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(
                        type.getName() + " no longer has a taskId field: review OptimisticLockingRetries", e);
            }
        }
    }
}
