package io.controlplane.execution;

import io.controlplane.platform.EngineCalls;
import java.time.Duration;
import java.time.Instant;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Measures an agent step from its external task's creation (the activity's start in history) to its report. */
@Component
public class AgentTaskTimes {
    private final HistoryService history;
    private final ApplicationEventPublisher events;

    AgentTaskTimes(HistoryService history, ApplicationEventPublisher events) {
        this.history = history;
        this.events = events;
    }

    /** @param activityInstanceId the external task's activity instance, whose start in history is the task's creation */
    public void record(String activityInstanceId, String topic) {
        // read as the process, not as the agent that reported (agents may not read history)
        HistoricActivityInstance started = EngineCalls.asProcess(() -> history.createHistoricActivityInstanceQuery()
                .activityInstanceId(activityInstanceId)
                .singleResult());
        if (started != null && started.getStartTime() != null) {
            events.publishEvent(new AgentTaskReported(
                    topic, Duration.between(started.getStartTime().toInstant(), Instant.now())));
        }
    }
}
