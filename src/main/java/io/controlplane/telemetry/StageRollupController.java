package io.controlplane.telemetry;

import io.controlplane.mission.StageFilter;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/stages/rollup}: the Stage Rollup Dashboard's data, all stages or one (code or legacy name). */
@RestController
class StageRollupController {
    private final StageRollups rollups;

    StageRollupController(StageRollups rollups) {
        this.rollups = rollups;
    }

    @GetMapping("/api/stages/rollup")
    ResponseEntity<List<StageRollups.StageRollup>> rollup(@RequestParam(required = false) String stage) {
        StageFilter filter = StageFilter.parse(stage);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        filter.deprecationHeaders(ok);
        return ok.body(rollups.rollup(filter.stage()));
    }
}
