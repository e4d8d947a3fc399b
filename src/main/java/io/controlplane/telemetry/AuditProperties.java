package io.controlplane.telemetry;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code controlplane.audit} (default in {@code application.yaml}).
 *
 * @param cron when the weekly telemetry audit runs: a Camunda cron with seconds, in the server's time zone
 */
@ConfigurationProperties(prefix = "controlplane.audit")
public record AuditProperties(String cron) {
    public AuditProperties {
        if (cron == null || cron.isBlank()) {
            throw new IllegalArgumentException("controlplane.audit.cron must be set (e.g. \"0 0 7 ? * MON\")");
        }
    }
}
