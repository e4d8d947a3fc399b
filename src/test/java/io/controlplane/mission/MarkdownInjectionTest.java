package io.controlplane.mission;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.journey.FormText;
import io.controlplane.platform.PlainText;
import io.controlplane.platform.Sha256;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Markdown (and HTML) in what a mission owner, a reviewer or an agent writes shows as text: in the summaries the
 * Tasklist forms render, in the text the forms show of raw variables, and in the sealed evidence — no link, image,
 * heading, list item or table row of its making.
 */
@IntegrationTest
class MarkdownInjectionTest {
    static final String TITLE = "[click](https://evil.example) | forged | row\n# Heading";
    static final String OBJECTIVE = "Reach ![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)>\n"
            + "| injected | row |\n- a list item\n1. numbered\n===\nhttps://evil.example/bare";
    static final String COMMENT =
            "See [the fix](https://evil.example/fix) | x |\n## Not a heading\n<script>alert(1)</script>";
    /** Where Markdown would see markup: the character is not preceded by a backslash. */
    private static final Pattern UNESCAPED_LINK = Pattern.compile("(?<!\\\\)\\]\\s*(?<!\\\\)\\(");

    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    RuntimeService runtime;

    @Autowired
    TaskService tasks;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    static MissionRequest hostileBrief() {
        return new MissionRequest(
                TITLE,
                OBJECTIVE,
                "**Ops** <b>bold</b>",
                new MissionRequest.Kpi("_metric_ [m](javascript:alert(1))", BigDecimal.valueOf(40)),
                List.of(new MissionRequest.Safeguard(
                        "tone", null, Map.of("forbiddenWords", List.of("[w](https://evil.example)", "| cell |")))),
                List.of(new MissionRequest.Toolkit(
                        "hubspot", List.of("read | admin", "`x` ![i](https://evil.example/i)"))));
    }

    /** The text a Markdown reader sees: backslash escapes of ASCII punctuation removed (CommonMark). */
    static String unescape(String markdown) {
        return markdown.replaceAll("\\\\(\\p{Punct})", "$1");
    }

    /** How many times {@code c} appears without a backslash before it. */
    static long unescaped(String text, char c) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    /** Markup of someone's making: an unescaped link or image, an HTML tag, an autolinkable URL. */
    static void assertNoMarkup(String markdown) {
        assertThat(UNESCAPED_LINK.matcher(markdown).find())
                .as("a link in: %s", markdown)
                .isFalse();
        assertThat(unescaped(markdown, '<')).as("HTML in: %s", markdown).isZero();
        assertThat(markdown).doesNotContain("https://", "javascript:");
    }

    @Test
    void theBriefsSummariesShowTheMissionsTextAsText() {
        String id = drive.start("mo", hostileBrief());
        String pi = drive.instance(id).getId();

        String brief = (String) runtime.getVariable(pi, Vars.MISSION_BRIEF);
        assertNoMarkup(brief);
        assertThat(unescaped(brief, '|')).isZero();
        assertThat(brief.lines())
                .noneMatch(l -> l.startsWith("#")
                        || l.startsWith("|")
                        || l.startsWith("- ")
                        || l.matches("\\d+\\. .*")
                        || l.startsWith("==="));
        assertThat(unescape(brief))
                .contains(
                        "[click](https://evil.example) | forged | row # Heading",
                        "![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)>",
                        "| injected | row |",
                        "**Ops** <b>bold</b>",
                        "_metric_ [m](javascript:alert(1))");

        String safeguards = (String) runtime.getVariable(pi, Vars.SAFEGUARD_SUMMARY);
        assertNoMarkup(safeguards);
        assertThat(unescaped(safeguards, '|')).isZero();
        assertThat(unescape(safeguards)).contains("[w](https://evil.example)", "| cell |");
        String toolkits = (String) runtime.getVariable(pi, Vars.TOOLKIT_SUMMARY);
        assertNoMarkup(toolkits);
        assertThat(unescaped(toolkits, '`')).isZero();
        assertThat(unescape(toolkits)).contains("read | admin", "`x` ![i](https://evil.example/i)");
        // the raw variables stay as typed: decisions and agents use them
        assertThat(runtime.getVariable(pi, Vars.MISSION_TITLE)).isEqualTo(TITLE);
    }

