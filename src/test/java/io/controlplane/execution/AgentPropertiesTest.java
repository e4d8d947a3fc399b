package io.controlplane.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The agent and safeguard settings bind from the YAML's names, and a nonsensical value stops the start with its name. */
class AgentPropertiesTest {

    private static Binder binder(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values));
    }

    @Test
    void bindsTheYamlNames() {
        AgentProperties agent = binder(Map.of(
                        "controlplane.agent.simulated.enabled",
                        "true",
                        "controlplane.agent.simulated.poll-interval-ms",
                        "250",
                        "controlplane.agent.retries",
                        "4",
                        "controlplane.agent.retry-timeout-ms",
                        "1500"))
                .bind("controlplane.agent", AgentProperties.class)
                .get();
        assertThat(agent.simulated().enabled()).isTrue();
        assertThat(agent.simulated().pollIntervalMs()).isEqualTo(250);
        assertThat(agent.retries()).isEqualTo(4);
        assertThat(agent.retryTimeoutMs()).isEqualTo(1500);

        SafeguardProperties safeguards = binder(Map.of("controlplane.safeguards.retry-later", "PT2M"))
                .bind("controlplane.safeguards", SafeguardProperties.class)
                .get();
        assertThat(safeguards.retryLater()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesNonsenseWithTheSettingsName() {
        assertThatThrownBy(() -> binder(Map.of(
                                "controlplane.agent.retries",
                                "-1",
                                "controlplane.agent.simulated.poll-interval-ms",
                                "1000"))
                        .bind("controlplane.agent", AgentProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("controlplane.agent.retries");
        assertThatThrownBy(() -> binder(Map.of("controlplane.agent.simulated.poll-interval-ms", "0"))
                        .bind("controlplane.agent", AgentProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("controlplane.agent.simulated.poll-interval-ms");
        assertThatThrownBy(() -> binder(Map.of("controlplane.safeguards.retry-later", "-PT1M"))
                        .bind("controlplane.safeguards", SafeguardProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("controlplane.safeguards.retry-later");
    }
}
