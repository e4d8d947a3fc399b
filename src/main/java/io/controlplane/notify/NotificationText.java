package io.controlplane.notify;

import java.util.List;
import java.util.Locale;

/** The wording every channel shares, so Slack, PagerDuty and e-mail name a mission and an incident the same way. */
final class NotificationText {
    static final String NONE = "—";

    private NotificationText() {
    }

    /** "Title (id)", or whichever of the two is known. */
    static String mission(Notification n) {
        boolean title = hasText(n.missionTitle());
        boolean id = hasText(n.missionId());
        if (title && id) {
            return n.missionTitle().strip() + " (" + n.missionId() + ")";
        }
        return title ? n.missionTitle().strip() : id ? n.missionId() : "no mission";
    }

    /** "[HIGH] safeguard_violation: Title (id)" — the one-line headline of a notification. */
    static String headline(Notification n) {
        return "[" + orNone(n.severity()).toUpperCase(Locale.ROOT) + "] " + n.kind() + ": " + mission(n);
    }

    static String orNone(String value) {
        return hasText(value) ? value.strip() : NONE;
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    static List<String> listOrEmpty(List<String> values) {
        return values == null ? List.of()
                : values.stream().filter(NotificationText::hasText).map(String::strip).toList();
    }

    /** Cuts {@code value} to {@code max} characters (an ellipsis marks the cut), for fields with a length limit. */
    static String truncate(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        return value.substring(0, max - 1) + "…";
    }
}
