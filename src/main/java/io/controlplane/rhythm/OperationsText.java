package io.controlplane.rhythm;

import static io.controlplane.rhythm.DigestText.number;
import static io.controlplane.rhythm.DigestText.percent;

import io.controlplane.mission.Stage;
import io.controlplane.rhythm.DigestReads.Blocker;
import io.controlplane.rhythm.DigestReads.IncidentCounts;
import io.controlplane.rhythm.DigestReads.OpenIncident;
import io.controlplane.rhythm.DigestReads.OverdueReview;
import io.controlplane.rhythm.DigestReads.RunbookRuns;
import io.controlplane.rhythm.DigestReads.Throughput;
import io.controlplane.rhythm.RhythmDigests.Section;
import io.controlplane.telemetry.Boards;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The sections people read in the daily standup and the weekly ops sync. */
final class OperationsText {
    private OperationsText() {}

    // ---- daily standup

    static Section validatorAlerts(Boards.SafeguardCompliance alerts) {
        List<String> lines = new ArrayList<>();
        lines.add(alerts.alerts() + " validator alert(s) in the last 24 h; outcomes: auto-fix "
                + alerts.outcomes().get("auto_fix") + ", retry later "
                + alerts.outcomes().get("retry_later")
                + ", escalated " + alerts.outcomes().get("escalate"));
        alerts.alertsByCode().stream()
                .limit(RhythmDigests.LISTED)
                .forEach(a -> lines.add(a.safeguard() + " / " + a.code() + ": " + a.alerts()));
        return new Section("Validator alerts (last 24 h)", lines, null);
    }

    static Section undoReadiness(Boards.UndoReadiness undo) {
        return new Section(
                "Undo readiness (last 24 h)",
                List.of(
                        "Undo coverage: " + percent(undo.undoCoverage().percent()) + " ("
                                + undo.undoCoverage().withUndoPlan() + " of "
                                + undo.undoCoverage().executedMutating()
                                + " executed mutating plays have an undo plan)",
                        "Plays executed: " + undo.playsExecuted() + "; undo runs completed: " + undo.undoRunsCompleted()
                                + "; undo failures: " + undo.undoFailures() + "; missions rolled back: "
                                + undo.missionsRolledBack()),
                null);
    }

    static Section openIncidents(IncidentCounts counts, List<OpenIncident> incidents) {
        List<String> lines = new ArrayList<>();
        lines.add(counts.open() + " open incident(s), " + counts.acknowledged() + " acknowledged and not resolved");
        incidents.forEach(i -> lines.add(
                i.id() + " — " + i.state() + ", " + i.kind() + ", " + i.severity() + ", mission " + i.missionId()));
        return new Section("Open incidents", lines, null);
    }

    static Section overdueReviews(IncidentCounts counts, List<OverdueReview> reviews, Duration reviewWithin) {
        List<String> lines = new ArrayList<>();
        lines.add(counts.reviewsOverdue() + " post-incident review(s) overdue (due " + reviewWithin.toHours()
                + " h after resolution)");
        reviews.forEach(r -> lines.add(r.id() + " — " + r.kind() + ", resolved " + r.resolvedAt()));
        return new Section("Overdue post-incident reviews", lines, null);
    }

    // ---- weekly ops sync

    static Section stageThroughput(Map<Stage, Throughput> throughput) {
        List<List<String>> table = new ArrayList<>(List.of(List.of("Stage", "Entered", "Left forward")));
        throughput.forEach((s, t) ->
                table.add(List.of(s.displayName(), Long.toString(t.entered()), Long.toString(t.leftForward()))));
        return new Section("Stage throughput (last 7 days)", List.of(), table);
    }

    static Section blockers(List<Blocker> blockers, Instant at) {
        List<String> lines = new ArrayList<>();
        blockers.forEach(b -> lines.add(b.stage().displayName() + ": " + b.title() + " (" + b.missionId() + ") waiting "
                + number(waitingHours(b, at)) + " h"));
        if (lines.isEmpty()) {
            lines.add("No mission is waiting in a stage.");
        }
        return new Section("Blockers: missions waiting longest, by stage", lines, null);
    }

    static double waitingHours(Blocker b, Instant at) {
        return Duration.between(b.since(), at).toMinutes() / 60.0;
    }

    static Section runbooks(List<RunbookRuns> runs, List<String> versions) {
        List<String> lines = new ArrayList<>();
        runs.forEach(r -> lines.add(r.runbook() + ": " + r.started() + " run(s) started, " + r.ended() + " finished"));
        versions.forEach(v -> lines.add("Runbook model changed: " + v + " deployed"));
        if (lines.isEmpty()) {
            lines.add("No runbook ran and no runbook model changed.");
        }
        return new Section("Runbook changes and runs (last 7 days)", lines, null);
    }
}
