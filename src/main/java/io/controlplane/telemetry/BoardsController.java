package io.controlplane.telemetry;

import io.controlplane.mission.AgentRunStore;
import io.controlplane.mission.AgentRuns;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.ReportWindow;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.time.LocalDate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/boards/*}: the Safeguard Compliance Board, the Undo Readiness Monitor and the Feedback Insights Report,
 * each over a window [from, to) read as {@code /api/kpis} reads it (default: the trailing 7 days), read by every
 * operating role; and the agent ledger per mission and day (the overseers only: it names every mission).
 */
@RestController
@RequestMapping("/api/boards")
class BoardsController {
    private final Boards boards;
    private final AgentRuns agentRuns;

    BoardsController(Boards boards, AgentRuns agentRuns) {
        this.boards = boards;
        this.agentRuns = agentRuns;
    }

    /** The agent ledger: cost and tokens per mission and per UTC day of the last {@code days} days (today included). */
    @Operation(summary = "The agent ledger: cost and tokens per mission and per day, against each mission's budget")
    @GetMapping("/agent-ledger")
    AgentRuns.Board agentLedger(@RequestParam(defaultValue = "14") int days) {
        if (days < 1 || days > 92) {
            throw new InvalidInputException("days", "must be between 1 and 92");
        }
        LocalDate today = AgentRunStore.day(Instant.now());
        return agentRuns.board(today.minusDays(days - 1L), today);
    }

    @Operation(summary = "The Safeguard Compliance Board over a window")
    @GetMapping("/safeguard-compliance")
    Boards.SafeguardCompliance safeguardCompliance(
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        ReportWindow w = ReportWindow.parse(from, to);
        return boards.safeguardCompliance(w.from(), w.to());
    }

    @Operation(summary = "The Undo Readiness Monitor over a window")
    @GetMapping("/undo-readiness")
    Boards.UndoReadiness undoReadiness(
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        ReportWindow w = ReportWindow.parse(from, to);
        return boards.undoReadiness(w.from(), w.to());
    }

    @Operation(summary = "The Feedback Insights Report over a window")
    @GetMapping("/feedback-insights")
    Boards.FeedbackInsights feedbackInsights(
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        ReportWindow w = ReportWindow.parse(from, to);
        return boards.feedbackInsights(w.from(), w.to());
    }
}
