package io.controlplane.telemetry;

import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.ReportWindow;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/kpis}: the six business KPIs over a window (default: the trailing 7 days), and per ISO week.
 * Dates are ISO dates (midnight UTC) or instants; the window is [from, to).
 */
@RestController
@RequestMapping("/api/kpis")
class KpiController {
    static final int MAX_WEEKS = 52;

    private final KpiService kpis;

    KpiController(KpiService kpis) {
        this.kpis = kpis;
    }

    @Operation(summary = "The six business KPIs over a window")
    @GetMapping
    KpiService.Report window(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        ReportWindow w = ReportWindow.parse(from, to);
        return kpis.report(w.from(), w.to());
    }

    @Operation(summary = "The KPIs per ISO week, oldest first")
    @GetMapping("/weekly")
    List<KpiService.Week> weekly(@RequestParam(defaultValue = "4") int weeks) {
        if (weeks < 1 || weeks > MAX_WEEKS) {
            throw new InvalidInputException("weeks", "must be between 1 and " + MAX_WEEKS);
        }
        return kpis.weekly(weeks);
    }
}
