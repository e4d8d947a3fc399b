package io.controlplane.incident;

import io.controlplane.notify.Notification;
import io.controlplane.notify.Notifications;
import io.controlplane.notify.PagerAction;
import io.controlplane.platform.EngineCalls;
import io.controlplane.platform.JsonValues;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * Queues a notification as its own {@code notification-delivery} process instance, in the caller's transaction:
 * the message exists exactly when the runbook step that wants it committed, and its delivery (retried, then an
 * incident in Cockpit) never holds up a runbook or a mission.
 */
@Component
public class NotificationDeliveries {
    private final RuntimeService runtime;
    private final JsonValues json;

    NotificationDeliveries(RuntimeService runtime, JsonValues json) {
        this.runtime = runtime;
        this.json = json;
    }

    public void slack(Notification n) {
        enqueue(Notifications.SLACK, n, null);
    }

    public void email(Notification n) {
        enqueue(Notifications.EMAIL, n, null);
    }

    public void page(Notification n, PagerAction action) {
        enqueue(Notifications.PAGERDUTY, n, action);
    }

    private void enqueue(String channel, Notification n, PagerAction action) {
        Map<String, Object> payload = action == null ? Map.of("notification", n)
                : Map.of("notification", n, "pagerAction", action.name());
        EngineCalls.asProcess(() -> runtime.createProcessInstanceByKey(Runbooks.NOTIFICATION_DELIVERY)
                .businessKey(n.missionId())
                .setVariables(Variables.createVariables()
                        .putValue(Runbooks.Vars.DELIVERY_CHANNEL, channel)
                        .putValue(Runbooks.Vars.INCIDENT_ID, n.incidentId())
                        .putValue(Runbooks.Vars.DELIVERY_PAYLOAD, json.variable(payload)))
                .execute());
    }
}
