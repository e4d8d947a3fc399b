package io.controlplane.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.ControlPlaneApplication;
import io.controlplane.execution.SimulatedAgent;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.legacy.LegacyJourney.LegacyStage;
import io.controlplane.legacy.LegacyMigrations;
import io.controlplane.platform.Roles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code controlplane.agent.simulated.enabled=false} holds from the first moment: demo seeding on a fresh database
 * does not work as the simulated agent, so a third-party agent finds every external task open for itself. The
 * service runs as its own application on a database and engine of its own (demo seeding needs an empty one). The
 * seeded eight-stage mission needs no agent, so it is there too, waiting to be migrated.
 */
class DemoSeedingAgentSwitchTest {

    @Test
    void withTheSimulatedAgentOffDemoSeedingNeverWorksAsIt() throws Exception {
        String url = "jdbc:h2:mem:demo-agent-off-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        SpringApplication app = new SpringApplication(ControlPlaneApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = app.run(
                "--spring.datasource.url=" + url,
                "--spring.profiles.active=h2,test",
                "--camunda.bpm.process-engine-name=demoAgentOffTest",
                "--spring.autoconfigure.exclude=org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration",
                "--controlplane.demo.missions=true",
                "--controlplane.agent.simulated.enabled=false",
                "--controlplane.agent.simulated.poll-interval-ms=100")) {
            assertThat(count(url, "SELECT COUNT(*) FROM missions"))
                    .as("demo missions were seeded")
                    .isPositive();
            // the poller's first run is 2 s after start; give it a few turns
            Thread.sleep(3_000);
            String worker = "'" + SimulatedAgent.WORKER_ID + "'";
            assertThat(count(url, "SELECT COUNT(*) FROM ACT_HI_EXT_TASK_LOG WHERE WORKER_ID_ = " + worker))
                    .as("external tasks locked, completed or failed by the simulated agent")
                    .isZero();
            assertThat(count(
                            url,
                            "SELECT COUNT(*) FROM ACT_RU_EXT_TASK WHERE WORKER_ID_ = " + worker
                                    + " OR LOCK_EXP_TIME_ IS NOT NULL"))
                    .as("external tasks locked now")
                    .isZero();
            assertThat(count(url, "SELECT COUNT(*) FROM ACT_RU_EXT_TASK"))
                    .as("the seeded missions wait for an agent")
                    .isPositive();
            // the eight-stage mission in flight (issue #15, defect 8): the migration's dry run has something to show
            Task legacy = context.getBean(TaskService.class)
                    .createTaskQuery()
                    .processDefinitionKey(LegacyJourney.PROCESS_KEY)
                    .singleResult();
            assertThat(legacy.getTaskDefinitionKey()).isEqualTo(LegacyJourney.Elements.TOOLKIT_CONNECTION);
            LegacyMigrations.Report dryRun =
                    context.getBean(LegacyMigrations.class).migrate(List.of(), true, "demo", List.of(Roles.ADMIN));
            assertThat(dryRun.instances()).singleElement().satisfies(i -> {
                assertThat(i.legacyStage()).isEqualTo(LegacyStage.TOOLKITS_CONNECT.legacyName());
                assertThat(i.targetActivityId()).isEqualTo(LegacyStage.TOOLKITS_CONNECT.targetActivityId());
                assertThat(i.status()).isNotEqualTo(LegacyMigrations.Status.FAILED);
            });
            assertThat(count(
                            url,
                            "SELECT COUNT(*) FROM missions WHERE title = '" + DemoMissions.LEGACY + "' AND owner = '"
                                    + DemoMissions.OWNER + "'"))
                    .as("a demo mission DemoDataGuard recognises")
                    .isEqualTo(1);
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
