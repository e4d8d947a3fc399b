package io.controlplane;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * With the {@code postgres} profile, creates the test database before the application context needs it, so
 * {@code ./mvnw verify -Ppostgres} works against a bare PostgreSQL server.
 */
public class PostgresTestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/]+)/([A-Za-z0-9_]+)(\\?.*)?");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        if (!Arrays.asList(env.getActiveProfiles()).contains("postgres")) {
            return;
        }
        String url = env.getProperty("spring.datasource.url", "");
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            return;
        }
        String database = m.group(2);
        String admin = "jdbc:postgresql://" + m.group(1) + "/postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(
                        admin,
                        env.getProperty("spring.datasource.username"),
                        env.getProperty("spring.datasource.password"));
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot prepare the PostgreSQL test database " + database + " at " + admin + ": " + e.getMessage()
                            + " (is PostgreSQL running? .ci/run starts one)",
                    e);
        }
    }
}
