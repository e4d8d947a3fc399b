package io.controlplane.notify;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The checkpoints offered in Slack ({@code slack_offers}, V16): which task a post's decision buttons name, and where
 * the post is (channel id and message timestamp, for chat.update). Written by the service when it posts, never from
 * a payload, so a press can name only a task the service itself offered.
 */
@Component
class SlackOffers {
    /** One post: {@code channel} and {@code ts} are {@code null} when Slack is off and the post was only logged. */
    record Offer(String taskId, String checkpoint, String missionId, String channel, String ts) {
        boolean posted() {
            return channel != null && ts != null;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;

    SlackOffers(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a post; a second post for the same task (a retried delivery) moves the offer to the newer message. */
    void offered(Notification.DecisionOffer offer, String missionId, String channel, String ts, Instant at) {
        MapSqlParameterSource p = new MapSqlParameterSource("task", offer.taskId())
                .addValue("checkpoint", offer.checkpoint())
                .addValue("mission", missionId)
                .addValue("channel", channel)
                .addValue("ts", ts)
                .addValue("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        if (jdbc.update(
                        "UPDATE slack_offers SET channel = :channel, message_ts = :ts, offered_at = :at "
                                + "WHERE task_id = :task",
                        p)
                == 0) {
            jdbc.update(
                    "INSERT INTO slack_offers (task_id, checkpoint, mission_id, channel, message_ts, offered_at) "
                            + "VALUES (:task, :checkpoint, :mission, :channel, :ts, :at)",
                    p);
        }
    }

    Optional<Offer> find(String taskId) {
        return jdbc
                .query(
                        "SELECT task_id, checkpoint, mission_id, channel, message_ts FROM slack_offers "
                                + "WHERE task_id = :task",
                        new MapSqlParameterSource("task", taskId),
                        (rs, i) -> new Offer(
                                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                .stream()
                .findFirst();
    }
}
