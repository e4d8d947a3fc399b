package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import java.util.List;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Cockpit's start page counts deployments beside process definitions; for the Cockpit roles it showed "Deployments 0"
 * beside 15 definitions (issue #15): they could read the definitions but not the deployments that hold them. They
 * read both now, and reading is all.
 */
@IntegrationTest
class CockpitCountsTest {
    @LocalServerPort
    int port;

    @Autowired
    RepositoryService repository;

    @Test
    void theCockpitRolesSeeTheDeploymentsOfTheDefinitionsTheySeeAndChangeNone() {
        Http http = new Http(port);
        long deployments = repository.createDeploymentQuery().count();
        assertThat(deployments).isPositive();
        for (String user : List.of("gv", "oc", "ta")) {
            Http.Response count = http.get("/engine-rest/deployment/count", user);
            assertThat(count.status()).as(user).isEqualTo(200);
            assertThat(count.json().path("count").asLong())
                    .as(user + ": deployments")
                    .isEqualTo(deployments);
            assertThat(http.get("/engine-rest/process-definition/count", user)
                            .json()
                            .path("count")
                            .asLong())
                    .as(user + ": definitions")
                    .isPositive();
        }
        String id = repository.createDeploymentQuery().list().get(0).getId();
        for (String user : List.of("gv", "oc", "ta")) {
            assertThat(http.send("DELETE", "/engine-rest/deployment/" + id, user, null)
                            .status())
                    .as(user)
                    .isEqualTo(403);
        }
        assertThat(repository.createDeploymentQuery().deploymentId(id).count()).isEqualTo(1);
    }
}
