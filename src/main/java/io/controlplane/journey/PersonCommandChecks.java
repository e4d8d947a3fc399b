package io.controlplane.journey;

import static io.controlplane.journey.EngineGuard.refused;
import static io.controlplane.journey.EngineReads.field;

import io.controlplane.platform.Roles;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.impl.ProcessInstanceModificationBuilderImpl;
import org.camunda.bpm.engine.impl.ProcessInstantiationBuilderImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractAddIdentityLinkCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractSetTaskPropertyCmd;
import org.camunda.bpm.engine.impl.cmd.AddCommentCmd;
import org.camunda.bpm.engine.impl.cmd.AssignTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ClaimTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SetExternalTaskRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.SetJobRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitStartFormCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.persistence.entity.ExternalTaskEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;

/**
 * {@link EngineGuard}'s rules for a person's changing commands: a task completed or its form submitted with exactly
 * its step's variables, claimed or assigned only for oneself, commented; a process started from its start form; and
 * operations command's retry of failed work. Anything else is an administrator's.
 */
final class PersonCommandChecks {
    private final StepContract contract;
    private final EngineReads engine;

    PersonCommandChecks(StepContract contract, EngineReads engine) {
        this.contract = contract;
        this.engine = engine;
    }

    void check(String user, Command<?> command) {
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
            throw refused(user, command, "only administrators change missions, runbooks, jobs and identities this way");
        }
    }

    /**
     * Cockpit's Retry: operations command gives failed work (no attempts left) new attempts — nobody else, never
     * zero, never a new due date, never to work that has not failed (that would reschedule or starve a timer).
     */
    void retry(String user, Command<?> command, Set<String> groups) {
        if (!groups.contains(Roles.OPERATIONS_COMMAND)) {
            throw refused(user, command, "retrying failed work is operations command's");
        }
        List<Integer> current;
        int retries;
        if (command instanceof SetJobRetriesCmd c) {
            retries = field(c, SetJobRetriesCmd.class, "retries");
            current = jobRetries(user, c);
        } else {
            retries = field(command, SetExternalTaskRetriesCmd.class, "retries");
            String id = field(command, ExternalTaskCmd.class, "externalTaskId");
            current = engine.read(context -> {
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
                throw refused(user, command, "only failed work (no attempts left) is retried; this still has " + left);
            }
        }
    }

    /** The attempts left of the jobs a retry names (each {@code null} for an unknown job). */
    private List<Integer> jobRetries(String user, SetJobRetriesCmd c) {
        if (Boolean.TRUE.equals(field(c, SetJobRetriesCmd.class, "isDueDateSet"))
                || field(c, SetJobRetriesCmd.class, "jobDefinitionId") != null) {
            throw refused(user, c, "a retry names failed jobs and keeps their due date");
        }
        String one = field(c, SetJobRetriesCmd.class, "jobId");
        List<String> many = field(c, SetJobRetriesCmd.class, "jobIds");
        List<String> ids = one != null ? List.of(one) : many == null ? List.of() : many;
        return engine.read(context -> ids.stream()
                .map(id -> {
                    var job = context.getJobManager().findJobById(id);
                    return job == null ? null : job.getRetries();
                })
                .toList());
    }

    private void taskInput(String taskId, Map<String, Object> variables) {
        if (taskId == null) {
            return; // Camunda refuses it itself
        }
        String[] step = engine.read(context -> {
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
                : engine.read(context -> {
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
            key = processKey(builder.getProcessDefinitionId());
        }
        startInput(user, command, key, builder.getBusinessKey(), builder.getVariables());
    }

    private void startForm(
            String user, Command<?> command, String definitionId, String businessKey, Map<String, Object> variables) {
        String key = definitionId == null ? null : processKey(definitionId);
        startInput(user, command, key, businessKey, variables);
    }

    private String processKey(String definitionId) {
        return engine.read(context -> {
            ProcessDefinitionEntity d = context.getProcessDefinitionManager().findLatestDefinitionById(definitionId);
            return d == null ? null : d.getKey();
        });
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
}
