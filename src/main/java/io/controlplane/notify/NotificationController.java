package io.controlplane.notify;

import io.controlplane.platform.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/notifications}: the notification log, so people can check who was told what and when. */
@RestController
class NotificationController {
    static final int MAX_LIMIT = 500;

    /** The answer: {@code {"items": [...]}}, newest first. */
    record Page(List<LoggedNotification> items) {
    }

    private final Notifications notifications;

    NotificationController(Notifications notifications) {
        this.notifications = notifications;
    }

    @Operation(summary = "Every Slack post, PagerDuty event and e-mail, sent or logged, newest first")
    @GetMapping("/api/notifications")
    Page list(@RequestParam(required = false) String channel,
              @RequestParam(required = false) String incidentId,
              @RequestParam(required = false) String missionId,
              @RequestParam(defaultValue = "50") int limit) {
        String channelFilter = blankToNull(channel);
        if (channelFilter != null) {
            channelFilter = channelFilter.toLowerCase(Locale.ROOT);
            if (!Notifications.CHANNELS.contains(channelFilter)) {
                throw new InvalidInputException("channel",
                        "must be one of " + String.join(", ", Notifications.CHANNELS));
            }
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return new Page(notifications.recent(channelFilter, blankToNull(incidentId), blankToNull(missionId), limit));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
