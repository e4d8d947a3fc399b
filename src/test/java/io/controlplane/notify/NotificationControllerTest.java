package io.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.controlplane.platform.InvalidInputException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/notifications} over a real notification log: filters, newest first, pages, refused input. */
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
        Notification n = new Notification(
                "safeguard_violation",
                incidentId,
                missionId,
                "Mission",
                "EXECUTE_OBSERVE",
                "high",
                "summary",
                null,
                List.of(),
                List.of());
        db.log.record(
                channel,
                "LOGGED",
                n,
                null,
                "subject " + minutesAfterT0,
                "body",
                "{}",
                null,
                T0.plusSeconds(60L * minutesAfterT0));
    }

    @Test
    void listsNewestFirstAndAppliesEachFilter() {
        row("slack", "inc-1", "m-1", 0);
        row("pagerduty", "inc-1", "m-1", 1);
        row("email", "inc-2", "m-2", 2);
        row("slack", "inc-2", "m-2", 3);

        assertThat(controller.list(null, null, null, 0, 50).items())
                .extracting(LoggedNotification::subject)
                .containsExactly("subject 3", "subject 2", "subject 1", "subject 0");
        assertThat(controller.list("SLACK", null, null, 0, 50).items())
                .extracting(LoggedNotification::subject)
                .containsExactly("subject 3", "subject 0");
        assertThat(controller.list(null, "inc-1", null, 0, 50).items())
                .extracting(LoggedNotification::channel)
                .containsExactly("pagerduty", "slack");
        assertThat(controller.list("email", null, "m-2", 0, 50).items())
                .extracting(LoggedNotification::createdAt)
                .containsExactly(T0.plusSeconds(120));
        assertThat(controller.list(" ", "", null, 0, 2).items()).hasSize(2);
    }

    @Test
    void anUnknownChannelIsRefused() {
        assertThatThrownBy(() -> controller.list("sms", null, null, 0, 50))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.errors().get(0).field()).isEqualTo("channel");
                    assertThat(e.errors().get(0).message()).contains("slack", "pagerduty", "email");
                });
    }

    @Test
    void pagesCountEveryMatchingRowAndCutInTheDatabase() {
        for (int i = 0; i < 5; i++) {
            row("slack", "inc-" + i, "m-1", i);
        }
        var second = controller.list(null, null, null, 1, 2);
        assertThat(second.items()).extracting(LoggedNotification::subject).containsExactly("subject 2", "subject 1");
        assertThat(second.page()).isEqualTo(1);
        assertThat(second.size()).isEqualTo(2);
        assertThat(second.total()).isEqualTo(5);
        assertThat(controller.list(null, null, null, 2, 2).items())
                .extracting(LoggedNotification::subject)
                .containsExactly("subject 0");
        assertThat(controller.list(null, null, null, 9, 2).items()).isEmpty();
        assertThat(controller.list(null, null, null, 9, 2).total()).isEqualTo(5);
        assertThat(controller.list(null, "inc-3", null, 0, 50).total()).isEqualTo(1);
    }

    @Test
    void aPageBelowZeroOrASizeOutsideOneToTwoHundredIsRefusedNamingTheParameter() {
        for (int size : new int[] {0, -1, 201}) {
            assertThatThrownBy(() -> controller.list(null, null, null, 0, size))
                    .isInstanceOfSatisfying(
                            InvalidInputException.class,
                            e -> assertThat(e.errors())
                                    .extracting(f -> f.field())
                                    .containsExactly("size"));
        }
        assertThatThrownBy(() -> controller.list(null, null, null, -1, 0))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("page", "size"));
        assertThat(controller.list(null, null, null, 0, 200).items()).isEmpty();
    }
}
