package io.controlplane.telemetry;

import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes telemetry events of the catalog into {@code telemetry_events}, in the caller's transaction, so an event
 * exists exactly when the step that emits it committed: inside a transaction, the step's events are written together
 * in one batch just before it commits ({@link Pending}); outside one, at once.
 */
@Component
public class TelemetryEvents {

    /** One stored event. */
    public record Event(
            long id,
            String name,
            String missionId,
            String stage,
            String agent,
            Instant occurredAt,
            String attributes) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonValues json;

    TelemetryEvents(NamedParameterJdbcTemplate jdbc, JsonValues json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Records a feature's {@link MissionEvent}: a synchronous listener, so it runs in the publisher's thread and
     * transaction, and the event is written (in that transaction's batch) exactly when the step commits.
     */
    @EventListener
    void record(MissionEvent event) {
        emit(
                event.event().eventName(),
                event.missionId(),
                event.stage() == null ? null : event.stage().name(),
                event.agent(),
                event.attributes());
    }

    public void emit(String name, String missionId, String stage, String agent, Map<String, ?> attributes) {
        if (TelemetryCatalog.ofName(name).isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is not in the telemetry catalog");
        }
        MapSqlParameterSource row = new MapSqlParameterSource("name", name)
                .addValue("mission", missionId)
                .addValue("stage", stage)
                .addValue("agent", agent)
                .addValue("at", MissionStore.odt(Instant.now()))
                .addValue("attributes", attributes == null || attributes.isEmpty() ? null : json.write(attributes));
        Pending pending = Pending.current(this);
        if (pending == null || pending.committing) {
            jdbc.update(INSERT, row);
        } else {
            pending.rows.add(row);
        }
    }

    private static final String INSERT = """
            INSERT INTO telemetry_events (name, mission_id, stage, agent, occurred_at, attributes)
            VALUES (:name, :mission, :stage, :agent, :at, :attributes)""";

    private static final List<String> COLUMNS = List.of("name", "mission", "stage", "agent", "at", "attributes");

    /**
     * One INSERT of {@code n} rows (a multi-row VALUES, on both databases): one statement, where a JDBC batch is one
     * per row (docs/performance.md, journey cost); the rows' parameters are {@code :name0, :mission0, …, :name1, …}.
     */
    static String insertOf(int n) {
        StringBuilder sql = new StringBuilder(
                "INSERT INTO telemetry_events (name, mission_id, stage, agent, occurred_at, attributes) VALUES ");
        for (int i = 0; i < n; i++) {
            sql.append(i == 0 ? "" : ", ").append('(');
            for (int c = 0; c < COLUMNS.size(); c++) {
                sql.append(c == 0 ? "" : ", ")
                        .append(':')
                        .append(COLUMNS.get(c))
                        .append(i);
            }
            sql.append(')');
        }
        return sql.toString();
    }

    private static MapSqlParameterSource numbered(List<MapSqlParameterSource> rows) {
        MapSqlParameterSource all = new MapSqlParameterSource();
        for (int i = 0; i < rows.size(); i++) {
            for (String c : COLUMNS) {
                all.addValue(c + i, rows.get(i).getValue(c));
            }
        }
        return all;
    }

    /** Writes the current transaction's events now (before a read of them in the same transaction). */
    void flush() {
        Pending pending = Pending.existing();
        if (pending != null) {
            pending.flush();
        }
    }

    /**
     * The events of the current transaction, written in one multi-row INSERT just before it commits (a step emits several:
     * one round trip instead of one per event). Still in the caller's transaction: a failing insert fails the commit.
     */
    static final class Pending implements TransactionSynchronization {
        private final TelemetryEvents events;
        final List<MapSqlParameterSource> rows = new ArrayList<>();
        /** set once the transaction commits: an event emitted after that (by another synchronization) goes at once */
        private boolean committing;

        private Pending(TelemetryEvents events) {
            this.events = events;
        }

        static Pending existing() {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                return null;
            }
            for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
                if (s instanceof Pending p) {
                    return p;
                }
            }
            return null;
        }

        static Pending current(TelemetryEvents events) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()
                    || !TransactionSynchronizationManager.isActualTransactionActive()
                    || TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
                return null;
            }
            Pending p = existing();
            if (p == null) {
                p = new Pending(events);
                TransactionSynchronizationManager.registerSynchronization(p);
            }
            return p;
        }

        @Override
        public void flush() {
            if (rows.isEmpty()) {
                return;
            }
            List<MapSqlParameterSource> batch = List.copyOf(rows);
            rows.clear();
            if (batch.size() == 1) {
                events.jdbc.update(INSERT, batch.get(0));
            } else {
                events.jdbc.update(insertOf(batch.size()), numbered(batch));
            }
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            committing = true;
            flush();
        }

        @Override
        public void afterCompletion(int status) {
            rows.clear();
        }
    }

    /** One page of stored events, newest first, and how many match in all; {@code null} filters are not applied. */
    public Page<Event> page(String missionId, String name, Page.Request paging) {
        flush();
        String where =
                (missionId == null ? "1=1" : "mission_id = :mission") + (name == null ? "" : " AND name = :name");
        MapSqlParameterSource p = new MapSqlParameterSource("mission", missionId)
                .addValue("name", name)
                .addValue("limit", paging.size())
                .addValue("offset", paging.offset());
        List<Event> items = jdbc.query(
                "SELECT * FROM telemetry_events WHERE " + where
                        + " ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset",
                p,
                (rs, n) -> new Event(
                        rs.getLong("id"),
                        rs.getString("name"),
                        rs.getString("mission_id"),
                        rs.getString("stage"),
                        rs.getString("agent"),
                        MissionStore.instant(rs, "occurred_at"),
                        rs.getString("attributes")));
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM telemetry_events WHERE " + where, p, Long.class);
        return Page.of(paging, items, total == null ? 0 : total);
    }

    public long count(String name, String missionId) {
        flush();
        Long n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM telemetry_events WHERE name = :name AND mission_id = :mission",
                new MapSqlParameterSource("name", name).addValue("mission", missionId),
                Long.class);
        return n == null ? 0 : n;
    }
}
