package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.IntegrationTest;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The Kubernetes probes read these groups (helm/control-plane): readiness holds the engine, the job executor and the
 * database; liveness nothing external, so a database, Slack or SMTP outage never restarts a pod.
 */
@IntegrationTest
class HealthGroupsTest {
    @Autowired
    HealthEndpointGroups groups;

    @Autowired
    HealthContributorRegistry contributors;

    @Test
    void productionReadinessWaitsForTheEngineTheJobExecutorAndTheDatabase() throws IOException {
        // tests run without a job executor, so its member is checked in the shipped configuration
        PropertySource<?> shipped = new YamlPropertySourceLoader()
                .load("application", new ClassPathResource("application.yaml"))
                .get(0);
        String include = String.valueOf(shipped.getProperty("management.endpoint.health.group.readiness.include"));
        assertThat(Arrays.asList(include.split(",")))
                .containsExactlyInAnyOrder("readinessState", "db", "processEngine", "jobExecutor");
        assertThat(shipped.getProperty("management.endpoint.health.group.liveness.include"))
                .isEqualTo("livenessState");
    }

    @Test
    void readinessMembersAreLiveContributors() {
        HealthEndpointGroup readiness = groups.get("readiness");
        // group membership is not validated (the job executor is off here), so check each member really exists
        for (String member : new String[] {"readinessState", "db", "processEngine"}) {
            assertThat(contributors.getContributor(member))
                    .as("contributor %s exists", member)
                    .isNotNull();
            assertThat(readiness.isMember(member))
                    .as("readiness includes %s", member)
                    .isTrue();
        }
    }

    @Test
    void livenessDependsOnNothingOutsideTheJvm() {
        HealthEndpointGroup liveness = groups.get("liveness");
        assertThat(liveness.isMember("livenessState")).isTrue();
        contributors.stream()
                .map(c -> c.getName())
                .filter(name -> !name.equals("livenessState"))
                .forEach(name -> assertThat(liveness.isMember(name))
                        .as("liveness excludes %s", name)
                        .isFalse());
    }
}
