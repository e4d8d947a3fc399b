package io.controlplane.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.notify.LoggedNotification;
import io.controlplane.notify.Notification;
import io.controlplane.notify.NotificationFailedException;
import io.controlplane.notify.Notifications;
import io.controlplane.notify.PagerAction;
import io.controlplane.platform.JsonValues;
import org.springframework.stereotype.Component;

/**
 * The asynchronous step of {@code notification-delivery} ({@code journey.DeliverNotificationDelegate}): sends one
 * message. A channel failure is thrown, so the engine retries the job and, with no retries left, shows an incident in
 * Cockpit.
 */
@Component
public class DeliveryAttempts {
    private final Notifications notifications;
    private final JsonValues json;

    DeliveryAttempts(Notifications notifications, JsonValues json) {
        this.notifications = notifications;
        this.json = json;
    }

    /** Sends one queued message ({@code payload}: the notification and, for PagerDuty, the action) on its channel. */
    public void deliver(String channel, JsonNode payload) throws JsonProcessingException {
        Notification n = json.mapper().treeToValue(payload.get("notification"), Notification.class);
        switch (channel) {
            case Notifications.SLACK -> notifications.slack(n);
            case Notifications.EMAIL -> notifications.email(n);
            case Notifications.PAGERDUTY -> {
                PagerAction action =
                        PagerAction.valueOf(payload.path("pagerAction").asText());
                if (action != PagerAction.TRIGGER && !triggerSent(n.incidentId())) {
                    // PagerDuty must see trigger → acknowledge → resolve for one dedup key: wait for the trigger
                    throw new NotificationFailedException(
                            Notifications.PAGERDUTY,
                            action.name().toLowerCase() + " of " + n.incidentId()
                                    + " waits for its trigger to be delivered first");
                }
                notifications.page(n, action);
            }
            default -> throw new IllegalStateException("Unknown notification channel " + channel);
        }
    }

    private boolean triggerSent(String incidentId) {
        return notifications.recent(Notifications.PAGERDUTY, incidentId, null, 50).stream()
                .map(LoggedNotification::body)
                .anyMatch(body -> body != null && body.contains("\"event_action\":\"trigger\""));
    }
}
