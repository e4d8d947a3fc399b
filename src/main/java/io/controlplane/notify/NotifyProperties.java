package io.controlplane.notify;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code controlplane.notify}: where notifications go. The defaults live in {@code application.yaml}, next to the
 * environment variables that set them; a channel left empty records each message in the notification log instead of
 * sending it.
 */
@ConfigurationProperties(prefix = "controlplane.notify")
public record NotifyProperties(
        @DefaultValue Slack slack,
        @DefaultValue PagerDuty pagerduty,
        @DefaultValue Mail mail) {

    /**
     * @param token         bot token ({@code xoxb-…}); empty: Slack is off
     * @param signingSecret verifies Slack's interaction requests; empty: interactions are refused
     * @param channel       the operations channel
     * @param apiUrl        Slack Web API base
     * @param cockpitUrl    where "Open in Cockpit" leads
     * @param users         Slack user id → Camunda user id
     */
    public record Slack(
            String token,
            String signingSecret,
            String channel,
            String apiUrl,
            String cockpitUrl,
            Map<String, String> users) {
        public Slack {
            token = token == null ? "" : token.strip();
            signingSecret = signingSecret == null ? "" : signingSecret;
            cockpitUrl = cockpitUrl == null ? "" : cockpitUrl;
            users = users == null ? Map.of() : Map.copyOf(users);
        }
    }

    /** @param routingKey Events API v2 integration key; empty: PagerDuty is off */
    public record PagerDuty(String routingKey, String eventsUrl) {
        public PagerDuty {
            routingKey = routingKey == null ? "" : routingKey.strip();
        }
    }

    /** @param from sender address (mail goes out when {@code spring.mail.host} is set) */
    public record Mail(String from) {}
}
