package io.controlplane.resilience;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL database of the test's own ({@code controlplane_crash_it}, {@code controlplane_cluster_it}), dropped
 * and created afresh each run, on the server {@code CONTROLPLANE_DB_URL} names (127.0.0.1:5432 when unset). The test
 * reads it with plain SQL to see what the service stored; everything it changes goes through the service's HTTP API.
 * Public for the ITs of other packages (the reference agent's {@code ExternalTaskClientIT}, {@code controlplane_agent_it}).
 */
public final class ItDatabase {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/]+)/.*");

    private final String name;

    public ItDatabase(String name) {
        this.name = name;
    }

    static String server() {
        String configured = System.getenv("CONTROLPLANE_DB_URL");
        if (configured != null) {
            Matcher m = URL.matcher(configured);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return "127.0.0.1:5432";
    }

    static String user() {
        String u = System.getenv("CONTROLPLANE_DB_USER");
        return u == null || u.isBlank() ? "postgres" : u;
    }

    static String password() {
        String p = System.getenv("CONTROLPLANE_DB_PASSWORD");
        return p == null ? "" : p;
    }

    public String url() {
        return "jdbc:postgresql://" + server() + "/" + name;
    }

    /** Drops the database (closing whatever still uses it) and creates it empty. */
    public ItDatabase recreate() {
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://" + server() + "/postgres", user(), password());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot recreate " + name + " on " + server() + ": " + e.getMessage()
                            + " (is PostgreSQL running? .ci/run starts one)",
                    e);
        }
        return this;
    }

    /** Drops the database once the test is done with it (closing whatever still uses it). */
    public void drop() {
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://" + server() + "/postgres", user(), password());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop " + name + " on " + server() + ": " + e.getMessage(), e);
        }
    }

    List<Map<String, Object>> rows(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(url(), user(), password());
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i).toLowerCase(), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row, as text. */
    List<String> strings(String sql, Object... params) {
        return rows(sql, params).stream()
                .map(r -> String.valueOf(r.values().iterator().next()))
                .toList();
    }

    long count(String sql, Object... params) {
        Object v = rows(sql, params).get(0).values().iterator().next();
        return v == null ? 0 : ((Number) v).longValue();
    }
}
