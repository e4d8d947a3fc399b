package io.controlplane.notify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

/** An in-memory H2 database holding {@code notification_log} exactly as the V2 and V13 migrations make it. */
final class NotificationLogDatabase implements AutoCloseable {
    static final String MIGRATION = "db/migration/V2__incidents_and_notifications.sql";
    /** Adds the payload column. */
    static final String PAYLOAD_MIGRATION = "db/migration/V13__notification_payload.sql";

    private final EmbeddedDatabase database;
    final NotificationLog log;
    final NamedParameterJdbcTemplate jdbc;

    NotificationLogDatabase() {
        database = new EmbeddedDatabaseBuilder()
                .setType(EmbeddedDatabaseType.H2)
                .generateUniqueName(true)
                .build();
        jdbc = new NamedParameterJdbcTemplate(database);
        notificationLogStatements(MIGRATION)
                .forEach(sql -> jdbc.getJdbcTemplate().execute(sql));
        notificationLogStatements(PAYLOAD_MIGRATION)
                .forEach(sql -> jdbc.getJdbcTemplate().execute(sql));
        log = new NotificationLog(jdbc);
    }

    /** The migration's statements about {@code notification_log} (the incidents table needs missions; not here). */
    static List<String> notificationLogStatements(String migration) {
        try (InputStream in = NotificationLogDatabase.class.getClassLoader().getResourceAsStream(migration)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("--[^\n]*", "");
            List<String> statements = Arrays.stream(sql.split(";"))
                    .map(String::strip)
                    .filter(s -> s.contains("notification_log"))
                    .toList();
            if (statements.isEmpty()) {
                throw new IllegalStateException(migration + " no longer touches notification_log");
            }
            return statements;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<LoggedNotification> rows() {
        return log.recent(null, null, null, 500, 0);
    }

    @Override
    public void close() {
        database.shutdown();
    }
}
