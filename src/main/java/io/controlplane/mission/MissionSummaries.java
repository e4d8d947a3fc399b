package io.controlplane.mission;

import io.controlplane.platform.PlainText;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The read-only Markdown summaries the Tasklist forms show (variables missionBrief, safeguardSummary, …). Everything
 * the mission owner typed is escaped ({@link PlainText}): it shows as text, never as a link, image or heading.
 */
public final class MissionSummaries {
    private MissionSummaries() {}

    public static String brief(
            String title, String objective, String persona, String kpiMetric, Object kpiTarget, String owner) {
        return "**" + PlainText.markdown(title) + "** (owner: " + PlainText.markdown(owner) + ", persona: "
                + PlainText.markdown(persona) + ")\n\n" + PlainText.markdownBlock(objective)
                + "\n\n**KPI:** " + PlainText.markdown(kpiMetric) + " — target " + PlainText.markdown(plain(kpiTarget));
    }

    public static String safeguards(List<MissionRequest.Safeguard> safeguards) {
        return safeguards.stream()
                .map(s -> "- " + PlainText.markdown(SafeguardPolicy.describe(s)))
                .collect(Collectors.joining("\n"));
    }

    public static String toolkits(List<MissionRequest.Toolkit> toolkits) {
        return toolkits.stream()
                .map(t ->
                        "- " + PlainText.markdown(t.slug()) + ": " + PlainText.markdown(String.join(", ", t.scopes())))
                .collect(Collectors.joining("\n"));
    }

    public static String plain(Object n) {
        return n instanceof BigDecimal bd ? bd.stripTrailingZeros().toPlainString() : String.valueOf(n);
    }
}
