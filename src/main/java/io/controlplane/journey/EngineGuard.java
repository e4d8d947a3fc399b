package io.controlplane.journey;

import io.controlplane.platform.EngineCalls;
import io.controlplane.platform.Roles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.impl.AbstractNativeQuery;
import org.camunda.bpm.engine.impl.AbstractQuery;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.ExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.FetchExternalTasksCmd;
import org.camunda.bpm.engine.impl.cmd.SetExternalTaskRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.SetJobRetriesCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The engine-level half of least privilege (the HTTP half is {@code EngineRestAllowList}): every top-level engine
 * command a person or an agent sends — through {@code /engine-rest}, Tasklist's and Cockpit's API or the Java API
 * with their authentication — passes here before it runs, so no door is forgotten. Camunda's authorizations cannot
 * tell a task completion from a process-instance modification (both need {@code UPDATE_INSTANCE}), so the guard
 * allows, for a caller who is not an administrator:
 * <ul>
 *   <li>reads (queries, {@code Get…}, filters, the web apps' own read commands) — except for agents, who read
 *       nothing but the external tasks they fetch;</li>
 *   <li>completing a task or submitting its form, with exactly the variables its {@link StepContract} step declares;
 *       claiming, unclaiming or assigning a task only for oneself; commenting;</li>
 *   <li>starting a process from its start form (variables of that form only): no business key, start instructions,
 *       skipped listeners or I/O mappings;</li>
 *   <li>agents ({@code ai-agent}): fetch, lock, extend, complete (the topic's result variables), fail and
 *       raise a BPMN error (the topic's codes) on external tasks of the contract's topics;</li>
 *   <li>operations command: retrying failed jobs and external tasks (Cockpit's <em>Retry</em>).</li>
 * </ul>
 * Everything else — modification, variable writes, suspension, migration, restart, deletion, job execution, message
 * correlation, identity changes — is refused with {@link Refused} (403) before anything runs. Administrators
 * ({@code camunda-admin}) keep everything; each of their changing commands is logged. Commands without an
 * authentication (the service itself, the job executor) and commands nested in another command are not the
 * caller's and pass. docs/security.md.
 */
@Component
public class EngineGuard extends AbstractProcessEnginePlugin {
    private static final Logger log = LoggerFactory.getLogger(EngineGuard.class);

    /** The agent runtimes' group (created by IdentitySetup). */
    public static final String AGENT_GROUP = Roles.AGENT;

    private final StepContract contract;

    public EngineGuard(StepContract contract) {
        this.contract = contract;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<CommandInterceptor> pre = configuration.getCustomPreCommandInterceptorsTxRequired() == null
                ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
        pre.add(0, new Guard(configuration));
        configuration.setCustomPreCommandInterceptorsTxRequired(pre);
    }

    /** A command this caller may not send. Camunda's REST layer and Tasklist answer 403 with the message. */
    public static class Refused extends AuthorizationException {
        public Refused(String message) {
            super(message);
        }
    }

    final class Guard extends CommandInterceptor {
        private final ProcessEngineConfigurationImpl configuration;
        private final PersonCommandChecks persons;
        private final AgentCommandChecks agents;

        Guard(ProcessEngineConfigurationImpl configuration) {
            this.configuration = configuration;
            EngineReads engine = new EngineReads(this);
            this.persons = new PersonCommandChecks(contract, engine);
            this.agents = new AgentCommandChecks(contract, engine);
        }

        @Override
        public <T> T execute(Command<T> command) {
            // nested commands belong to the command that runs them; the service's own commands (io.controlplane) are
            // its reads and checks
            if (Context.getCommandContext() != null
                    || EngineCalls.inService()
                    || command.getClass().getName().startsWith("io.controlplane.")) {
                return next.execute(command);
            }
            Authentication auth = configuration.getIdentityService().getCurrentAuthentication();
            if (auth == null || auth.getUserId() == null) {
                return next.execute(command);
            }
            Set<String> groups = new HashSet<>(auth.getGroupIds() == null ? List.of() : auth.getGroupIds());
            if (groups.contains(Roles.ADMIN)) {
                if (!readOnly(command)) {
                    log.info(
                            "Administrator {} ran {}",
                            auth.getUserId(),
                            command.getClass().getSimpleName());
                }
                return next.execute(command);
            }
            // checked inside the command's own transaction and command context: the rows the check reads (the task,
            // the external task) are read once, and the command acts on exactly the state that was checked
            String user = auth.getUserId();
            return next.execute(new Checked<>(command, () -> check(command, user, groups)));
        }

        private void check(Command<?> command, String user, Set<String> groups) {
            boolean agent = groups.contains(AGENT_GROUP);
            boolean person = Roles.OPERATING_ROLES.stream().anyMatch(groups::contains);
            if (command instanceof SetJobRetriesCmd || command instanceof SetExternalTaskRetriesCmd) {
                persons.retry(user, command, groups);
                return;
            }
            if (command instanceof ExternalTaskCmd || command instanceof FetchExternalTasksCmd) {
                if (!agent) {
                    throw refused(user, command, "only agent runtimes (" + AGENT_GROUP + ") work on external tasks");
                }
                agents.check(command);
                return;
            }
            if (readOnly(command)) {
                if (!person) {
                    throw refused(user, command, "agents read nothing but the external tasks they fetch");
                }
                return;
            }
            if (!person) {
                throw refused(user, command, "not an operation of " + (agent ? "an agent" : "this caller"));
            }
            persons.check(user, command);
        }
    }

    /** A caller's command, run after its check in the same command context; refused before anything ran. */
    static final class Checked<T> implements Command<T> {
        private final Command<T> command;
        private final Runnable check;

        Checked(Command<T> command, Runnable check) {
            this.command = command;
            this.check = check;
        }

        @Override
        public T execute(CommandContext context) {
            check.run();
            return command.execute(context);
        }

        @Override
        public String toString() {
            return command.toString();
        }
    }

    static Refused refused(String user, Command<?> command, String why) {
        log.warn("Refused {} to {}: {}", command.getClass().getSimpleName(), user, why);
        return new Refused(user + " may not run " + operation(command) + ": " + why + ".");
    }

    /** "CompleteTaskCmd" → "complete task". */
    static String operation(Command<?> command) {
        String name = command.getClass().getSimpleName().replaceAll("(Cmd|Command)$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    }

    /** Queries and reads: they change nothing. */
    static boolean readOnly(Command<?> command) {
        if (command instanceof AbstractQuery<?, ?> || command instanceof AbstractNativeQuery<?, ?>) {
            return true;
        }
        Class<?> type = command.getClass();
        String pkg = type.getPackageName();
        if (pkg.startsWith("org.camunda.bpm.cockpit")
                || pkg.startsWith("org.camunda.bpm.admin")
                || pkg.startsWith("org.camunda.bpm.tasklist")
                || pkg.startsWith("org.camunda.bpm.webapp")) {
            return !type.getSimpleName().startsWith("Set")
                    && !type.getSimpleName().startsWith("Delete");
        }
        String name = type.getSimpleName();
        return name.startsWith("Get")
                || name.startsWith("Find")
                || name.startsWith("Is")
                || name.startsWith("Determine")
                || name.startsWith("ExecuteFilter")
                || name.equals("CheckPassword")
                || name.equals("AuthorizationCheckCmd")
                || name.matches("Create\\w*QueryCmd");
    }
}
