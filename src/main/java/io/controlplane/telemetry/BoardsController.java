package io.controlplane.telemetry;

import io.controlplane.platform.ReportWindow;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/boards/*}: the Safeguard Compliance Board, the Undo Readiness Monitor and the Feedback Insights Report,
 * each over a window [from, to) read as {@code /api/kpis} reads it (default: the trailing 7 days). Any authenticated
 * user may read them.
 */
@RestController
@RequestMapping("/api/boards")
class BoardsController {
    private final Boards boards;

    BoardsController(Boards boards) {
        this.boards = boards;
    }

    @Operation(summary = "The Safeguard Compliance Board over a window")
    @GetMapping("/safeguard-compliance")
    Boards.SafeguardCompliance safeguardCompliance(@RequestParam(required = false) String from,
                                                   @RequestParam(required = false) String to) {
        ReportWindow w = ReportWindow.parse(from, to);
        return boards.safeguardCompliance(w.from(), w.to());
    }

    @Operation(summary = "The Undo Readiness Monitor over a window")
    @GetMapping("/undo-readiness")
    Boards.UndoReadiness undoReadiness(@RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to) {
        ReportWindow w = ReportWindow.parse(from, to);
        return boards.undoReadiness(w.from(), w.to());
    }

    @Operation(summary = "The Feedback Insights Report over a window")
    @GetMapping("/feedback-insights")
    Boards.FeedbackInsights feedbackInsights(@RequestParam(required = false) String from,
                                             @RequestParam(required = false) String to) {
        ReportWindow w = ReportWindow.parse(from, to);
        return boards.feedbackInsights(w.from(), w.to());
    }
}
