package io.controlplane.telemetry;

import io.controlplane.platform.InvalidInputException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/telemetry/audit?mode=check|report&from=&to=}: the weekly telemetry audit over a window. */
@RestController
class TelemetryAuditController {
    private final TelemetryAudit audit;

    TelemetryAuditController(TelemetryAudit audit) {
        this.audit = audit;
    }

    @GetMapping("/api/telemetry/audit")
    TelemetryAudit.Report audit(@RequestParam(defaultValue = "report") String mode, @RequestParam(required = false) String from,
                                @RequestParam(required = false) String to, @RequestParam(required = false) String missionId) {
        if (!mode.equals("check") && !mode.equals("report")) {
            throw new InvalidInputException("mode", "must be check (records telemetry-gap findings) or report");
        }
        KpiController.Window window = KpiController.parseWindow(from, to);
        return audit.audit(mode.equals("check"), window.from(), window.to(), missionId);
    }
}
