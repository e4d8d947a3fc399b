package io.controlplane.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code controlplane.engine}: how the service drives the engine (default in {@code application.yaml}).
 *
 * @param optimisticLockingAttempts attempts in all of a command that collided with another on the same mission
 */
@ConfigurationProperties(prefix = "controlplane.engine")
public record EngineProperties(int optimisticLockingAttempts) {
    public EngineProperties {
        optimisticLockingAttempts = Math.max(1, optimisticLockingAttempts);
    }
}
