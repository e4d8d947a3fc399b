package io.controlplane.governance;

import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.ReportWindow;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/governance/check[?from=&to=][?missionId=]}: the governance check of every active mission and of the
 * missions that ended in [from, to) (default the trailing seven days, engine clock; the report's {@code from} and
 * {@code to} say which), or of one mission. Always 200 when the check ran: the body says which missions pass.
 */
@RestController
@RequestMapping("/api/governance")
class GovernanceController {
    private final GovernanceCheck check;

    GovernanceController(GovernanceCheck check) {
        this.check = check;
    }

    @Operation(
            summary =
                    "The governance check: every active mission's evidence, approvals and segregation of duties, or one mission's")
    @GetMapping("/check")
    GovernanceReport check(
            @RequestParam(required = false) String missionId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        if (missionId == null) {
            ReportWindow window = ReportWindow.parse(from, to);
            return check.check(window.from(), window.to());
        }
        String id = missionId.strip();
        if (id.isEmpty() || id.length() > 64 || !id.matches("[A-Za-z0-9._-]+")) {
            throw new InvalidInputException(
                    "missionId", "must be a mission id: 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return check.checkMission(id);
    }
}
