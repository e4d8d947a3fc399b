package io.controlplane.execution;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code controlplane.safeguards} (default in {@code application.yaml}).
 *
 * @param retryLater how long a step waits when the safeguard policy answers "retry later" (e.g. inside a quiet window)
 */
@ConfigurationProperties(prefix = "controlplane.safeguards")
public record SafeguardProperties(Duration retryLater) {
    public SafeguardProperties {
        if (retryLater == null || retryLater.isNegative() || retryLater.isZero()) {
            throw new IllegalArgumentException(
                    "controlplane.safeguards.retry-later must be a positive duration, not " + retryLater);
        }
    }
}
