package io.controlplane.platform;

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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Two people signing parallel checkpoints of one mission at the same moment (the packet's co-signers, the
 * retrospective's signers), or a person and an agent finishing work on one mission together, update the same engine
 * execution: the later transaction fails with an {@link OptimisticLockingException}, which Camunda's REST API answers
 * with a 500. Neither did anything wrong, so the engine runs that person's or agent's command again (in a new
 * transaction, after a short random pause) instead of showing them the conflict. Only commands a person or agent sends
 * are retried, and only as a whole: everything they write (decisions, evidence, queued notifications) is in the engine's
 * transaction, so a rolled-back attempt leaves nothing behind. Jobs are retried by the job executor itself.
 * Proven on two nodes by {@code ClusterIT}; see docs/cluster.md.
 */
@Component
class OptimisticLockingRetries extends AbstractProcessEnginePlugin {
    private static final Logger log = LoggerFactory.getLogger(OptimisticLockingRetries.class);
    /** What {@code ClusterIT} counts in the logs. */
    static final String RETRYING = "retrying after an optimistic-locking conflict";

    private static final Set<Class<?>> RETRIED = Set.of(CompleteTaskCmd.class, SubmitTaskFormCmd.class,
            CompleteExternalTaskCmd.class, HandleExternalTaskBpmnErrorCmd.class, HandleExternalTaskFailureCmd.class,
            CorrelateMessageCmd.class, CorrelateAllMessageCmd.class);

    private final int attempts;

    OptimisticLockingRetries(@Value("${controlplane.engine.optimistic-locking-attempts:5}") int attempts) {
        this.attempts = Math.max(1, attempts);
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<CommandInterceptor> pre = configuration.getCustomPreCommandInterceptorsTxRequired() == null
                ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
        // first in the chain, outside the transaction interceptor: each attempt is a transaction of its own
        pre.add(0, new Retry(attempts));
        configuration.setCustomPreCommandInterceptorsTxRequired(pre);
    }

    static final class Retry extends CommandInterceptor {
        private final int attempts;

        Retry(int attempts) {
            this.attempts = attempts;
        }

        @Override
        public <T> T execute(Command<T> command) {
            // a command called from inside another one (a delegate, a listener) belongs to the outer transaction
            if (!RETRIED.contains(command.getClass()) || Context.getCommandContext() != null) {
                return next.execute(command);
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    return next.execute(command);
                } catch (RuntimeException e) {
                    if (attempt >= attempts || !isConflict(e)) {
                        throw e;
                    }
                    log.info("{} failed (attempt {} of {}), {}: {}", command.getClass().getSimpleName(), attempt,
                            attempts, RETRYING, e.getMessage());
                    pause(attempt);
                }
            }
        }

        /** Camunda's own conflict, or PostgreSQL's serialization failure or deadlock (the database rolled back). */
        static boolean isConflict(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof OptimisticLockingException) {
                    return true;
                }
                if (t instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
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
                throw new IllegalStateException(e);
            }
        }
    }
}
