package io.controlplane.notify;

import java.time.Instant;

/** A {@code notification_log} row: what a channel took ({@code SENT}) or, unconfigured, would have ({@code LOGGED}). */
public record LoggedNotification(long id, String channel, String outcome, String kind, String incidentId,
                                 String missionId, String recipient, String subject, String body, String dedupKey,
                                 Instant createdAt) {
}
