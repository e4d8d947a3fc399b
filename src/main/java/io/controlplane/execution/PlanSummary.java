package io.controlplane.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.mission.PlayStore;
import io.controlplane.platform.PlainText;
import java.util.List;

/**
 * The approval packet as the co-signers read it in Tasklist: ranked plays, risk grades and undo plans. What the agent
 * wrote (names, descriptions, undo steps, outcomes) is escaped, so it shows as text and cannot add a row or a link.
 */
final class PlanSummary {
    private PlanSummary() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The ranked plays as the co-signers decide on them: a table of what each play does and its risk grade, then each
     * play's undo plan (a list, so it stays readable in Tasklist's narrow task pane).
     */
    static String of(List<PlayStore.Play> plays) {
        StringBuilder b = new StringBuilder("| # | Play | Impact × reversibility | Risk |\n|---|---|---|---|\n");
        for (PlayStore.Play p : plays) {
            b.append("| ")
                    .append(p.rank())
                    .append(" | **")
                    .append(cell(p.name()))
                    .append("**")
                    .append(p.description() == null ? "" : "<br>" + cell(p.description()))
                    .append(" | ")
                    .append(p.impact())
                    .append(" × ")
                    .append(p.reversibility())
                    .append(" | **")
                    .append(p.riskGrade().toUpperCase())
                    .append("** |\n");
        }
        b.append("\n**Undo plans**\n\n");
        for (PlayStore.Play p : plays) {
            b.append("- **")
                    .append(p.rank())
                    .append(". ")
                    .append(cell(p.name()))
                    .append("** — ")
                    .append(undo(p))
                    .append("\n");
        }
        long red = plays.stream().filter(p -> "red".equals(p.riskGrade())).count();
        if (red > 0) {
            b.append("\n")
                    .append(red)
                    .append(" red play(s): a second confirmation is needed after both co-signatures.");
        }
        return b.toString();
    }

    /** "Discard drafts, 15 min window: 1. … 2. …", or why there is none. */
    private static String undo(PlayStore.Play p) {
        if (p.undoPlanJson() == null) {
            return p.mutating() ? "**missing** (mutating play)" : "not needed (read-only)";
        }
        try {
            JsonNode undo = JSON.readTree(p.undoPlanJson());
            StringBuilder b = new StringBuilder(cell(undo.path("label").asText("Undo plan")));
            if (undo.hasNonNull("windowMinutes")) {
                b.append(", ").append(undo.path("windowMinutes").asInt()).append(" min window");
            }
            if (undo.hasNonNull("riskAssessment")) {
                b.append(", ")
                        .append(cell(undo.path("riskAssessment").asText()))
                        .append(" risk");
            }
            int i = 1;
            for (JsonNode step : undo.path("steps")) {
                b.append(i == 1 ? ":" : "")
                        .append("<br>")
                        .append(i++)
                        .append(". ")
                        .append(cell(step.asText()));
            }
            return b.toString();
        } catch (JsonProcessingException e) {
            return "yes (unreadable)";
        }
    }

    /** The agent's text inside a Markdown table cell or list item: no pipes, line breaks or markup of its own. */
    private static String cell(String text) {
        return PlainText.markdown(text);
    }

    static String execution(List<PlayStore.Play> plays) {
        StringBuilder b = new StringBuilder();
        for (PlayStore.Play p : plays) {
            b.append("- ")
                    .append(cell(p.name()))
                    .append(": ")
                    .append(p.status().toLowerCase())
                    .append(p.resultSummary() == null ? "" : " — " + cell(p.resultSummary()))
                    .append("\n");
        }
        return b.toString().strip();
    }
}
