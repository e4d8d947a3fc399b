package io.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The jar's one-shot commands are read-only on models and jobs, and a service restart deploys nothing new: the
 * service starts on a database, a command runs on the same database, the service starts again, and the deployments,
 * process definition versions and job ids stay exactly those of the first start. Each runs as its own Spring
 * application in this JVM (the command through {@link Commands#run}, as {@code java -jar … governance-check} does),
 * under an engine name of its own so no other test's engine is touched.
 */
class OneShotCommandsTest {
    private static final String ENGINE = "oneShotCommandsTest";

    @Test
    void aCommandOnTheServicesDatabaseChangesNoDeploymentOrJobAndSaysWhatItDoes() throws Exception {
        String url = "jdbc:h2:mem:commands-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        startAndStopService(url);
        Snapshot served = Snapshot.of(url);
        assertThat(served.deployments())
                .as("the service deployed the models once")
                .hasSize(1);
        assertThat(served.definitions())
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d).endsWith(":1"));
        assertThat(served.jobs()).as("the rhythm's and audit's timer jobs").isNotEmpty();
        // the names do not depend on where the models were found (a directory here, a jar or /app/resources elsewhere)
        assertThat(served.resourceNames())
                .contains(
                        "bpmn/mission-journey.bpmn",
                        "bpmn/legacy/mission-journey-legacy.bpmn",
                        "forms/missionRequest.form")
                .allSatisfy(n -> assertThat(n).matches("(bpmn|forms)/[\\w/.-]+"));

        Run check = command(url, "governance-check");
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).startsWith("Governance check ");
        // progress on stderr, so it is visible at once and a script reading the report is undisturbed
        assertThat(check.err())
                .contains(
                        "governance-check: starting",
                        "governance-check: connected to " + url,
                        "governance-check: done in");
        Run audit = command(url, "telemetry-audit", "--mode=report");
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).startsWith("Telemetry audit (report)");
        Run facts = command(url, "kpi-facts", "rescan");
        assertThat(facts.exit()).as(facts.err()).isZero();
        assertThat(facts.out()).startsWith("KPI facts (rescan): 0 ended journeys materialized");
        assertThat(Snapshot.of(url)).as("after three commands").isEqualTo(served);

        startAndStopService(url);
        assertThat(Snapshot.of(url)).as("after a service restart").isEqualTo(served);
    }

    @Test
    void aCommandOnAnEmptyDatabaseDeploysNothing() throws Exception {
        String url = "jdbc:h2:mem:commands-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Run check = command(url, "governance-check");
        assertThat(check.exit()).as(check.err()).isZero();
        Snapshot after = Snapshot.of(url);
        assertThat(after.deployments()).isEmpty();
        assertThat(after.definitions()).isEmpty();
        // (the engine's own history-cleanup job is created by whichever engine starts first on a database)
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(Snapshot.list(c, "SELECT ID_ FROM ACT_RU_JOB WHERE PROCESS_DEF_ID_ IS NOT NULL"))
                    .isEmpty();
        }
    }

    private static void startAndStopService(String url) {
        SpringApplication app = new SpringApplication(ControlPlaneApplication.class);
        // the deployment is what is under test: no servlet container needed (as for the commands)
        app.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext ignored = app.run(
                "--spring.datasource.url=" + url,
                "--spring.profiles.active=h2,test",
                "--camunda.bpm.process-engine-name=" + ENGINE,
                "--spring.autoconfigure.exclude=org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration")) {
            // started: deployed, timers scheduled
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run command(String url, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        // an H2 database of the test's own, whatever the suite's database profile (-Ppostgres sets postgres
        // credentials)
        all.addAll(List.of(
                "--spring.datasource.url=" + url,
                "--spring.profiles.active=h2,test",
                "--camunda.bpm.process-engine-name=" + ENGINE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Commands.run(
                ControlPlaneApplication.class,
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a deployment changes: deployments, definition versions, jobs (by id), and the deployed resources' names. */
    private record Snapshot(
            List<String> deployments, List<String> definitions, List<String> jobs, List<String> resourceNames) {
        static Snapshot of(String url) throws SQLException {
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                return new Snapshot(
                        list(c, "SELECT ID_ FROM ACT_RE_DEPLOYMENT"),
                        list(c, "SELECT KEY_ || ':' || VERSION_ FROM ACT_RE_PROCDEF"),
                        list(c, "SELECT ID_ FROM ACT_RU_JOB"),
                        list(c, "SELECT NAME_ FROM ACT_GE_BYTEARRAY WHERE DEPLOYMENT_ID_ IS NOT NULL"));
            }
        }

        private static List<String> list(Connection c, String sql) throws SQLException {
            List<String> rows = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    rows.add(r.getString(1));
                }
            } catch (SQLException e) {
                if (e.getMessage().contains("not found")) {
                    return rows; // no engine schema yet
                }
                throw e;
            }
            rows.sort(null);
            return rows;
        }
    }
}
