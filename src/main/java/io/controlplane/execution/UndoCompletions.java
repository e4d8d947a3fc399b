package io.controlplane.execution;

import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.PlayStore;
import io.controlplane.mission.TelemetryCatalog;
import java.time.Instant;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Records a completed undo plan. A failed one never gets here: the agent reports the BPMN error {@code UNDO_FAILED},
 * which the boundary event turns into the undo-failure runbook.
 */
@Component
public class UndoCompletions {
    private final PlayStore plays;
    private final ApplicationEventPublisher events;

    UndoCompletions(PlayStore plays, ApplicationEventPublisher events) {
        this.plays = plays;
        this.events = events;
    }

    public void completed(String missionId, String playId) {
        plays.find(missionId, playId)
                .ifPresent(p -> plays.recordUndo(missionId, p.round(), playId, "UNDONE", Instant.now()));
        events.publishEvent(MissionEvent.of(TelemetryCatalog.UNDO_COMPLETED, missionId, Map.of("playId", playId)));
    }
}
