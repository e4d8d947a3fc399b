package io.controlplane.execution;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code controlplane.agent}: the built-in simulated agent and the retries every agent's failing step gets (defaults
 * in {@code application.yaml}).
 *
 * @param simulated the simulated agent worker (demo and tests); off in production
 * @param retries how often a failing agent step is retried before it becomes an incident in Cockpit
 * @param retryTimeoutMs how far apart those retries are
 */
@ConfigurationProperties(prefix = "controlplane.agent")
public record AgentProperties(Simulated simulated, int retries, long retryTimeoutMs) {
    public AgentProperties {
        if (simulated == null) {
            simulated = new Simulated(false, 1000);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("controlplane.agent.retries must be 0 or more, not " + retries);
        }
        if (retryTimeoutMs < 0) {
            throw new IllegalArgumentException(
                    "controlplane.agent.retry-timeout-ms must be 0 or more, not " + retryTimeoutMs);
        }
    }

    /**
     * @param enabled off: nothing at all (not even demo seeding) works as this agent
     * @param pollIntervalMs the pause between two polls of the engine's external tasks
     */
    public record Simulated(boolean enabled, long pollIntervalMs) {
        public Simulated {
            if (pollIntervalMs <= 0) {
                throw new IllegalArgumentException(
                        "controlplane.agent.simulated.poll-interval-ms must be positive, not " + pollIntervalMs);
            }
        }
    }
}
