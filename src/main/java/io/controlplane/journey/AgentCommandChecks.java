package io.controlplane.journey;

import static io.controlplane.journey.EngineGuard.refused;
import static io.controlplane.journey.EngineReads.field;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.cmd.CompleteExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ExtendLockOnExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ExternalTaskCmd;
import org.camunda.bpm.engine.impl.cmd.FetchExternalTasksCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleExternalTaskFailureCmd;
import org.camunda.bpm.engine.impl.cmd.UnlockExternalTaskCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.persistence.entity.ExternalTaskEntity;

/**
 * {@link EngineGuard}'s rules for an agent's commands on external tasks: only the contract's topics, a completion
 * with the topic's result variables, a failure with its message only, a BPMN error with one of the topic's codes.
 */
final class AgentCommandChecks {
    private final StepContract contract;
    private final EngineReads engine;

    AgentCommandChecks(StepContract contract, EngineReads engine) {
        this.contract = contract;
        this.engine = engine;
    }

    void check(Command<?> command) {
        if (command instanceof FetchExternalTasksCmd fetch) {
            fetch(fetch);
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
                : engine.read(context -> {
                    ExternalTaskEntity task = context.getExternalTaskManager().findExternalTaskById(id);
                    return task == null ? null : task.getTopicName();
                });
        if (topic == null) {
            return; // Camunda answers 404
        }
        StepContract.Step step = contract.topic(topic)
                .orElseThrow(() ->
                        new StepInputException("topicName", "Topic " + topic + " is not part of the agent contract."));
        onTask(command, topic, step);
    }

    private void fetch(FetchExternalTasksCmd fetch) {
        Map<String, ?> instructions = field(fetch, FetchExternalTasksCmd.class, "fetchInstructions");
        if (instructions == null) {
            return;
        }
        for (String topic : instructions.keySet()) {
            if (contract.topic(topic).isEmpty()) {
                throw new StepInputException(
                        "topicName",
                        "Topic " + topic + " is not part of the agent " + "contract; the topics are "
                                + String.join(", ", contract.topics().keySet()) + ".");
            }
        }
    }

    /** A completion, failure or BPMN error on an external task of {@code topic}. */
    private void onTask(Command<?> command, String topic, StepContract.Step step) {
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
            bpmnError(c, topic, step);
        } else {
            throw refused("agent", command, "not an operation on external tasks");
        }
    }

    private void bpmnError(HandleExternalTaskBpmnErrorCmd c, String topic, StepContract.Step step) {
        String code = field(c, HandleExternalTaskBpmnErrorCmd.class, "errorCode");
        List<String> codes = contract.bpmnErrors(topic);
        if (code == null || !codes.contains(code)) {
            throw new StepInputException(
                    "errorCode",
                    "Topic " + topic + " accepts "
                            + (codes.isEmpty() ? "no BPMN error" : "the BPMN error code " + String.join(", ", codes))
                            + (code == null ? "" : "; not '" + abbreviate(code) + "'") + " (" + step.source()
                            + ").");
        }
        none(
                field(c, HandleExternalTaskBpmnErrorCmd.class, "variables"),
                "variables",
                topic,
                "a BPMN error carries its code and message only");
    }

    private static void none(Map<String, ?> variables, String what, String topic, String why) {
        if (variables != null && !variables.isEmpty()) {
            String first = variables.keySet().iterator().next();
            throw new StepInputException(
                    first,
                    "Topic " + topic + " does not accept " + what + " ('" + abbreviate(first) + "'): " + why + ".");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
