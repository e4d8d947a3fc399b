package io.controlplane.notify;

import io.controlplane.platform.PlainText;
import java.util.List;
import java.util.Locale;

/** The wording every channel shares, so Slack, PagerDuty and e-mail name a mission and an incident the same way. */
final class NotificationText {
    static final String NONE = "—";

    private NotificationText() {}

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
        return values == null
                ? List.of()
                : values.stream()
                        .filter(NotificationText::hasText)
                        .map(String::strip)
                        .toList();
    }

    /**
     * Cuts {@code value} to {@code max} characters (an ellipsis marks the cut), for fields with a length limit; never
     * between the two halves of a surrogate pair, which would leave an unreadable character.
     */
    static String truncate(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + "…";
    }

    /**
     * One line of Slack mrkdwn of at most {@code max} characters once escaped ({@link PlainText#slack}). The raw
     * text is cut, counting each character as long as its escape, and escaped afterwards: cutting the escaped text
     * instead can leave {@code &am} of an {@code &amp;}, which Slack shows as garbage.
     */
    static String slackLine(String raw, int max) {
        return slackBlock(PlainText.line(raw), max);
    }

    /** As {@link #slackLine}, keeping line breaks ({@link PlainText#slackBlock}). */
    static String slackBlock(String raw, int max) {
        if (raw == null) {
            return null;
        }
        String escaped = PlainText.slackBlock(raw);
        if (escaped.length() <= max) {
            return escaped;
        }
        StringBuilder out = new StringBuilder(max);
        for (int i = 0; i < raw.length(); ) {
            int codePoint = raw.codePointAt(i);
            String piece = PlainText.slackBlock(new String(Character.toChars(codePoint)));
            if (out.length() + piece.length() > max - 1) {
                break;
            }
            out.append(piece);
            i += Character.charCount(codePoint);
        }
        return out.append('…').toString();
    }
}
