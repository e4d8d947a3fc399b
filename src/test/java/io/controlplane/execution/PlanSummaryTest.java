package io.controlplane.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.mission.PlayStore;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the agent writes into a ranked play shows in the approval packet as text: no row, link or list item of its own. */
class PlanSummaryTest {
    private static final String NAME = "[Approve me](https://evil.example) | green | x |\n- fake item";
    private static final String DESCRIPTION = "![tracker](https://evil.example/t.png)<br>|---|---|\n# Not a heading";

    private static PlayStore.Play play(int rank, String name, String description, String undoJson, String summary) {
        return new PlayStore.Play(
                "m-1",
                1,
                "p" + rank,
                rank,
                name,
                description,
                "high",
                "irreversible",
                true,
                "red",
                undoJson,
                null,
                "EXECUTED",
                summary,
                null,
                null);
    }

    private static long unescapedPipes(String line) {
        long n = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == '|') {
                n++;
            }
        }
        return n;
    }

    @Test
    void anAgentsPlayTextCannotAddARowOrALink() {
        String undo = "{\"label\":\"Undo [it](https://evil.example)\",\"windowMinutes\":15,"
                + "\"steps\":[\"Step | one\",\"<img src=x onerror=alert(1)>\"]}";
        String summary = PlanSummary.of(
                List.of(play(1, NAME, DESCRIPTION, undo, null), play(2, "Plain play", null, null, null)));

        List<String> rows = summary.lines().filter(l -> l.startsWith("|")).toList();
        assertThat(rows).hasSize(4); // header, separator, two plays
        assertThat(rows).allSatisfy(r -> assertThat(unescapedPipes(r)).as(r).isEqualTo(5));
        assertThat(summary).doesNotContain("](https", "https://", "\n- fake", "\n# Not");
        // the only HTML is ours: the line breaks inside a cell
        assertThat(Pattern.compile("(?<!\\\\)<")
                        .matcher(summary.replace("<br>", ""))
                        .find())
                .isFalse();
        assertThat(summary.lines().filter(l -> l.startsWith("- ")).toList()).hasSize(2); // one undo line per play

        String execution =
                PlanSummary.execution(List.of(play(1, NAME, null, null, "Done\n# Heading [x](https://evil.example)")));
        assertThat(execution.lines()).hasSize(1);
        assertThat(execution).doesNotContain("](https", "https://");
    }
}
