package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.controlplane.mission.AgentRunRecorded;
import io.controlplane.mission.AgentRunStore;
import io.controlplane.mission.AgentUsage;
import io.controlplane.platform.JsonValues;
import java.time.Instant;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExternalTaskEntity;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The agent ledger's intake: on the end of every external task (first among its listeners, so the budget check of
 * {@code mission.play.execute} sees this run) it stores the {@code agentUsage} the completion carried, per mission,
 * play, step and agent, and removes the variable, so a later step never reads it as its own.
 *
 * <p>The agent is the authenticated user that completed the task (an agent runtime of {@code ai-agent}); a
 * completion without an authentication comes from inside the service (its simulated agent, the Java API), and is
 * booked to the worker id that locked the task. Never a name the agent writes: the usage has no such field.
 */
@Component("agentLedger")
class AgentLedger implements ExecutionListener {
    /** booked when neither an authentication nor a lock names the worker (a task completed without fetching it) */
    static final String UNKNOWN_WORKER = "unknown-worker";

    private final AgentRunStore runs;
    private final JsonValues json;
    private final ApplicationEventPublisher events;

    AgentLedger(AgentRunStore runs, JsonValues json, ApplicationEventPublisher events) {
        this.runs = runs;
        this.json = json;
        this.events = events;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        Object value = execution.getVariable(Vars.AGENT_USAGE);
        if (value == null) {
            return;
        }
        AgentUsage usage;
        try {
            usage = AgentUsage.fromJson(json.read(value));
        } catch (JsonProcessingException e) {
            throw new BadUserRequestException(Vars.AGENT_USAGE + " is not valid JSON: " + e.getOriginalMessage());
        }
        String topic =
                execution.getBpmnModelElementInstance() instanceof ServiceTask task ? task.getCamundaTopic() : null;
        Object playId = execution.getVariable(Vars.PLAY_ID);
        runs.insert(
                execution.getProcessBusinessKey(),
                playId instanceof String s ? s : null,
                execution.getCurrentActivityId(),
                topic == null ? "unknown" : topic,
                worker(execution),
                usage.model(),
                usage.tokensIn(),
                usage.tokensOut(),
                json.write(usage.toolCallsJson()),
                usage.costCents(),
                usage.durationMs(),
                Instant.now());
        events.publishEvent(new AgentRunRecorded(
                topic == null ? "unknown" : topic,
                usage.tokensIn(),
                usage.tokensOut(),
                usage.costCents().doubleValue()));
        // consumed: the next step's report must not be mistaken for this one
        execution.removeVariable(Vars.AGENT_USAGE);
    }

    /** The authenticated worker, or for the service's own completions the worker id of the task's lock. */
    private static String worker(DelegateExecution execution) {
        CommandContext context = Context.getCommandContext();
        String user = context == null ? null : context.getAuthenticatedUserId();
        if (user != null) {
            return user;
        }
        if (context != null) {
            // the completed task left the runtime table in this very command; the entity cache still holds it
            for (ExternalTaskEntity task :
                    context.getDbEntityManager().getCachedEntitiesByType(ExternalTaskEntity.class)) {
                if (execution.getActivityInstanceId() != null
                        && execution.getActivityInstanceId().equals(task.getActivityInstanceId())
                        && task.getWorkerId() != null) {
                    return task.getWorkerId();
                }
            }
        }
        return UNKNOWN_WORKER;
    }
}
