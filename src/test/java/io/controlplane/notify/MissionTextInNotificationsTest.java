package io.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.util.json.GsonFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * A mission's text in Slack and e-mail is text: no link, mention or line of its making. Slack's {@code & < >} are
 * escaped as Slack documents, mrkdwn is sent verbatim (no auto-links), and a title's line breaks cannot forge a line.
 */
class MissionTextInNotificationsTest {
    static final String TITLE = "[click](https://evil.example) | forged | row\n# Heading";
    static final String SLACK_LINK = "<https://evil.example|Acknowledge here> <!channel> <@U0BOSS0001>";

    private static Notification notification(String title, String summary) {
        return new Notification(
                "safeguard_violation",
                "inc-42",
                "m-7",
                title,
                "EXECUTE_OBSERVE",
                "high",
                summary,
                "quiet_window",
                List.of("U0ONCALL01"),
                List.of("oncall@example.com"));
    }

    @Test
    void slackShowsTheTitleLiterallyOnItsLine() throws Exception {
        SlackNotifier slack = TestNotifications.slackOff();
        Notification n = notification(TITLE, "Summary for " + SLACK_LINK + "\nStage: forged line & more");

        String text = slack.text(n);
        assertThat(text)
                .contains("[click](https://evil.example) | forged | row # Heading (m-7)")
                .doesNotContain("\n# Heading");
        // Slack's own link and mention syntax arrives escaped, so it shows as typed
        assertThat(text)
                .contains(
                        "&lt;https://evil.example|Acknowledge here&gt; &lt;!channel&gt; &lt;@U0BOSS0001&gt;",
                        "forged line &amp; more")
                .doesNotContain("<https://evil", "<!channel>", "<@U0BOSS0001>");
        // the mention we put in still notifies
        assertThat(text).contains("<@U0ONCALL01>");
        // the headline and the facts keep their lines: the title's line break did not make one
        assertThat(text.lines().toList().get(0)).startsWith("[HIGH] safeguard_violation: [click]");
        assertThat(text.lines().toList().get(1)).startsWith("Stage: EXECUTE_OBSERVE · Safeguard: quiet_window");
        assertThat(slack.headline(n)).doesNotContain("\n");

        JsonNode blocks =
                new ObjectMapper().readTree(GsonFactory.createSnakeCase().toJson(slack.blocks(n)));
        JsonNode mission = blocks.get(1).path("fields").get(0);
        assertThat(mission.path("text").asText())
                .isEqualTo("*Mission*\n[click](https://evil.example) | forged | row # Heading (m-7)");
        assertThat(mission.path("verbatim").asBoolean())
                .as("no auto-linking of what someone typed")
                .isTrue();
        assertThat(blocks.get(2).path("text").path("text").asText()).doesNotContain("<https://evil", "<!channel>");
        assertThat(blocks.get(2).path("text").path("verbatim").asBoolean()).isTrue();
    }

    @Test
    void anEmailKeepsEachLabelledValueOnItsLine() {
        EmailNotifier email =
                new EmailNotifier((JavaMailSender) null, "control-plane@example.com", TestNotifications.COCKPIT);
        Notification n = notification("Title\nBcc: victim@example.com\r\nStage: forged", "The summary.");

        assertThat(email.subject(n))
                .doesNotContain("\n", "\r")
                .isEqualTo("[control plane] high safeguard_violation: Title Bcc: victim@example.com Stage: forged");
        String body = email.body(n);
        assertThat(body.lines().filter(l -> l.startsWith("Stage:")).toList())
                .containsExactly("Stage:     EXECUTE_OBSERVE");
        assertThat(body.lines().filter(l -> l.startsWith("Bcc:")).toList()).isEmpty();
        assertThat(body).contains("Mission:   Title Bcc: victim@example.com Stage: forged (m-7)");
    }
}
