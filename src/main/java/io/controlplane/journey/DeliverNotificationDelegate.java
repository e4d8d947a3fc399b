package io.controlplane.journey;

import static io.controlplane.incident.Runbooks.Typed;

import io.controlplane.incident.DeliveryAttempts;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The asynchronous step of {@code notification-delivery}: its channel and payload to {@link DeliveryAttempts}. */
@Component("deliverNotificationDelegate")
class DeliverNotificationDelegate implements JavaDelegate {
    private final DeliveryAttempts deliveries;

    DeliverNotificationDelegate(DeliveryAttempts deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void execute(DelegateExecution execution) throws Exception {
        deliveries.deliver(Typed.DELIVERY_CHANNEL.required(execution), Typed.DELIVERY_PAYLOAD.required(execution));
    }
}
