package io.controlplane.backlog;

import io.controlplane.governance.GovernanceCheck;
import io.controlplane.governance.GovernanceReport;
import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/release/readiness}: the release gate. Red while a telemetry-gap backlog item is open or in progress,
 * or while an active mission fails the governance check; each reason is named. Green otherwise.
 */
@RestController
class ReleaseReadiness {

    /** One reason the gate is RED: a TELEMETRY_GAP item ({@code itemId}) or a GOVERNANCE failure ({@code missionId}). */
    record Reason(String kind, Long itemId, String missionId, String rule, String message) {}

    record Answer(String status, List<Reason> reasons) {}

    private final BacklogService backlog;
    private final GovernanceCheck governance;

    ReleaseReadiness(BacklogService backlog, GovernanceCheck governance) {
        this.backlog = backlog;
        this.governance = governance;
    }

    @Operation(summary = "Release readiness: green, or red with every reason")
    @GetMapping("/api/release/readiness")
    Answer readiness() {
        List<Reason> reasons = new ArrayList<>();
        for (BacklogService.Item item : backlog.unfinished(BacklogCatalog.TELEMETRY_GAP)) {
            reasons.add(new Reason(
                    "TELEMETRY_GAP",
                    item.id(),
                    item.missionId(),
                    null,
                    "backlog item #" + item.id() + " '" + item.title() + "' is " + item.status()));
        }
        GovernanceReport report = governance.checkActive();
        for (GovernanceReport.MissionResult mission : report.missions()) {
            for (GovernanceReport.Finding failure : mission.failures()) {
                reasons.add(new Reason(
                        "GOVERNANCE",
                        null,
                        mission.missionId(),
                        failure.rule(),
                        "mission " + mission.missionId() + " fails " + failure.rule() + ": " + failure.detail()));
            }
        }
        return new Answer(reasons.isEmpty() ? "GREEN" : "RED", reasons);
    }
}
