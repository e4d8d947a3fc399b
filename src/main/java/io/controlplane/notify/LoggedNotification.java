package io.controlplane.notify;

import java.time.Instant;

/**
 * A {@code notification_log} row: what a channel took ({@code SENT}) or, unconfigured, would have ({@code LOGGED}).
 * {@code body} is the readable text (Slack's fallback, the PagerDuty event, the mail); {@code payload} what was sent:
 * for Slack the chat.postMessage arguments with the Block Kit blocks, for PagerDuty the event, for e-mail the body,
 * never a token or routing key. Rows from before V13 have no payload ({@code null}).
 */
public record LoggedNotification(
        long id,
        String channel,
        String outcome,
        String kind,
        String incidentId,
        String missionId,
        String recipient,
        String subject,
        String body,
        String payload,
        String dedupKey,
        Instant createdAt) {}
