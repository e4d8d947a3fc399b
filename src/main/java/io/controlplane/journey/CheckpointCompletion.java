package io.controlplane.journey;

import io.controlplane.governance.CheckpointDecisions;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.springframework.stereotype.Component;

/**
 * The end of every checkpoint task: hands the completion to {@link CheckpointDecisions}, which refuses it or records
 * the decision, and sets the variables it returns.
 *
 * <p>It is an execution listener on the task's {@code end}, not a task listener: the engine wraps task-listener
 * exceptions into a generic error (HTTP 500), while these reach Tasklist and {@code /engine-rest} as they are.
 */
@Component("checkpointDecisions")
class CheckpointCompletion implements ExecutionListener {
    private final CheckpointDecisions decisions;

    CheckpointCompletion(CheckpointDecisions decisions) {
        this.decisions = decisions;
    }

    @Override
    public void notify(DelegateExecution task) {
        if (task.isCanceled()) {
            return; // the task was cancelled (stage ended, mission aborted): nobody decided anything
        }
        // the candidate groups come from the deployed model, never from what the completion sent
        var candidateGroups = task.getBpmnModelElementInstance() instanceof UserTask userTask
                        && userTask.getCamundaCandidateGroups() != null
                ? userTask.getCamundaCandidateGroupsList()
                : null;
        decisions
                .decide(new CheckpointDecisions.Completion(
                        task.getCurrentActivityId(),
                        task.getProcessBusinessKey(),
                        task.getProcessInstanceId(),
                        task.getActivityInstanceId(),
                        candidateGroups,
                        task::getVariable))
                .forEach(task::setVariable);
    }
}
