package io.controlplane.notify;

/**
 * Queues a Slack message to be delivered asynchronously (retried, then an incident in Cockpit): implemented by the
 * incident feature's {@code notification-delivery} process.
 */
public interface NotificationQueue {

    /** {@code businessKey}: that of the process the message is about (the mission's id for its runbooks). */
    void slack(Notification n, String businessKey);
}
