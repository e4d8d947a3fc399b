package io.controlplane.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Instances starting at the same moment on one PostgreSQL database take turns: Camunda's schema creation (and
 * {@code schema-update}) is not guarded against a second JVM doing the same, so on an empty database one of them failed
 * with a duplicate table and exited. Before the engine touches its schema, each instance takes a PostgreSQL advisory
 * lock, and gives it back once it is ready (engine schema, deployment, Flyway, demo users and missions done). A node
 * that dies meanwhile loses its connection, and PostgreSQL releases the lock. H2 (one JVM) needs no lock.
 * Proven by {@code ClusterIT}; see docs/cluster.md.
 */
@Component
class StartupLock extends AbstractProcessEnginePlugin {
    private static final Logger log = LoggerFactory.getLogger(StartupLock.class);
    /** Any fixed number; only instances of this service use it ("cp" + "start" in ASCII, roughly). */
    static final long KEY = 0x6370_7374_6172_74L;

    private final DataSource dataSource;
    private Connection held;

    StartupLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public synchronized void preInit(ProcessEngineConfigurationImpl configuration) {
        try {
            Connection c = dataSource.getConnection();
            if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
                c.close();
                return;
            }
            long started = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + KEY + ")");
            }
            held = c;
            log.info(
                    "Startup lock taken after {} ms: this instance prepares the schema alone",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take the startup lock: " + e.getMessage(), e);
        }
    }

    @EventListener({ApplicationReadyEvent.class, ApplicationFailedEvent.class, ContextClosedEvent.class})
    public synchronized void release(ApplicationEvent event) {
        if (held == null) {
            return;
        }
        try (Connection c = held;
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + KEY + ")");
            log.info("Startup lock released");
        } catch (SQLException e) {
            log.warn("Releasing the startup lock failed (it goes with the connection): {}", e.getMessage());
        } finally {
            held = null;
        }
    }
}
