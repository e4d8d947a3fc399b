package io.controlplane.mission;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@code agent_runs}, the agent ledger: what each agent reported it used for one external task of a mission (model,
 * tokens, tool calls, cost, duration). Every total here is summed by the database from these rows, never taken from
 * a figure an agent sends, so the budget_cap safeguard and the evidence read the service's own accounting.
 */
@Repository
public class AgentRunStore {

    /** One reported run. {@code agent} is the authenticated worker that completed the task. */
    public record AgentRun(
            long id,
            String missionId,
            String playId,
            String activityId,
            String topic,
            String agent,
            String model,
            long tokensIn,
            long tokensOut,
            String toolCallsJson,
            BigDecimal costCents,
            Long durationMs,
            Instant reportedAt) {}

    /** Sums over a set of runs. */
    public record Totals(long runs, long tokensIn, long tokensOut, BigDecimal costCents) {
        public static final Totals NONE = new Totals(0, 0, 0, BigDecimal.ZERO);
    }

    /** One agent's sums on a mission. */
    public record AgentTotals(String agent, long runs, long tokensIn, long tokensOut, BigDecimal costCents) {}

    /** One mission's sums on one UTC day. */
    public record MissionDay(
            String missionId, LocalDate day, long runs, long tokensIn, long tokensOut, BigDecimal costCents) {}

    private static final String SUMS = "COUNT(*) AS runs, COALESCE(SUM(tokens_in), 0) AS tokens_in, "
            + "COALESCE(SUM(tokens_out), 0) AS tokens_out, COALESCE(SUM(cost_cents), 0) AS cost_cents";

    private final NamedParameterJdbcTemplate jdbc;

    AgentRunStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The UTC day of an instant: the budget_cap safeguard's period. */
    public static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    public void insert(
            String missionId,
            String playId,
            String activityId,
            String topic,
            String agent,
            String model,
            long tokensIn,
            long tokensOut,
            String toolCallsJson,
            BigDecimal costCents,
            Long durationMs,
            Instant reportedAt) {
        jdbc.update(
                """
                INSERT INTO agent_runs (mission_id, play_id, activity_id, topic, agent, model, tokens_in, tokens_out,
                  tool_calls, cost_cents, duration_ms, reported_at, reported_day)
                VALUES (:mission, :play, :activity, :topic, :agent, :model, :in, :out, :tools, :cost, :duration, :at, :day)""",
                new MapSqlParameterSource("mission", missionId)
                        .addValue("play", playId)
                        .addValue("activity", activityId)
                        .addValue("topic", topic)
                        .addValue("agent", agent)
                        .addValue("model", model)
                        .addValue("in", tokensIn)
                        .addValue("out", tokensOut)
                        .addValue("tools", toolCallsJson)
                        .addValue("cost", costCents)
                        .addValue("duration", durationMs)
                        .addValue("at", MissionStore.odt(reportedAt))
                        .addValue("day", day(reportedAt)));
    }

    /** A page of the mission's runs, oldest first (the order they were reported). */
    public List<AgentRun> list(String missionId, int page, int size) {
        return jdbc.query(
                "SELECT * FROM agent_runs WHERE mission_id = :mission ORDER BY reported_at, id "
                        + "OFFSET :offset ROWS FETCH NEXT :size ROWS ONLY",
                new MapSqlParameterSource("mission", missionId)
                        .addValue("offset", (long) page * size)
                        .addValue("size", size),
                AgentRunStore::run);
    }

    public Totals totals(String missionId) {
        return jdbc.queryForObject(
                "SELECT " + SUMS + " FROM agent_runs WHERE mission_id = :mission",
                new MapSqlParameterSource("mission", missionId),
                (rs, n) -> new Totals(rs.getLong("runs"), rs.getLong("tokens_in"), rs.getLong("tokens_out"), cost(rs)));
    }

    /** The mission's sums on one UTC day: what the budget_cap safeguard compares with {@code centsPerDay}. */
    public Totals totalsOn(String missionId, LocalDate day) {
        return jdbc.queryForObject(
                "SELECT " + SUMS + " FROM agent_runs WHERE mission_id = :mission AND reported_day = :day",
                new MapSqlParameterSource("mission", missionId).addValue("day", day),
                (rs, n) -> new Totals(rs.getLong("runs"), rs.getLong("tokens_in"), rs.getLong("tokens_out"), cost(rs)));
    }

    /** Per agent, on the whole mission ({@code day} null) or on one UTC day. */
    public List<AgentTotals> perAgent(String missionId, LocalDate day) {
        return jdbc.query(
                "SELECT agent, " + SUMS + " FROM agent_runs WHERE mission_id = :mission"
                        + (day == null ? "" : " AND reported_day = :day") + " GROUP BY agent ORDER BY agent",
                new MapSqlParameterSource("mission", missionId).addValue("day", day),
                (rs, n) -> new AgentTotals(
                        rs.getString("agent"),
                        rs.getLong("runs"),
                        rs.getLong("tokens_in"),
                        rs.getLong("tokens_out"),
                        cost(rs)));
    }

    /** Every mission's sums per UTC day from {@code from} to {@code to} (both included), newest day first. */
    public List<MissionDay> perMissionAndDay(LocalDate from, LocalDate to) {
        return jdbc.query(
                "SELECT mission_id, reported_day, " + SUMS + " FROM agent_runs "
                        + "WHERE reported_day BETWEEN :from AND :to GROUP BY mission_id, reported_day "
                        + "ORDER BY reported_day DESC, mission_id",
                new MapSqlParameterSource("from", from).addValue("to", to),
                (rs, n) -> new MissionDay(
                        rs.getString("mission_id"),
                        rs.getObject("reported_day", LocalDate.class),
                        rs.getLong("runs"),
                        rs.getLong("tokens_in"),
                        rs.getLong("tokens_out"),
                        cost(rs)));
    }

    private static BigDecimal cost(ResultSet rs) throws SQLException {
        BigDecimal c = rs.getBigDecimal("cost_cents");
        return c == null
                ? BigDecimal.ZERO
                : c.stripTrailingZeros().scale() < 0 ? c.setScale(0) : c.stripTrailingZeros();
    }

    private static AgentRun run(ResultSet rs, int n) throws SQLException {
        long duration = rs.getLong("duration_ms");
        boolean noDuration = rs.wasNull();
        return new AgentRun(
                rs.getLong("id"),
                rs.getString("mission_id"),
                rs.getString("play_id"),
                rs.getString("activity_id"),
                rs.getString("topic"),
                rs.getString("agent"),
                rs.getString("model"),
                rs.getLong("tokens_in"),
                rs.getLong("tokens_out"),
                rs.getString("tool_calls"),
                cost(rs),
                noDuration ? null : duration,
                MissionStore.instant(rs, "reported_at"));
    }
}
