package io.controlplane.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.web.client.RestClient;

/** What the channel tests share: one incident as a runbook would raise it, and channels left unconfigured. */
final class TestNotifications {
    static final String COCKPIT = "https://cp.example.com/camunda/app/cockpit/default/";
    /** Nothing listens here: an unconfigured channel that tried to send would fail its test. */
    static final String NOWHERE = "http://127.0.0.1:9/";

    private TestNotifications() {}

    static Notification incident(String severity) {
        return new Notification(
                "safeguard_violation",
                "inc-42",
                "m-7",
                "Revive dormant accounts",
                "EXECUTE_OBSERVE",
                severity,
                "The quiet window was breached: 14 e-mails sent at 23:10.",
                "quiet_window",
                List.of("U0ONCALL01", "@ops-lead"),
                List.of("oncall@example.com", "lead@example.com"));
    }

    static Notification incident() {
        return incident("high");
    }

    static SlackNotifier slackOff() {
        return new SlackNotifier("", "#control-plane-ops", NOWHERE + "api/", COCKPIT, d -> {});
    }

    static PagerDutyNotifier pagerDutyOff() {
        return new PagerDutyNotifier(RestClient.builder(), new ObjectMapper(), "", NOWHERE + "v2/enqueue");
    }

    static EmailNotifier emailOff() {
        return new EmailNotifier((JavaMailSender) null, "control-plane@example.com", COCKPIT);
    }

    /** An {@code application/x-www-form-urlencoded} body as a map. */
    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
