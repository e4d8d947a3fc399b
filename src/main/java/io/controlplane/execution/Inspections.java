package io.controlplane.execution;

import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.TelemetryCatalog;
import java.util.Map;
import org.camunda.bpm.engine.BadUserRequestException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Checks what the read-only inspection agent reports before the journey acts on it: a coverage figure from 0 to 100.
 * A bad report is refused (the agent's completion gets a 400) instead of sending the mission down the wrong path.
 */
@Component
public class Inspections {
    private final ApplicationEventPublisher events;

    private final AgentTaskTimes agentTimes;

    Inspections(ApplicationEventPublisher events, AgentTaskTimes agentTimes) {
        this.events = events;
        this.agentTimes = agentTimes;
    }

    /**
     * Judges the report as the agent sent it and records it.
     *
     * @return the coverage rounded to one decimal, a Double so the gateway and the forms read one type
     */
    public double accept(String missionId, String activityInstanceId, Object coverage, Object preview) {
        if (!(coverage instanceof Number n)
                || Double.isNaN(n.doubleValue())
                || n.doubleValue() < 0
                || n.doubleValue() > 100) {
            throw new BadUserRequestException(Vars.DATA_COVERAGE_PERCENT + " must be a number from 0 to 100 (got "
                    + (coverage == null ? "nothing" : "'" + coverage + "'") + ")");
        }
        if (preview != null && (!(preview instanceof String s) || s.length() > 4000)) {
            throw new BadUserRequestException(Vars.DATA_PREVIEW_SUMMARY + " must be text of at most 4000 characters");
        }
        double percent = Math.round(n.doubleValue() * 10) / 10.0;
        agentTimes.record(activityInstanceId, MissionJourney.Topics.DATA_INSPECT);
        events.publishEvent(MissionEvent.of(
                TelemetryCatalog.DATA_PREVIEW_GENERATED, missionId, Map.of("coveragePercent", percent)));
        if (percent < 85) {
            events.publishEvent(MissionEvent.of(
                    TelemetryCatalog.COVERAGE_GAP_IDENTIFIED,
                    missionId,
                    Map.of("coveragePercent", percent, "status", percent < 60 ? "red" : "amber")));
        }
        return percent;
    }
}
