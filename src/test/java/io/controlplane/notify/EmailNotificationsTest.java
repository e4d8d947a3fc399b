package io.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** E-mail through a real SMTP server (GreenMail): recipients, subject, body; logging when not configured. */
class EmailNotificationsTest {
    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private final NotificationLogDatabase db = new NotificationLogDatabase();

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    private Notifications notifications(int smtpPort) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(smtpPort);
        return notifications(new EmailNotifier(sender, "control-plane@example.com", TestNotifications.COCKPIT));
    }

    private Notifications notifications(EmailNotifier email) {
        return new Notifications(TestNotifications.slackOff(), TestNotifications.pagerDutyOff(), email, db.log);
    }

    @Test
    void mailsEveryRecipientWithSubjectBodyAndCockpitLink() throws Exception {
        notifications(greenMail.getSmtp().getPort()).email(TestNotifications.incident());

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2); // one delivery per recipient
        MimeMessage mail = received[0];
        assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Address::toString))
                .containsExactly("oncall@example.com", "lead@example.com");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("control-plane@example.com");
        assertThat(mail.getSubject()).isEqualTo("[control plane] high safeguard_violation: Revive dormant accounts");
        String body = GreenMailUtil.getBody(mail);
        assertThat(body)
                .contains(
                        "The quiet window was breached: 14 e-mails sent at 23:10.",
                        "Mission:   Revive dormant accounts (m-7)",
                        "Stage:     EXECUTE_OBSERVE",
                        "Incident:  inc-42",
                        "Open in Cockpit: " + TestNotifications.COCKPIT);

        assertThat(db.rows()).singleElement().satisfies(row -> {
            assertThat(row.channel()).isEqualTo("email");
            assertThat(row.outcome()).isEqualTo("SENT");
            assertThat(row.recipient()).isEqualTo("oncall@example.com, lead@example.com");
            assertThat(row.subject()).isEqualTo(mail.getSubject());
            assertThat(row.body()).contains("Incident:  inc-42");
            // the payload is the text the mail carried (SMTP drops the final line break)
            assertThat(row.payload().stripTrailing()).isEqualTo(textOf(mail).stripTrailing());
        });
    }

    private static String textOf(MimeMessage mail) {
        try {
            return ((String) mail.getContent()).replace("\r\n", "\n");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withoutAMailServerTheMailIsLoggedNotSent() {
        notifications(TestNotifications.emailOff()).email(TestNotifications.incident());

        assertThat(greenMail.getReceivedMessages()).isEmpty();
        assertThat(db.rows()).singleElement().satisfies(row -> {
            assertThat(row.outcome()).isEqualTo("LOGGED");
            assertThat(row.recipient()).isEqualTo("oncall@example.com, lead@example.com");
            assertThat(row.subject()).isEqualTo("[control plane] high safeguard_violation: Revive dormant accounts");
            assertThat(row.body()).contains("The quiet window was breached", "Incident:  inc-42");
        });
    }

    @Test
    void withNobodyToMailNothingIsSentAndTheMessageIsLogged() {
        Notification nobody = new Notification(
                "undo_failure",
                "inc-43",
                "m-7",
                "Revive dormant accounts",
                "EXECUTE_OBSERVE",
                "critical",
                "Undo of play p-2 failed.",
                null,
                List.of(),
                List.of());

        notifications(greenMail.getSmtp().getPort()).email(nobody);

        assertThat(greenMail.getReceivedMessages()).isEmpty();
        assertThat(db.rows()).singleElement().satisfies(row -> {
            assertThat(row.outcome()).isEqualTo("LOGGED");
            assertThat(row.recipient()).isEmpty();
            assertThat(row.subject()).isEqualTo("[control plane] critical undo_failure: Revive dormant accounts");
        });
    }

    @Test
    void anUnreachableMailServerFails() {
        assertThatThrownBy(() -> notifications(9).email(TestNotifications.incident()))
                .isInstanceOfSatisfying(
                        NotificationFailedException.class,
                        e -> assertThat(e.channel()).isEqualTo("email"));
        assertThat(db.rows()).isEmpty();
    }
}
