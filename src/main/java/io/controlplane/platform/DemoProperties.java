package io.controlplane.platform;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code controlplane.demo}: the embedded demo's users, seeded missions, their password and the demo Slack
 * workspace's user ids (defaults in {@code application.yaml}; the {@code prod} profile refuses all of them).
 */
@ConfigurationProperties(prefix = "controlplane.demo")
public record DemoProperties(boolean users, boolean missions, String password, Map<String, String> slackUsers) {
    public DemoProperties {
        slackUsers = slackUsers == null ? Map.of() : Map.copyOf(slackUsers);
    }
}
