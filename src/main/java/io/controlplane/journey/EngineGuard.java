package io.controlplane.journey;

import io.controlplane.platform.EngineCalls;
import io.controlplane.platform.Roles;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.impl.AbstractNativeQuery;
import org.camunda.bpm.engine.impl.AbstractQuery;
import org.camunda.bpm.engine.impl.ProcessInstanceModificationBuilderImpl;
import org.camunda.bpm.engine.impl.ProcessInstantiationBuilderImpl;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractAddIdentityLinkCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractSetTaskPropertyCmd;
import org.camunda.bpm.engine.impl.cmd.AddCommentCmd;
import org.camunda.bpm.engine.impl.cmd.AssignTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ClaimTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ExtendLockOnExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.FetchExternalTasksCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskFailureCmd;
import org.camunda.bpm.engine.impl.cmd.SetExternalTaskRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.SetJobRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitStartFormCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.cmd.UnlockExternalTaskCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.persistence.entity.ExternalTaskEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
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

        Guard(ProcessEngineConfigurationImpl configuration) {
            this.configuration = configuration;
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
                retry(user, command, groups);
                return;
            }
            if (command instanceof ExternalTaskCmd || command instanceof FetchExternalTasksCmd) {
                if (!agent) {
                    throw refused(user, command, "only agent runtimes (" + AGENT_GROUP + ") work on external tasks");
                }
                externalTask(command);
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
            if (command instanceof CompleteTaskCmd c) {
                taskInput(field(c, CompleteTaskCmd.class, "taskId"), field(c, CompleteTaskCmd.class, "variables"));
            } else if (command instanceof SubmitTaskFormCmd c) {
                taskInput(field(c, SubmitTaskFormCmd.class, "taskId"), field(c, SubmitTaskFormCmd.class, "properties"));
            } else if (command instanceof ClaimTaskCmd c) {
                assignee(user, command, field(c, ClaimTaskCmd.class, "taskId"), field(c, ClaimTaskCmd.class, "userId"));
            } else if (command instanceof AssignTaskCmd c) {
                assignee(
                        user,
                        command,
                        field(c, AbstractSetTaskPropertyCmd.class, "taskId"),
                        field(c, AbstractAddIdentityLinkCmd.class, "userId"));
            } else if (command instanceof AddCommentCmd) {
                return; // a note on a task or mission: it gates nothing
            } else if (command instanceof StartProcessInstanceCmd c) {
                start(user, command, field(c, StartProcessInstanceCmd.class, "instantiationBuilder"));
            } else if (command instanceof SubmitStartFormCmd c) {
                startForm(
                        user,
                        command,
                        field(c, SubmitStartFormCmd.class, "processDefinitionId"),
                        field(c, SubmitStartFormCmd.class, "businessKey"),
                        field(c, SubmitStartFormCmd.class, "variables"));
            } else {
                throw refused(
                        user, command, "only administrators change missions, runbooks, jobs and identities this way");
            }
        }

        /**
         * Cockpit's Retry: operations command gives failed work (no attempts left) new attempts — nobody else, never
         * zero, never a new due date, never to work that has not failed (that would reschedule or starve a timer).
         */
        private void retry(String user, Command<?> command, Set<String> groups) {
            if (!groups.contains(Roles.OPERATIONS_COMMAND)) {
                throw refused(user, command, "retrying failed work is operations command's");
            }
            List<Integer> current;
            int retries;
            if (command instanceof SetJobRetriesCmd c) {
                retries = field(c, SetJobRetriesCmd.class, "retries");
                if (Boolean.TRUE.equals(field(c, SetJobRetriesCmd.class, "isDueDateSet"))
                        || field(c, SetJobRetriesCmd.class, "jobDefinitionId") != null) {
                    throw refused(user, command, "a retry names failed jobs and keeps their due date");
                }
                String one = field(c, SetJobRetriesCmd.class, "jobId");
                List<String> many = field(c, SetJobRetriesCmd.class, "jobIds");
                List<String> ids = one != null ? List.of(one) : many == null ? List.of() : many;
                current = read(context -> ids.stream()
                        .map(id -> {
                            var job = context.getJobManager().findJobById(id);
                            return job == null ? null : job.getRetries();
                        })
                        .toList());
            } else {
                retries = field(command, SetExternalTaskRetriesCmd.class, "retries");
                String id = field(command, ExternalTaskCmd.class, "externalTaskId");
                current = read(context -> {
                    ExternalTaskEntity task =
                            id == null ? null : context.getExternalTaskManager().findExternalTaskById(id);
                    return Collections.singletonList(task == null ? null : task.getRetries());
                });
            }
            if (retries < 1) {
                throw refused(
                        user,
                        command,
                        "a retry gives at least one attempt; taking attempts away is an " + "administrator's act");
            }
            for (Integer left : current) {
                if (left != null && left > 0) {
                    throw refused(
                            user, command, "only failed work (no attempts left) is retried; this still has " + left);
                }
            }
        }

        private void taskInput(String taskId, Map<String, Object> variables) {
            if (taskId == null) {
                return; // Camunda refuses it itself
            }
            String[] step = read(context -> {
                TaskEntity task = context.getTaskManager().findTaskById(taskId);
                if (task == null || task.getProcessDefinitionId() == null) {
                    return null;
                }
                // the deployment cache, not a query: a task's definition is deployed
                ProcessDefinitionEntity definition = context.getProcessEngineConfiguration()
                        .getDeploymentCache()
                        .findDeployedProcessDefinitionById(task.getProcessDefinitionId());
                return new String[] {definition.getKey(), task.getTaskDefinitionKey()};
            });
            if (step == null) {
                return; // unknown task or a stand-alone one: Camunda answers 404 or its own authorization
            }
            StepContract.Step declared = contract.userTask(step[0], step[1])
                    .orElseThrow(() -> new StepInputException(
                            step[1],
                            "Task " + step[1] + " of " + step[0] + " has no declared input contract; only an "
                                    + "administrator may complete it."));
            contract.check(declared, variables, false);
        }

        private void assignee(String user, Command<?> command, String taskId, String newAssignee) {
            if (newAssignee != null && !newAssignee.equals(user)) {
                throw refused(
                        user,
                        command,
                        "a task is claimed or assigned only by the person who takes it, " + "not for " + newAssignee);
            }
            String current = taskId == null
                    ? null
                    : read(context -> {
                        TaskEntity task = context.getTaskManager().findTaskById(taskId);
                        return task == null ? null : task.getAssignee();
                    });
            if (current != null && !current.equals(user)) {
                throw refused(
                        user,
                        command,
                        current + " holds this task; only " + current + " (or an administrator) releases it");
            }
        }

        private void start(String user, Command<?> command, ProcessInstantiationBuilderImpl builder) {
            ProcessInstanceModificationBuilderImpl modification = builder.getModificationBuilder();
            if (modification != null
                    && (!modification.getModificationOperations().isEmpty()
                            || modification.isSkipCustomListeners()
                            || modification.isSkipIoMappings())) {
                throw refused(user, command, "a process starts at its start event, with its listeners and mappings");
            }
            if (builder.getRestartedProcessInstanceId() != null || builder.getCaseInstanceId() != null) {
                throw refused(user, command, "only administrators restart process instances");
            }
            String key = builder.getProcessDefinitionKey();
            if (key == null && builder.getProcessDefinitionId() != null) {
                key = read(context -> {
                    ProcessDefinitionEntity d = context.getProcessDefinitionManager()
                            .findLatestDefinitionById(builder.getProcessDefinitionId());
                    return d == null ? null : d.getKey();
                });
            }
            startInput(user, command, key, builder.getBusinessKey(), builder.getVariables());
        }

        private void startForm(
                String user,
                Command<?> command,
                String definitionId,
                String businessKey,
                Map<String, Object> variables) {
            String key = definitionId == null
                    ? null
                    : read(context -> {
                        ProcessDefinitionEntity d =
                                context.getProcessDefinitionManager().findLatestDefinitionById(definitionId);
                        return d == null ? null : d.getKey();
                    });
            startInput(user, command, key, businessKey, variables);
        }

        private void startInput(
                String user, Command<?> command, String processKey, String businessKey, Map<String, Object> variables) {
            if (processKey == null) {
                return; // unknown definition: Camunda answers 404
            }
            if (businessKey != null && !businessKey.isBlank()) { // Tasklist's start dialog sends an empty one
                throw refused(
                        user,
                        command,
                        "the control plane chooses a mission's business key; start without one "
                                + "(or through POST /api/missions)");
            }
            StepContract.Step form = contract.startForm(processKey)
                    .orElseThrow(
                            () -> refused(user, command, processKey + " has no start form: it is not started by hand"));
            contract.check(form, variables, false);
        }

        private void externalTask(Command<?> command) {
            if (command instanceof FetchExternalTasksCmd fetch) {
                Map<String, ?> instructions = field(fetch, FetchExternalTasksCmd.class, "fetchInstructions");
                if (instructions != null) {
                    for (String topic : instructions.keySet()) {
                        if (contract.topic(topic).isEmpty()) {
                            throw new StepInputException(
                                    "topicName",
                                    "Topic " + topic + " is not part of the agent " + "contract; the topics are "
                                            + String.join(
                                                    ", ", contract.topics().keySet()) + ".");
                        }
                    }
                }
                return;
            }
            if (command instanceof UnlockExternalTaskCmd) {
                // unlock names no worker, so it would release another worker's lock: a lock ends by completion,
                // failure (with a retry timeout) or expiry
                throw refused("agent", command, "a lock ends by completion, failure or expiry, not by unlock");
            }
            if (command instanceof ExtendLockOnExternalTaskCmd
                    || command.getClass().getSimpleName().equals("LockExternalTaskCmd")) {
                return; // Camunda checks the worker id against the lock
            }
            String id = field(command, ExternalTaskCmd.class, "externalTaskId");
            String topic = id == null
                    ? null
                    : read(context -> {
                        ExternalTaskEntity task =
                                context.getExternalTaskManager().findExternalTaskById(id);
                        return task == null ? null : task.getTopicName();
                    });
            if (topic == null) {
                return; // Camunda answers 404
            }
            StepContract.Step step = contract.topic(topic)
                    .orElseThrow(() -> new StepInputException(
                            "topicName", "Topic " + topic + " is not part of the agent contract."));
            if (command instanceof CompleteExternalTaskCmd c) {
                contract.check(step, field(c, CompleteExternalTaskCmd.class, "variables"), true);
                none(
                        field(c, CompleteExternalTaskCmd.class, "localVariables"),
                        "localVariables",
                        topic,
                        "its result variables go in 'variables' (process scope)");
            } else if (command instanceof HandleExternalTaskFailureCmd c) {
                none(
                        field(c, HandleExternalTaskFailureCmd.class, "variables"),
                        "variables",
                        topic,
                        "a failure reports errorMessage and errorDetails only");
                none(
                        field(c, HandleExternalTaskFailureCmd.class, "localVariables"),
                        "localVariables",
                        topic,
                        "a failure reports errorMessage and errorDetails only");
            } else if (command instanceof HandleExternalTaskBpmnErrorCmd c) {
                String code = field(c, HandleExternalTaskBpmnErrorCmd.class, "errorCode");
                List<String> codes = contract.bpmnErrors(topic);
                if (code == null || !codes.contains(code)) {
                    throw new StepInputException(
                            "errorCode",
                            "Topic " + topic + " accepts "
                                    + (codes.isEmpty()
                                            ? "no BPMN error"
                                            : "the BPMN error code " + String.join(", ", codes))
                                    + (code == null ? "" : "; not '" + abbreviate(code) + "'") + " (" + step.source()
                                    + ").");
                }
                none(
                        field(c, HandleExternalTaskBpmnErrorCmd.class, "variables"),
                        "variables",
                        topic,
                        "a BPMN error carries its code and message only");
            } else {
                throw refused("agent", command, "not an operation on external tasks");
            }
        }

        private void none(Map<String, ?> variables, String what, String topic, String why) {
            if (variables != null && !variables.isEmpty()) {
                String first = variables.keySet().iterator().next();
                throw new StepInputException(
                        first,
                        "Topic " + topic + " does not accept " + what + " ('" + abbreviate(first) + "'): " + why + ".");
            }
        }

        /**
         * A read of the engine's own rows without authorization checks, in the checked command's context (its entity
         * cache: the command then finds the same task without a second query).
         */
        private <T> T read(Command<T> query) {
            var context = Context.getCommandContext();
            if (context != null) {
                return context.runWithoutAuthorization(() -> query.execute(context));
            }
            return next.execute(c -> c.runWithoutAuthorization(() -> query.execute(c)));
        }

        @SuppressWarnings("unchecked")
        private <T> T field(Object target, Class<?> declaring, String name) {
            try {
                Field f = declaring.getDeclaredField(name);
                f.setAccessible(true);
                return (T) f.get(target);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(
                        declaring.getName() + " no longer has the field " + name
                                + ": review EngineGuard for this Camunda version",
                        e);
            }
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

    private static Refused refused(String user, Command<?> command, String why) {
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

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
