package io.controlplane.telemetry;

import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.ReportWindow;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
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

    /**
     * The weekly series is a report over a window, like the rollup: {@code {from, to, items}}, one item per ISO week,
     * oldest first. Not a page: {@code weeks} says how far back the window reaches, and every week of it is answered.
     */
    record Weekly(Instant from, Instant to, List<KpiService.Week> items) {}

    @Operation(summary = "The KPIs per ISO week, oldest first")
    @GetMapping("/weekly")
    Weekly weekly(@RequestParam(defaultValue = "4") int weeks) {
        if (weeks < 1 || weeks > MAX_WEEKS) {
            throw new InvalidInputException("weeks", "must be between 1 and " + MAX_WEEKS);
        }
        List<KpiService.Week> items = kpis.weekly(weeks);
        return new Weekly(items.get(0).from(), items.get(items.size() - 1).to(), items);
    }
}
