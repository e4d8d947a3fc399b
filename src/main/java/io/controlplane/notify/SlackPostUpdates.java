package io.controlplane.notify;

import static com.slack.api.model.block.Blocks.section;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import io.controlplane.mission.MissionStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link SlackDecisions} tells Slack after answering it: the decided post updated in place (chat.update) and a
 * refused person's ephemeral message — in the background, so Slack gets its answer within its 3 s, and retried or
 * logged, since the decision is committed before.
 */
class SlackPostUpdates {
    // the decisions' log lines keep the category operators know them under
    private static final Logger log = LoggerFactory.getLogger(SlackDecisions.class);

    private final SlackNotifier slack;
    private final MissionStore missions;
    private final ScheduledExecutorService updates;
    private final Duration retryUnit;

    SlackPostUpdates(SlackNotifier slack, MissionStore missions, Duration retryUnit) {
        this.slack = slack;
        this.missions = missions;
        this.retryUnit = retryUnit;
        this.updates = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slack-message-updates");
            t.setDaemon(true);
            return t;
        });
    }

    void stop() {
        updates.shutdownNow();
    }

    /** Tells the Slack user in {@code channel} why their press was refused, in the background. */
    void tellLater(String channel, String slackUser, String refusal) {
        updates.execute(() -> {
            try {
                slack.ephemeral(channel, slackUser, refusal);
            } catch (RuntimeException e) {
                log.warn("Could not tell Slack user {} why their press was refused: {}", slackUser, e.toString());
            }
        });
    }

    /** Updates the post in place with {@code outcome}: in the background, retried, logged when Slack keeps failing. */
    void updateLater(SlackOffers.Offer offer, String outcome) {
        if (offer == null || !offer.posted() || !slack.configured()) {
            return;
        }
        String title = offer.missionId() == null
                ? ""
                : missions.find(offer.missionId())
                        .map(m -> m.title() + " (" + m.id() + ")")
                        .orElse(offer.missionId());
        String text = NotificationText.slackLine(outcome, SlackNotifier.SECTION_MAX / 2)
                + (title.isEmpty()
                        ? ""
                        : "\nMission: " + NotificationText.slackLine(title, SlackNotifier.SECTION_MAX / 2));
        List<LayoutBlock> blocks = List.of(section(s ->
                s.text(MarkdownTextObject.builder().text(text).verbatim(true).build())));
        attemptUpdate(offer, text, blocks, 1);
    }

    private void attemptUpdate(SlackOffers.Offer offer, String text, List<LayoutBlock> blocks, int attempt) {
        updates.schedule(
                () -> {
                    try {
                        slack.update(offer.channel(), offer.ts(), text, blocks);
                    } catch (RuntimeException e) {
                        if (attempt < SlackDecisions.UPDATE_ATTEMPTS) {
                            log.info(
                                    "chat.update of the post of task {} failed (attempt {}): {}; retrying",
                                    offer.taskId(),
                                    attempt,
                                    e.toString());
                            attemptUpdate(offer, text, blocks, attempt + 1);
                        } else {
                            log.warn(
                                    "Gave up updating the Slack post of task {} after {} attempts (the decision stands): {}",
                                    offer.taskId(),
                                    attempt,
                                    e.toString());
                        }
                    }
                },
                attempt == 1 ? 0 : retryUnit.toMillis() * (attempt - 1) * (attempt - 1),
                TimeUnit.MILLISECONDS);
    }
}
