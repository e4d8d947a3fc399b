package io.controlplane.journey;

import io.controlplane.incident.Runbooks;
import io.controlplane.mission.CheckpointWaiting;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Publishes a {@link CheckpointWaiting} when any user task is created, in the creating transaction: the features
 * that page people (Slack's decision posts) listen, without touching Camunda's delegate types themselves.
 */
@Component
class TaskWaitingEvents extends AbstractProcessEnginePlugin {
    private final ApplicationEventPublisher events;

    TaskWaitingEvents(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null
                ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
        listeners.add(new AbstractBpmnParseListener() {
            @Override
            public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                if (activity.getActivityBehavior() instanceof UserTaskActivityBehavior task) {
                    task.getTaskDefinition()
                            .addTaskListener(TaskListener.EVENTNAME_CREATE, TaskWaitingEvents.this::created);
                }
            }
        });
        configuration.setCustomPostBPMNParseListeners(listeners);
    }

    private void created(DelegateTask task) {
        // a runbook's incident: set by the service's own delegate (no person or agent can write variables)
        events.publishEvent(new CheckpointWaiting(
                task.getId(),
                task.getTaskDefinitionKey(),
                task.getExecution().getProcessBusinessKey(),
                Runbooks.Typed.INCIDENT_ID.orNull(task),
                Runbooks.Typed.INCIDENT_SUMMARY.orNull(task)));
    }
}
