package io.controlplane.rhythm;

import static io.controlplane.rhythm.DigestText.kpiLine;
import static io.controlplane.rhythm.DigestText.number;
import static io.controlplane.rhythm.DigestText.prose;
import static io.controlplane.rhythm.DigestText.status;
import static io.controlplane.rhythm.DigestText.value;

import io.controlplane.mission.Stage;
import io.controlplane.rhythm.DigestReads.BacklogItem;
import io.controlplane.rhythm.DigestReads.Escalation;
import io.controlplane.rhythm.DigestReads.LibraryAsset;
import io.controlplane.rhythm.DigestReads.ReusedAsset;
import io.controlplane.rhythm.Figures.Investigation;
import io.controlplane.rhythm.Figures.KpiDelta;
import io.controlplane.rhythm.Figures.LatencyWeek;
import io.controlplane.rhythm.RhythmDigests.MissedKpi;
import io.controlplane.rhythm.RhythmDigests.Section;
import io.controlplane.telemetry.Boards;
import io.controlplane.telemetry.KpiService;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** The sections people read in the governance council, the monthly retrospective and the quarterly planning. */
final class ReviewText {
    private ReviewText() {}

    // ---- governance council

    static Section escalations(long count, List<Escalation> escalations, KpiService.Kpi rate, KpiService.Kpi undo) {
        List<String> lines = new ArrayList<>();
        lines.add(count + " safeguard escalation(s) to a Governance Validator in the last 14 days");
        escalations.forEach(e -> lines.add(
                "mission " + e.missionId() + ", escalated " + e.started() + (e.open() ? ", still open" : ", closed")));
        lines.add(kpiLine(rate));
        lines.add(kpiLine(undo));
        return new Section("Escalations (last 14 days)", lines, null);
    }

    static Section latencyTrend(List<LatencyWeek> weeks, double target, ZoneId zone) {
        List<List<String>> table =
                new ArrayList<>(List.of(List.of("Week ending", "P95 hours", "Rounds", "Within 4 h")));
        weeks.forEach(w -> table.add(List.of(
                w.weekEnding().atZone(zone).toLocalDate().toString(),
                number(w.p95Hours()),
                Long.toString(w.rounds()),
                Long.toString(w.withinTarget()))));
        return new Section("Approval latency trend (P95, target ≤ " + number(target) + " h)", List.of(), table);
    }

    static Section overrides(Boards.SafeguardCompliance compliance) {
        List<String> lines = new ArrayList<>();
        lines.add(compliance.overrideDecisions() + " safeguard override decision(s)");
        compliance.overrideReasons().stream()
                .limit(RhythmDigests.LISTED)
                .forEach(d -> lines.add("mission " + d.missionId() + ": " + d.decision() + " by " + d.decidedBy()
                        + " — " + (d.comment() == null ? "no reason given" : d.comment())));
        return new Section("Safeguard overrides and their reasons", lines, null);
    }

    // ---- monthly retrospective

    /** The month's KPIs against the previous month's, and what became of each miss. */
    static Section kpiDeltas(
            List<String> months, KpiService.Report month, KpiService.Report before, KpiMisses.Misses misses) {
        List<List<String>> table =
                new ArrayList<>(List.of(List.of("KPI", months.get(0), months.get(1), "Delta", "Target", "Status")));
        for (KpiService.Kpi k : month.kpis()) {
            KpiService.Kpi p = before.kpi(k.key());
            Double delta = KpiDelta.of(k, p).delta();
            table.add(List.of(
                    k.name(),
                    value(k),
                    value(p),
                    delta == null ? "—" : (delta > 0 ? "+" : "") + number(delta),
                    k.comparator() + " " + number(k.target()),
                    status(k)));
        }
        List<String> lines = new ArrayList<>();
        List<MissedKpi> missed = misses.missed();
        for (int i = 0; i < missed.size(); i++) {
            MissedKpi m = missed.get(i);
            Investigation investigation = misses.investigations().get(i);
            String line = m.name() + " missed (" + m.value() + " against " + m.target() + ")";
            lines.add(
                    investigation.started()
                            ? line + ": a KPI miss investigation has started"
                            : line + ": its investigation " + investigation.businessKey() + " is "
                                    + investigation.status() + ", not started again");
        }
        if (missed.isEmpty()) {
            lines.add("Every KPI with data met its target.");
        }
        return new Section("KPI deltas against the previous month", lines, table);
    }

    static Section feedback(Boards.FeedbackInsights feedback) {
        return new Section(
                "Feedback insights",
                List.of(
                        feedback.feedbackCount() + " feedback submission(s); average rating "
                                + number(feedback.averageRating()) + "; effort saved "
                                + feedback.effortSavedHoursTotal()
                                        .stripTrailingZeros()
                                        .toPlainString() + " h",
                        "Satisfaction: "
                                + (feedback.satisfaction().isEmpty()
                                        ? "—"
                                        : feedback.satisfaction().toString())),
                null);
    }

    static Section library(
            long contributed, List<LibraryAsset> contributions, KpiService.Kpi reuse, List<ReusedAsset> reused) {
        List<String> lines = new ArrayList<>();
        lines.add(contributed + " play(s) contributed to the library");
        contributions.forEach(a ->
                lines.add("New asset: " + a.name() + " (" + a.id() + ", from mission " + a.sourceMissionId() + ")"));
        lines.add(kpiLine(reuse) + " (" + reuse.numerator() + " of " + reuse.denominator() + " planned missions)");
        reused.forEach(
                a -> lines.add("Most reused: " + a.name() + " (" + a.id() + "): reused " + a.reuseCount() + "×"));
        return new Section("Library contributions and reuse", lines, null);
    }

    // ---- quarterly planning

    /** One row per KPI: each month's value and status, then the target. */
    static Section kpiTrend(String period, List<String> monthNames, List<KpiService.Report> months) {
        List<String> header = new ArrayList<>(List.of("KPI"));
        header.addAll(monthNames);
        header.add("Target");
        List<List<String>> table = new ArrayList<>(List.of(header));
        for (KpiService.Kpi k : months.get(0).kpis()) {
            List<String> row = new ArrayList<>(List.of(k.name()));
            for (KpiService.Report m : months) {
                KpiService.Kpi v = m.kpi(k.key());
                row.add(value(v) + " " + status(v));
            }
            row.add(k.comparator() + " " + (k.key().equals("mission-throughput") ? "30/week" : number(k.target())));
            table.add(row);
        }
        return new Section("KPI trend of " + period, List.of(), table);
    }

    static Section backlog(List<BacklogItem> items) {
        List<String> lines = new ArrayList<>();
        for (Stage s : Stage.values()) {
            List<BacklogItem> top = items.stream().filter(i -> i.stage() == s).toList();
            if (top.isEmpty()) {
                lines.add(s.displayName() + ": no open item");
            }
            top.forEach(i -> lines.add(s.displayName() + ": #" + i.id() + " " + i.title() + " (priority "
                    + i.priority().stripTrailingZeros().toPlainString() + ", " + prose(i.status()) + ")"));
        }
        return new Section("Operations backlog: top items per stage", lines, null);
    }
}
