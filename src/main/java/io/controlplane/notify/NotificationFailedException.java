package io.controlplane.notify;

/** A configured channel refused a message: thrown so the calling async step is retried, then becomes an incident. */
public class NotificationFailedException extends RuntimeException {
    private final String channel;

    public NotificationFailedException(String channel, String reason) {
        this(channel, reason, null);
    }

    public NotificationFailedException(String channel, String reason, Throwable cause) {
        super(channel + " notification failed: " + reason, cause);
        this.channel = channel;
    }

    /** @return slack, pagerduty or email */
    public String channel() {
        return channel;
    }
}
