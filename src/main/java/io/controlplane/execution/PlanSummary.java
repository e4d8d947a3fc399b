package io.controlplane.execution;

import java.util.List;

/** The approval packet as the co-signers read it in Tasklist: ranked plays, risk grades and undo plans. */
final class PlanSummary {
    private PlanSummary() {
    }

    static String of(List<PlayStore.Play> plays) {
        StringBuilder b = new StringBuilder("| # | Play | Impact | Reversibility | Risk | Undo plan |\n|---|---|---|---|---|---|\n");
        for (PlayStore.Play p : plays) {
            b.append("| ").append(p.rank()).append(" | ").append(p.name()).append(" | ").append(p.impact())
                    .append(" | ").append(p.reversibility()).append(" | ").append(p.riskGrade().toUpperCase())
                    .append(" | ").append(p.undoPlanJson() == null ? (p.mutating() ? "missing" : "read-only") : "yes")
                    .append(" |\n");
        }
        long red = plays.stream().filter(p -> "red".equals(p.riskGrade())).count();
        if (red > 0) {
            b.append("\n").append(red).append(" red play(s): a second confirmation is needed after both co-signatures.");
        }
        return b.toString();
    }

    static String execution(List<PlayStore.Play> plays) {
        StringBuilder b = new StringBuilder();
        for (PlayStore.Play p : plays) {
            b.append("- ").append(p.name()).append(": ").append(p.status().toLowerCase())
                    .append(p.resultSummary() == null ? "" : " — " + p.resultSummary()).append("\n");
        }
        return b.toString().strip();
    }
}
