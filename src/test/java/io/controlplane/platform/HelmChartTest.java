package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The chart in helm/ passes a real {@code helm lint} and renders what the service needs. */
class HelmChartTest {
    private static final Path CHART = Path.of("helm", "control-plane");

    @Test
    void chartLintsStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void rendersTheServiceAgainstPostgresWithSecretsFromKubernetes() {
        String manifests = new Helm(CHART).template().withName("cp").call();
        assertThat(manifests).contains("kind: Deployment", "kind: Service", "value: postgres",
                "name: CONTROLPLANE_DB_URL", "name: control-plane-database", "name: control-plane-admin",
                "path: /actuator/health");
        // production defaults: no demo users, no simulated agent
        assertThat(manifests).contains("name: CONTROLPLANE_DEMO_USERS\n              value: \"false\"",
                "name: CONTROLPLANE_AGENT_SIMULATED_ENABLED\n              value: \"false\"");
    }

    @Test
    void refusesToRenderWithoutADatabase() {
        assertThatThrownBy(() -> new Helm(CHART).template().set("database.url", "").call())
                .hasMessageContaining("database.url is required");
    }
}
