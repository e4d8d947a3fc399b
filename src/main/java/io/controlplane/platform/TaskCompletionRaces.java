package io.controlplane.platform;

import java.lang.reflect.Field;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
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
 * Two people completing tasks of one mission at the same instant. The engine detects every such race (optimistic
 * locking; {@code mission_approvals} allows one row per task), but leaves the loser with a raw exception that
 * {@code /engine-rest} and Tasklist answer with 500. This engine plugin settles each race for task completions
 * ({@code TaskService.complete}, Tasklist's {@code submit-form}):
 * <ul>
 *   <li>the task is no longer open after the failure: someone else completed it first → {@link TaskNoLongerOpenException}
 *       (409; 404 for an id that never existed);</li>
 *   <li>the task is still open and the failure was a concurrency conflict (two co-signers of one packet meeting at the
 *       parallel join, a row lock): the completion runs again in a fresh transaction, as the job executor does for
 *       jobs, so both co-signatures count and the second one sees the first (segregation of duties holds);</li>
 *   <li>anything else (bad input, segregation of duties) is left as it is.</li>
 * </ul>
 * The failed attempt was rolled back entirely (engine state and the project's rows share one transaction), so running
 * it again cannot record anything twice. Only top-level calls are handled: inside a caller's transaction the
 * failure belongs to the caller.
 */
@Component
class TaskCompletionRaces extends AbstractProcessEnginePlugin {
    private static final Logger log = LoggerFactory.getLogger(TaskCompletionRaces.class);
    /** Attempts of one completion whose task stays open while it keeps hitting concurrency conflicts. */
    static final int MAX_ATTEMPTS = 5;

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        var interceptors = configuration.getCustomPreCommandInterceptorsTxRequired();
        if (interceptors == null) {
            interceptors = new java.util.ArrayList<>();
            configuration.setCustomPreCommandInterceptorsTxRequired(interceptors);
        }
        interceptors.add(new Interceptor());
    }

    private enum TaskState { OPEN, CLOSED, UNKNOWN }

    static final class Interceptor extends CommandInterceptor {
        private static final Field COMPLETE_TASK_ID = field(CompleteTaskCmd.class);
        private static final Field SUBMIT_TASK_ID = field(SubmitTaskFormCmd.class);

        @Override
        public <T> T execute(Command<T> command) {
            String taskId = taskId(command);
            if (taskId == null || Context.getCommandContext() != null
                    || TransactionSynchronizationManager.isActualTransactionActive()) {
                return next.execute(command);
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    return next.execute(command);
                } catch (RuntimeException failure) {
                    TaskState state = state(taskId);
                    if (state == TaskState.CLOSED) {
                        log.info("Completion of task {} lost a race: the task was completed meanwhile ({})", taskId,
                                failure.toString());
                        throw new TaskNoLongerOpenException(taskId, true, failure);
                    }
                    if (state == TaskState.UNKNOWN) {
                        throw new TaskNoLongerOpenException(taskId, false, failure);
                    }
                    if (attempt >= MAX_ATTEMPTS || !concurrencyConflict(failure)) {
                        throw failure;
                    }
                    log.info("Completion of task {} met a concurrent change (attempt {}: {}): running it again", taskId, attempt,
                            failure.toString());
                    pause(attempt);
                }
            }
        }

        /** Looks the task up in a transaction of its own, with no authorization checks (the caller may not see history). */
        private TaskState state(String taskId) {
            return next.execute(context -> context.runWithoutAuthorization(() -> {
                if (context.getTaskManager().findTaskById(taskId) != null) {
                    return TaskState.OPEN;
                }
                return context.getHistoricTaskInstanceManager().findHistoricTaskInstanceById(taskId) != null
                        ? TaskState.CLOSED : TaskState.UNKNOWN;
            }));
        }

        static boolean concurrencyConflict(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof OptimisticLockingException || t instanceof ConcurrencyFailureException
                        || t instanceof TransientDataAccessException || t instanceof DuplicateKeyException) {
                    return true;
                }
                // serialization failure / deadlock (40xxx), lock timeout (H2: HYT00), unique violation (23505)
                if (t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("40")
                        || sql.getSQLState().equals("HYT00") || sql.getSQLState().equals("23505"))) {
                    return true;
                }
            }
            return false;
        }

        private static void pause(int attempt) {
            try {
                Thread.sleep(20L * attempt + ThreadLocalRandom.current().nextInt(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while retrying a task completion", e);
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

        /** The commands keep the task id in a protected field and offer no getter. */
        private static Field field(Class<?> type) {
            try {
                Field f = type.getDeclaredField("taskId");
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(type.getName() + " no longer has a taskId field: review TaskCompletionRaces", e);
            }
        }
    }
}
