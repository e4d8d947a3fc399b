package io.controlplane.notify;

import io.controlplane.platform.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * The one notification port (Slack, PagerDuty, e-mail), so callers never deal with channels, failures or the log.
 *
 * <p>A configured channel sends and logs {@code SENT}, or throws {@link NotificationFailedException} so the calling
 * asynchronous step is retried; a channel not configured logs what it would have sent as {@code LOGGED}.
 */
@Service
public class Notifications {
    public static final String SLACK = "slack";
    public static final String PAGERDUTY = "pagerduty";
    public static final String EMAIL = "email";
    static final List<String> CHANNELS = List.of(SLACK, PAGERDUTY, EMAIL);
    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    private final SlackNotifier slack;
    private final PagerDutyNotifier pagerDuty;
    private final EmailNotifier email;
    private final NotificationLog notificationLog;
    private final Clock clock;
    /** Where posted decision buttons are recorded; {@code null} in tests of the channels alone. */
    private final SlackOffers offers;

    @Autowired
    Notifications(
            SlackNotifier slack,
            PagerDutyNotifier pagerDuty,
            EmailNotifier email,
            NotificationLog notificationLog,
            SlackOffers offers) {
        this(slack, pagerDuty, email, notificationLog, Clock.systemUTC(), offers);
    }

    Notifications(
            SlackNotifier slack, PagerDutyNotifier pagerDuty, EmailNotifier email, NotificationLog notificationLog) {
        this(slack, pagerDuty, email, notificationLog, Clock.systemUTC(), null);
    }

    Notifications(
            SlackNotifier slack,
            PagerDutyNotifier pagerDuty,
            EmailNotifier email,
            NotificationLog notificationLog,
            Clock clock) {
        this(slack, pagerDuty, email, notificationLog, clock, null);
    }

    Notifications(
            SlackNotifier slack,
            PagerDutyNotifier pagerDuty,
            EmailNotifier email,
            NotificationLog notificationLog,
            Clock clock,
            SlackOffers offers) {
        this.slack = slack;
        this.pagerDuty = pagerDuty;
        this.email = email;
        this.notificationLog = notificationLog;
        this.clock = clock;
        this.offers = offers;
    }

    /**
     * Posts to the operations channel, mentioning {@code n.mentions()}. A decision offer is recorded with where the
     * post landed, so its buttons count and the message can be updated once someone decided.
     */
    public void slack(Notification n) {
        check(n);
        SlackNotifier.Message message = slack.message(n);
        SlackNotifier.Posted posted = slack.configured() ? slack.post(message) : null;
        record(
                SLACK,
                slack.configured(),
                n,
                slack.channel(),
                slack.headline(n),
                message.text(),
                message.payload(),
                null);
        if (n.offer() != null && offers != null) {
            offers.offered(
                    n.offer(),
                    n.missionId(),
                    posted == null ? null : posted.channel(),
                    posted == null ? null : posted.ts(),
                    Instant.now(clock));
        }
    }

    /**
     * Sends a PagerDuty event with the incident id as dedup key.
     *
     * @throws IllegalArgumentException when {@code n} has no incident id: without one nothing can be acknowledged or
     *                                  resolved later
     */
    public void page(Notification n, PagerAction action) {
        check(n);
        Objects.requireNonNull(action, "action");
        if (!NotificationText.hasText(n.incidentId())) {
            throw new IllegalArgumentException("A page needs an incident id: it is PagerDuty's dedup key");
        }
        // built once: the log keeps the very event that was sent (without the routing key)
        Map<String, Object> event = pagerDuty.event(n, action, Instant.now(clock));
        String json = pagerDuty.eventJson(event);
        if (pagerDuty.configured()) {
            pagerDuty.send(event);
        }
        String subject = action == PagerAction.TRIGGER
                ? PagerDutyNotifier.summary(n)
                : action.name().toLowerCase(Locale.ROOT) + " " + n.incidentId();
        record(PAGERDUTY, pagerDuty.configured(), n, null, subject, json, json, n.incidentId());
    }

    /** Mails {@code n.emailTo()}; with a mail server but nobody to mail, nothing is sent and the message is logged. */
    public void email(Notification n) {
        check(n);
        List<String> to = NotificationText.listOrEmpty(n.emailTo());
        String subject = email.subject(n);
        String body = email.body(n);
        boolean send = email.configured() && !to.isEmpty();
        if (email.configured() && to.isEmpty()) {
            log.warn(
                    "E-mail for {} (incident {}, mission {}) has no recipients; not sent, only logged",
                    n.kind(),
                    n.incidentId(),
                    n.missionId());
        }
        if (send) {
            email.send(n, to);
        }
        // the mail is plain text: its body is the whole of what is sent besides the subject and the addresses
        record(EMAIL, send, n, String.join(", ", to), subject, body, body, null);
    }

    /** The notification log, newest first; {@code null} filters are not applied. */
    public List<LoggedNotification> recent(String channel, String incidentId, String missionId, int limit) {
        return notificationLog.recent(channel, incidentId, missionId, limit, 0);
    }

    /** One page of the log, newest first, and how many rows match in all. */
    public Page<LoggedNotification> page(String channel, String incidentId, String missionId, Page.Request paging) {
        return Page.of(
                paging,
                notificationLog.recent(channel, incidentId, missionId, paging.size(), paging.offset()),
                notificationLog.count(channel, incidentId, missionId));
    }

    private void record(
            String channel,
            boolean sent,
            Notification n,
            String recipient,
            String subject,
            String body,
            String payload,
            String dedupKey) {
        notificationLog.record(
                channel,
                sent ? NotificationLog.SENT : NotificationLog.LOGGED,
                n,
                recipient,
                subject,
                body,
                payload,
                dedupKey,
                Instant.now(clock));
    }

    private static void check(Notification n) {
        Objects.requireNonNull(n, "notification");
        if (!NotificationText.hasText(n.kind())) {
            throw new IllegalArgumentException("A notification needs a kind");
        }
    }
}