    @Test
    void theSealedEvidenceHasNoRowLinkOrHeadingOfTheMissionsMaking() {
        String id = drive.start("mo", hostileBrief());
        drive.complete(
                id,
                Elements.INTENT_CONFIRMATION,
                "gv",
                Map.of(
                        Vars.INTENT_DECISION,
                        "approve",
                        Vars.SAFEGUARDS_ACKNOWLEDGED,
                        true,
                        Vars.INTENT_COMMENT,
                        COMMENT));

        Http.Response evidence = http.get("/api/missions/" + id + "/evidence/DEFINE", "gv");
        assertThat(evidence.status()).isEqualTo(200);
        String doc = evidence.body();
        assertNoMarkup(doc);
        List<String> lines = doc.lines().toList();
        // the template's headings only: its title line and three sections
        assertThat(lines.stream().filter(l -> l.startsWith("#")).toList())
                .hasSize(4)
                .first()
                .asString()
                .startsWith("# Define — Intake Validation: ");
        assertThat(lines.get(0)).doesNotContain("\n");
        // the template's two tables, and no row more: 2 + 8 field rows (with "Stage ended"), 2 + 1 decision row
        List<String> rows = lines.stream().filter(l -> l.startsWith("|")).toList();
        assertThat(rows).hasSize(13);
        assertThat(rows.subList(0, 10))
                .allSatisfy(r -> assertThat(unescaped(r, '|')).as(r).isEqualTo(3));
        assertThat(rows.subList(10, 13))
                .allSatisfy(r -> assertThat(unescaped(r, '|')).as(r).isEqualTo(7));
        // the objective is one paragraph: none of its lines starts a list, a table, a heading or a setext underline
        assertThat(lines).noneMatch(l -> l.startsWith("- a list") || l.startsWith("1. ") || l.startsWith("==="));
        assertThat(unescape(doc))
                .contains(
                        "[click](https://evil.example) | forged | row # Heading",
                        "See [the fix](https://evil.example/fix) | x | ## Not a heading <script>alert(1)</script>",
                        "| injected | row |");
        // the mission id is a code span; the digest the API lists is the one of the document
        assertThat(doc).contains("| Mission id | `" + id + "` |");
        JsonNode listed =
                http.get("/api/missions/" + id, "gv").json().path("evidence").get(0);
        assertThat(Sha256.hex(doc)).isEqualTo(listed.path("sha256").asText());
    }

    @Test
    void aFormShowsARawVariableThroughItsEscapedCopy() {
        String id = drive.start("mo", hostileBrief());
        drive.complete(
                id,
                Elements.INTENT_CONFIRMATION,
                "gv",
                Map.of(Vars.INTENT_DECISION, "request_changes", Vars.INTENT_COMMENT, COMMENT));
        var revision = drive.task(id, Elements.BRIEF_REVISION);
        assertThat(revision).isNotNull();
        String shown = (String) tasks.getVariableLocal(revision.getId(), FormText.displayName(Vars.INTENT_COMMENT));
        assertThat(shown).isEqualTo(PlainText.markdownBlock(COMMENT));
        assertNoMarkup(shown);
        assertThat(shown.lines()).noneMatch(l -> l.startsWith("#"));
        assertThat(unescape(shown)).isEqualTo(COMMENT);
        // the raw comment is untouched, and the copy lives on the task only
        assertThat(runtime.getVariable(drive.instance(id).getId(), Vars.INTENT_COMMENT))
                .isEqualTo(COMMENT);
        assertThat(runtime.getVariable(drive.instance(id).getId(), FormText.displayName(Vars.INTENT_COMMENT)))
                .isNull();
    }

    /**
     * Every variable a form's text shows is either one of the summaries built escaped, a number, or the escaped copy
     * of a raw variable ({@code {{nameText}}}): a new form showing {@code {{missionTitle}}} raw fails here.
     */
    @Test
    void formsShowNoRawTextVariable() throws IOException {
        Set<String> escapedSummaries = Set.of(
                Vars.MISSION_BRIEF,
                Vars.SAFEGUARD_SUMMARY,
                Vars.TOOLKIT_SUMMARY,
                Vars.PLAN_SUMMARY,
                Vars.EXECUTION_SUMMARY,
                Vars.FEEDBACK_SUMMARY);
        Set<String> numbers = Set.of(Vars.DATA_COVERAGE_PERCENT, Vars.APPROVAL_ROUND, Vars.RED_PLAY_COUNT);
        List<String> raw = new ArrayList<>();
        try (Stream<Path> forms = Files.list(Path.of("forms"))) {
            for (Path form : forms.filter(p -> p.toString().endsWith(".form")).toList()) {
                JsonNode json = new ObjectMapper().readTree(form.toFile());
                collectTexts(json, texts -> {
                    Matcher m =
                            Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}").matcher(texts);
                    while (m.find()) {
                        String v = m.group(1);
                        if (!escapedSummaries.contains(v) && !numbers.contains(v) && !v.endsWith(FormText.SUFFIX)) {
                            raw.add(form.getFileName() + ": {{" + v + "}}");
                        }
                    }
                });
            }
        }
        assertThat(raw).as("show {{nameText}}, the escaped copy, instead").isEmpty();
    }

    private static void collectTexts(JsonNode component, Consumer<String> out) {
        if ("text".equals(component.path("type").asText())) {
            out.accept(component.path("text").asText());
        }
        component.path("components").forEach(c -> collectTexts(c, out));
    }
}
