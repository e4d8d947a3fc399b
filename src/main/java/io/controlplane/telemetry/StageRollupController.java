package io.controlplane.telemetry;

import io.controlplane.mission.StageFilter;
import io.controlplane.platform.ReportWindow;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/stages/rollup[?from=&to=&stage=]}: the Stage Rollup Dashboard's data over the window [from, to)
 * (default the trailing seven days, engine clock), all stages or one (code or deprecated legacy name). The body says
 * the period it covers: {@code {"from", "to", "items": [...]}}.
 */
@RestController
class StageRollupController {
    private final StageRollups rollups;

    StageRollupController(StageRollups rollups) {
        this.rollups = rollups;
    }

    @Operation(summary = "The stage rollup: entries, dwell times and success rate per stage")
    @GetMapping("/api/stages/rollup")
    ResponseEntity<StageRollups.Rollup> rollup(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String stage) {
        ReportWindow window = ReportWindow.parse(from, to);
        StageFilter filter = StageFilter.parse(stage);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        filter.deprecationHeaders(ok);
        return ok.body(rollups.rollup(window.from(), window.to(), filter.stage()));
    }
}
