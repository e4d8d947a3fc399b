package io.controlplane.telemetry;

import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.ReportWindow;
import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The weekly telemetry audit over a window. {@code GET /api/telemetry/audit?from=&to=&missionId=} is the read-only
 * preview (it records nothing, so a read stays a read, whoever's browser sends it); {@code POST
 * /api/telemetry/audit} with a JSON body runs it in check mode, recording each gap as a telemetry-gap finding.
 */
@RestController
class TelemetryAuditController {
    static final String PATH = "/api/telemetry/audit";

    /** The recording audit's window: both ends named, so what a recording run covers is never a default. */
    record AuditRun(String from, String to, String missionId) {}

    private final TelemetryAudit audit;

    TelemetryAuditController(TelemetryAudit audit) {
        this.audit = audit;
    }

    @Operation(summary = "Preview the weekly telemetry audit over a window (records nothing)")
    @GetMapping(PATH)
    TelemetryAudit.Report preview(
            @RequestParam(defaultValue = "report") String mode,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String missionId) {
        // the mode in any case (the answer says REPORT or CHECK, in the API's one enum casing)
        if (mode.strip().equalsIgnoreCase("check")) {
            throw new InvalidInputException(
                    "A GET never records findings",
                    List.of(new FieldError(
                            "mode",
                            "check records telemetry-gap findings: send POST " + PATH
                                    + " with {\"from\", \"to\"} instead")));
        }
        if (!mode.strip().equalsIgnoreCase("report")) {
            throw new InvalidInputException("mode", "must be report (the preview); POST " + PATH + " records findings");
        }
        ReportWindow window = ReportWindow.parse(from, to);
        return audit.audit(false, window.from(), window.to(), missionId);
    }

    @Operation(summary = "Run the telemetry audit in check mode: records each gap and raises its backlog item")
    @PostMapping(PATH)
    TelemetryAudit.Report check(@RequestBody AuditRun run) {
        List<FieldError> missing = new ArrayList<>();
        if (run.from() == null || run.from().isBlank()) {
            missing.add(new FieldError("from", "is required: the start of the window the audit records"));
        }
        if (run.to() == null || run.to().isBlank()) {
            missing.add(new FieldError("to", "is required: the end of the window the audit records"));
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("The audit run is invalid", missing);
        }
        ReportWindow window = ReportWindow.parse(run.from(), run.to());
        String missionId = run.missionId() == null || run.missionId().isBlank() ? null : run.missionId();
        return audit.audit(true, window.from(), window.to(), missionId);
    }
}
