package io.controlplane.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code controlplane.prod}: one-off switches of the {@code prod} profile.
 *
 * @param removeDemoData delete the demo users a production database still holds, logging each (never missions)
 */
@ConfigurationProperties(prefix = "controlplane.prod")
public record ProdProperties(boolean removeDemoData) {}
