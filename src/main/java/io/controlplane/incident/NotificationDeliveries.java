package io.controlplane.incident;

import io.controlplane.notify.Notification;
import io.controlplane.notify.NotificationQueue;
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
public class NotificationDeliveries implements NotificationQueue {
    private final RuntimeService runtime;
    private final JsonValues json;

    NotificationDeliveries(RuntimeService runtime, JsonValues json) {
        this.runtime = runtime;
        this.json = json;
    }

    /** {@code businessKey}: that of the process the message is about (the mission's id for its runbooks). */
    @Override
    public void slack(Notification n, String businessKey) {
        enqueue(Notifications.SLACK, n, null, businessKey);
    }

    public void email(Notification n, String businessKey) {
        enqueue(Notifications.EMAIL, n, null, businessKey);
    }

    public void page(Notification n, PagerAction action, String businessKey) {
        enqueue(Notifications.PAGERDUTY, n, action, businessKey);
    }

    private void enqueue(String channel, Notification n, PagerAction action, String businessKey) {
        Map<String, Object> payload =
                action == null ? Map.of("notification", n) : Map.of("notification", n, "pagerAction", action.name());
        EngineCalls.asProcess(() -> runtime.createProcessInstanceByKey(Runbooks.NOTIFICATION_DELIVERY)
                .businessKey(businessKey)
                .setVariables(Variables.createVariables()
                        .putValue(Runbooks.Vars.DELIVERY_CHANNEL, channel)
                        .putValue(Runbooks.Vars.INCIDENT_ID, n.incidentId())
                        .putValue(Runbooks.Vars.DELIVERY_PAYLOAD, json.variable(payload)))
                .execute());
    }
}
