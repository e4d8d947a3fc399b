package io.controlplane.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which signed Slack requests were accepted already. A signature is valid for 5 minutes ({@link SlackRequestVerifier}),
 * and within them the same request could be sent again — by anyone who saw it — and would verify again; so each
 * accepted signature is remembered for that window and a second arrival refused. Kept in the database
 * ({@code slack_replays}, V10), which every node of a cluster shares: a replay sent to the other node is refused too.
 * The primary key decides, so two arrivals at the same instant cannot both win. Entries older than the window (and its
 * clock skew) are pruned with every request: the table holds at most a few minutes of Slack's traffic.
 */
@Component
class SlackReplays {
    /** How long a signature must be remembered: as long as the verifier would accept its timestamp. */
    static final Duration REMEMBER = SlackRequestVerifier.MAX_AGE.plus(SlackRequestVerifier.MAX_CLOCK_SKEW);

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    @Autowired
    SlackReplays(NamedParameterJdbcTemplate jdbc) {
        this(jdbc, Clock.systemUTC());
    }

    SlackReplays(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Records an accepted request.
     *
     * @param signature the request's {@code X-Slack-Signature}, already verified
     * @param timestamp its {@code X-Slack-Request-Timestamp}, in epoch seconds
     * @return {@code true} the first time; {@code false} for a request seen before (a replay)
     */
    boolean firstTime(String signature, long timestamp) {
        Instant now = clock.instant();
        jdbc.update(
                "DELETE FROM slack_replays WHERE request_at < :cutoff",
                new MapSqlParameterSource("cutoff", OffsetDateTime.ofInstant(now.minus(REMEMBER), ZoneOffset.UTC)));
        try {
            jdbc.update(
                    "INSERT INTO slack_replays (signature, request_at) VALUES (:signature, :at)",
                    new MapSqlParameterSource("signature", signature.strip())
                            .addValue(
                                    "at", OffsetDateTime.ofInstant(Instant.ofEpochSecond(timestamp), ZoneOffset.UTC)));
            return true;
        } catch (DuplicateKeyException seenBefore) {
            return false;
        }
    }

    /** How many signatures are remembered (tests). */
    long remembered() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM slack_replays", new MapSqlParameterSource(), Long.class);
        return n == null ? 0 : n;
    }
}
