package io.controlplane.mission;

import java.util.List;
import java.util.stream.Collectors;

/** The read-only Markdown summaries the Tasklist forms show (variables missionBrief, safeguardSummary, …). */
final class MissionSummaries {
    private MissionSummaries() {
    }

    static String brief(String title, String objective, String persona, String kpiMetric, Object kpiTarget, String owner) {
        return "**" + title + "** (owner: " + owner + ", persona: " + persona + ")\n\n" + objective
                + "\n\n**KPI:** " + kpiMetric + " — target " + plain(kpiTarget);
    }

    static String safeguards(List<MissionRequest.Safeguard> safeguards) {
        return safeguards.stream().map(s -> "- " + SafeguardPolicy.describe(s)).collect(Collectors.joining("\n"));
    }

    static String toolkits(List<MissionRequest.Toolkit> toolkits) {
        return toolkits.stream().map(t -> "- " + t.slug() + ": " + String.join(", ", t.scopes()))
                .collect(Collectors.joining("\n"));
    }

    static String plain(Object n) {
        return n instanceof java.math.BigDecimal bd ? bd.stripTrailingZeros().toPlainString() : String.valueOf(n);
    }
}
