package io.controlplane.notify;

import io.controlplane.governance.Checkpoint;
import io.controlplane.mission.CheckpointWaiting;
import io.controlplane.mission.MissionStore;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Posts each waiting checkpoint that Slack offers ({@link Checkpoint#OFFERED_IN_SLACK}: Intent Confirmation, the two
 * packet co-signatures, red-play confirmation, the coverage override's second approval, the Safeguard Violation
 * Decision) to the operations channel with its decisions as buttons. Queued as a {@code notification-delivery} in the
 * transaction that creates the task, like every notice: the post exists exactly when the task does, and a Slack
 * outage is retried without holding up the mission. Presses are handled by {@link SlackDecisions}.
 */
@Component
class SlackCheckpointOffers {
    static final String KIND = "checkpoint_waiting";

    private final ObjectProvider<NotificationQueue> queue;
    private final MissionStore missions;

    SlackCheckpointOffers(ObjectProvider<NotificationQueue> queue, MissionStore missions) {
        this.queue = queue;
        this.missions = missions;
    }

    /** Synchronous: in the engine transaction that created the task. */
    @EventListener
    void waiting(CheckpointWaiting waiting) {
        Checkpoint checkpoint = Checkpoint.ofTask(waiting.taskKey())
                .filter(Checkpoint.OFFERED_IN_SLACK::contains)
                .orElse(null);
        NotificationQueue notices = queue.getIfAvailable();
        if (checkpoint == null || notices == null) {
            return;
        }
        String missionId = waiting.missionId();
        // the title from the service's records, not from a variable
        String title = missionId == null
                ? null
                : missions.find(missionId).map(MissionStore.Mission::title).orElse(null);
        String summary = checkpoint.displayName() + " is waiting for " + checkpoint.role()
                + ". Decide here or in Tasklist; the same rules apply.";
        if (NotificationText.hasText(waiting.detail())) {
            summary = waiting.detail() + "\n" + summary;
        }
        // a violation's post carries its incident too, so it offers Acknowledge beside the decisions
        notices.slack(
                new Notification(
                        KIND,
                        waiting.incidentId(),
                        missionId,
                        title,
                        checkpoint.stage().name(),
                        checkpoint == Checkpoint.VIOLATION_DECISION ? "high" : "medium",
                        summary,
                        null,
                        List.of(),
                        List.of(),
                        new Notification.DecisionOffer(waiting.taskId(), checkpoint.taskKey(), checkpoint.decisions())),
                missionId);
    }
}
