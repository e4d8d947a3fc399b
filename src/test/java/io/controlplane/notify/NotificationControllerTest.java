package io.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.controlplane.platform.InvalidInputException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/notifications} over a real notification log: filters, newest first, limits, refused input. */
class NotificationControllerTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    private final NotificationLogDatabase db = new NotificationLogDatabase();
    private final NotificationController controller = new NotificationController(new Notifications(
            TestNotifications.slackOff(), TestNotifications.pagerDutyOff(), TestNotifications.emailOff(), db.log));

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    private void row(String channel, String incidentId, String missionId, int minutesAfterT0) {
        Notification n = new Notification("safeguard_violation", incidentId, missionId, "Mission", "EXECUTE_OBSERVE",
                "high", "summary", null, List.of(), List.of());
        db.log.record(channel, "LOGGED", n, null, "subject " + minutesAfterT0, "body", "{}", null,
                T0.plusSeconds(60L * minutesAfterT0));
    }

    @Test
    void listsNewestFirstAndAppliesEachFilter() {
        row("slack", "inc-1", "m-1", 0);
        row("pagerduty", "inc-1", "m-1", 1);
        row("email", "inc-2", "m-2", 2);
        row("slack", "inc-2", "m-2", 3);

        assertThat(controller.list(null, null, null, 50).items()).extracting(LoggedNotification::subject)
                .containsExactly("subject 3", "subject 2", "subject 1", "subject 0");
        assertThat(controller.list("SLACK", null, null, 50).items()).extracting(LoggedNotification::subject)
                .containsExactly("subject 3", "subject 0");
        assertThat(controller.list(null, "inc-1", null, 50).items()).extracting(LoggedNotification::channel)
                .containsExactly("pagerduty", "slack");
        assertThat(controller.list("email", null, "m-2", 50).items()).extracting(LoggedNotification::createdAt)
                .containsExactly(T0.plusSeconds(120));
        assertThat(controller.list(" ", "", null, 2).items()).hasSize(2);
    }

    @Test
    void anUnknownChannelIsRefused() {
        assertThatThrownBy(() -> controller.list("sms", null, null, 50))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.errors().get(0).field()).isEqualTo("channel");
                    assertThat(e.errors().get(0).message()).contains("slack", "pagerduty", "email");
                });
    }

    @Test
    void aLimitOutsideOneToFiveHundredIsRefused() {
        for (int limit : new int[] {0, -1, 501}) {
            assertThatThrownBy(() -> controller.list(null, null, null, limit))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.errors().get(0).field()).isEqualTo("limit"));
        }
        assertThat(controller.list(null, null, null, 500).items()).isEmpty();
    }
}
