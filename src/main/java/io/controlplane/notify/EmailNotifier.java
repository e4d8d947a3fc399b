package io.controlplane.notify;

import io.controlplane.platform.PlainText;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/** Mails a plain-text notification; the mail sender exists only when {@code spring.mail.host} is set. */
@Component
class EmailNotifier {
    private final JavaMailSender sender;
    private final String from;
    /** Resolved at each message: the public URL may derive from the port, known only once the server runs. */
    private final Supplier<String> cockpitUrl;

    @Autowired
    EmailNotifier(ObjectProvider<JavaMailSender> sender, NotifyProperties properties, PublicUrl publicUrl) {
        this(sender.getIfAvailable(), properties.mail().from(), publicUrl::cockpit);
    }

    /** @param sender {@code null} when no mail server is configured */
    EmailNotifier(JavaMailSender sender, String from, String cockpitUrl) {
        this(sender, from, () -> cockpitUrl);
    }

    EmailNotifier(JavaMailSender sender, String from, Supplier<String> cockpitUrl) {
        this.sender = sender;
        this.from = from;
        this.cockpitUrl = cockpitUrl;
    }

    boolean configured() {
        return sender != null;
    }

    /** "[control plane] high safeguard_violation: Mission title", on one line whatever the title holds. */
    String subject(Notification n) {
        String mission =
                NotificationText.hasText(n.missionTitle()) ? n.missionTitle().strip() : NotificationText.mission(n);
        return PlainText.line(
                "[control plane] " + NotificationText.orNone(n.severity()) + " " + n.kind() + ": " + mission);
    }

    /**
     * Plain text (no markup to inject); each labelled value on its one line ({@link PlainText#line}), so a title with
     * line breaks cannot forge a "Stage:" or "Incident:" line of its own.
     */
    String body(Notification n) {
        StringBuilder body = new StringBuilder()
                .append(NotificationText.orNone(n.summary()))
                .append("\n\n")
                .append("Mission:   ")
                .append(PlainText.line(NotificationText.mission(n)))
                .append('\n')
                .append("Stage:     ")
                .append(PlainText.line(NotificationText.orNone(n.stage())))
                .append('\n')
                .append("Severity:  ")
                .append(PlainText.line(NotificationText.orNone(n.severity())))
                .append('\n')
                .append("Safeguard: ")
                .append(PlainText.line(NotificationText.orNone(n.safeguard())))
                .append('\n')
                .append("Incident:  ")
                .append(PlainText.line(NotificationText.orNone(n.incidentId())))
                .append('\n');
        String cockpit = cockpitUrl.get();
        if (NotificationText.hasText(cockpit)) {
            body.append("\nOpen in Cockpit: ").append(cockpit).append('\n');
        }
        return body.toString();
    }

    /** Sends to {@code to}; a mail server that refuses or cannot be reached throws. */
    void send(Notification n, List<String> to) {
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, "UTF-8");
            helper.setFrom(from);
            helper.setTo(to.toArray(String[]::new));
            helper.setSubject(subject(n));
            helper.setText(body(n), false);
            sender.send(message);
        } catch (MessagingException | MailException e) {
            throw new NotificationFailedException(Notifications.EMAIL, e.getMessage(), e);
        }
    }
}
