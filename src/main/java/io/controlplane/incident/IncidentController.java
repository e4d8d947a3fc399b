package io.controlplane.incident;

import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.Page;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/incidents}: list and read incidents; acknowledge one without Slack. */
@RestController
@RequestMapping("/api/incidents")
class IncidentController {
    private static final Set<String> STATUSES =
            Set.of(IncidentService.OPEN, IncidentService.ACKNOWLEDGED, IncidentService.RESOLVED);

    private final IncidentService incidents;

    IncidentController(IncidentService incidents) {
        this.incidents = incidents;
    }

    @Operation(summary = "Incidents, newest first")
    @GetMapping
    Page<IncidentService.Incident> list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String missionId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size) {
        Page.Request paging = Page.Request.of(page, size);
        String normalised =
                status == null || status.isBlank() ? null : status.strip().toUpperCase(Locale.ROOT);
        if (normalised != null && !STATUSES.contains(normalised)) {
            throw new InvalidInputException("status", "must be one of OPEN, ACKNOWLEDGED, RESOLVED (any case)");
        }
        return incidents.page(normalised, missionId == null || missionId.isBlank() ? null : missionId.strip(), paging);
    }

    @Operation(summary = "One incident: kind, severity, summary, acknowledgement, resolution, review")
    @GetMapping("/{id}")
    IncidentService.Incident get(@PathVariable String id) {
        return incidents.get(id);
    }

    /** What an acknowledgement did: {@code acknowledged} false when the incident was acknowledged or resolved before. */
    record Acknowledgement(String incidentId, boolean acknowledged, String status) {}

    @Operation(summary = "Acknowledge an incident without Slack: escalation stops, PagerDuty is told")
    @PostMapping("/{id}/acknowledge")
    Acknowledgement acknowledge(@PathVariable String id, Authentication caller) {
        IncidentService.Incident incident = incidents.get(id);
        boolean acknowledged = incidents.acknowledge(id, caller.getName(), "api");
        return new Acknowledgement(id, acknowledged, acknowledged ? IncidentService.ACKNOWLEDGED : incident.status());
    }
}
