package io.controlplane.incident;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code controlplane.incidents} (default in {@code application.yaml}).
 *
 * @param reviewWithin a resolved incident's post-incident review is due this long after resolution
 */
@ConfigurationProperties(prefix = "controlplane.incidents")
public record IncidentProperties(Duration reviewWithin) {}
