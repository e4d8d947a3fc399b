package io.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.slack.api.util.json.GsonFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Block Kit's limits (header 150, section text 3000, field 2000) and the fallback text's 4,000 with text full of
 * Slack's {@code & < >}: what is cut is the raw text, so an {@code &amp;} is kept whole or left out, never halved.
 */
class SlackTextLimitsTest {
    private static final Gson GSON = GsonFactory.createSnakeCase();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Notification withText(String title, String summary, String safeguard) {
        return new Notification(
                "safeguard_violation",
                "inc-42",
                "m-7",
                title,
                "EXECUTE_OBSERVE",
                "high",
                summary,
                safeguard,
                List.of("U0ONCALL01", "@ops-lead"),
                List.of());
    }

    private static JsonNode blocks(Notification n) throws Exception {
        return JSON.readTree(GSON.toJson(TestNotifications.slackOff().blocks(n)));
    }

    /** Text in which every {@code &} starts one of the three entities: no {@code &am…} left of a cut. */
    private static void assertWholeEntities(String text) {
        assertThat(text.replaceAll("&(amp|lt|gt);", "")).doesNotContain("&");
    }

    @Test
    void aSummaryIsCutBeforeItIsEscapedSoNoEntityIsSplit() throws Exception {
        // escaped, the summary is 2996 + 5 × 5 characters; an entity lies across the 3000th
        String summary = "a".repeat(2996) + "&<>&&" + "tail";

        JsonNode section = blocks(withText("Title", summary, null)).get(2).path("text");

        String text = section.path("text").asText();
        assertThat(text).hasSizeLessThanOrEqualTo(SlackNotifier.SECTION_MAX).endsWith("…");
        assertWholeEntities(text);
        // the entity that no longer fits is left out whole; those before the cut stay
        assertThat(text).isEqualTo("a".repeat(2996) + "…");
        String shorter = "a".repeat(2990) + "&<>&&";
        assertThat(blocks(withText("Title", shorter + "x".repeat(20), null))
                        .get(2)
                        .path("text")
                        .path("text")
                        .asText())
                .isEqualTo("a".repeat(2990) + "&amp;&lt;…");
    }

    @Test
    void everyFieldStaysWithinTwoThousandCharactersWithWholeEntities() throws Exception {
        String title = "R&D <pilot> ".repeat(400);
        String finding = "quiet window & <batch> ".repeat(300);

        JsonNode fields = blocks(withText(title, "summary", finding)).get(1).path("fields");

        List<String> texts = new ArrayList<>();
        fields.forEach(f -> texts.add(f.path("text").asText()));
        assertThat(texts).hasSize(5).allSatisfy(t -> {
            assertThat(t).hasSizeLessThanOrEqualTo(SlackNotifier.FIELD_MAX);
            assertWholeEntities(t);
        });
        assertThat(texts.get(0)).startsWith("*Mission*\nR&amp;D &lt;pilot&gt; ").endsWith("…");
        assertThat(texts.get(2))
                .startsWith("*Safeguard*\nquiet window &amp; &lt;batch&gt;")
                .endsWith("…");
    }

    @Test
    void theHeaderKeepsWithinOneHundredFiftyWithoutHalvingAnEmoji() throws Exception {
        // the 149th and 150th characters are the two halves of one emoji
        String title = "x".repeat(148 - "[HIGH] safeguard_violation: ".length()) + "\uD83D\uDE80" + "y".repeat(50);

        String header = blocks(withText(title, "summary", null))
                .get(0)
                .path("text")
                .path("text")
                .asText();

        assertThat(header).hasSizeLessThanOrEqualTo(SlackNotifier.HEADER_MAX).endsWith("…");
        assertThat(header.chars().filter(c -> Character.isSurrogate((char) c)).count() % 2)
                .isZero();
        assertThat(NotificationText.truncate("ab\uD83D\uDE80cd", 4)).isEqualTo("ab…");
        assertThat(NotificationText.slackBlock("ab\uD83D\uDE80cd", 4)).isEqualTo("ab…");
    }

    @Test
    void theFallbackTextKeepsWithinItsCapAndKeepsMentionsAndTheCockpitLink() {
        String summary = "step & <retry> ".repeat(2000);
        String finding = "window & ".repeat(200);

        String text = TestNotifications.slackOff().text(withText("R&D ".repeat(100), summary, finding));

        assertThat(text)
                .hasSizeLessThanOrEqualTo(SlackNotifier.TEXT_MAX)
                .contains("<@U0ONCALL01> @ops-lead", "Open in Cockpit: " + TestNotifications.COCKPIT)
                .contains("step &amp; &lt;retry&gt;");
        // the summary took the room left: it is cut, not dropped
        assertThat(text.length()).isGreaterThan(SlackNotifier.TEXT_MAX - 20);
        assertWholeEntities(text.replace("<@U0ONCALL01>", ""));
    }

    @Test
    void shortTextIsEscapedAndNotCut() {
        assertThat(NotificationText.slackBlock("a & b <c>", 100)).isEqualTo("a &amp; b &lt;c&gt;");
        assertThat(NotificationText.slackLine("a\nb & c", 100)).isEqualTo("a b &amp; c");
        assertThat(NotificationText.slackBlock("&&&", 15)).isEqualTo("&amp;&amp;&amp;");
        assertThat(NotificationText.slackBlock("&&&&", 15)).isEqualTo("&amp;&amp;…");
    }
}
