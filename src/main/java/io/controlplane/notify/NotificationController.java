package io.controlplane.notify;

import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.Page;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/notifications}: the notification log, so people can check who was told what and when. */
@RestController
class NotificationController {
    private final Notifications notifications;

    NotificationController(Notifications notifications) {
        this.notifications = notifications;
    }

    @Operation(summary = "Every Slack post, PagerDuty event and e-mail, sent or logged, newest first")
    @GetMapping("/api/notifications")
    Page<LoggedNotification> list(
            @RequestParam(required = false) String channel,
            @RequestParam(required = false) String incidentId,
            @RequestParam(required = false) String missionId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size) {
        Page.Request paging = Page.Request.of(page, size);
        String channelFilter = blankToNull(channel);
        if (channelFilter != null) {
            channelFilter = channelFilter.toLowerCase(Locale.ROOT);
            if (!Notifications.CHANNELS.contains(channelFilter)) {
                throw new InvalidInputException(
                        "channel", "must be one of " + String.join(", ", Notifications.CHANNELS));
            }
        }
        return notifications.page(channelFilter, blankToNull(incidentId), blankToNull(missionId), paging);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
