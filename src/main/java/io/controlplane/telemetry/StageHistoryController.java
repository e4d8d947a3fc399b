package io.controlplane.telemetry;

import io.controlplane.platform.ApiAccess;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.Page;
import io.controlplane.platform.ReportWindow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/stages/history}: the historical stage export, as JSON or CSV ({@code format=csv}), carrying both
 * {@code stage_v3} and {@code stage_legacy} for dashboards still on the eight-stage labels.
 */
@RestController
class StageHistoryController {
    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final StageHistory history;

    StageHistoryController(StageHistory history) {
        this.history = history;
    }

    @Operation(
            summary = "Every stage visit of one mission or of a window, as JSON or CSV",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "The visits",
                        content = {
                            @Content(
                                    mediaType = "application/json",
                                    array = @ArraySchema(schema = @Schema(implementation = StageHistory.Visit.class))),
                            @Content(
                                    mediaType = "text/csv",
                                    schema =
                                            @Schema(
                                                    type = "string",
                                                    description =
                                                            "mission_id,process_instance_id,model,activity_id,stage_code,stage_v3,stage_legacy,entered_at,left_at,outcome"))
                        })
            })
    @GetMapping("/api/stages/history")
    ResponseEntity<?> history(
            @RequestParam(required = false) String missionId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "json") String format,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size,
            Authentication caller) {
        Page.Request paging = Page.Request.of(page, size);
        if (!format.equals("json") && !format.equals("csv")) {
            throw new InvalidInputException("format", "must be json or csv");
        }
        boolean mission = missionId != null && !missionId.isBlank();
        ReportWindow w = mission && from == null && to == null ? null : ReportWindow.parse(from, to);
        // a mission owner sees only their own missions' visits (docs/security.md), as in GET /api/missions
        String owner = ApiAccess.readsOnlyOwnMissions(caller) ? caller.getName() : null;
        String id = mission ? missionId : null;
        Instant start = w == null ? null : w.from();
        Instant end = w == null ? null : w.to();
        if (format.equals("json")) {
            return ResponseEntity.ok(history.page(id, start, end, owner, paging));
        }
        // the CSV is the file export: the whole window (up to StageHistory.MAX_ROWS rows), not a page
        List<StageHistory.Visit> visits = history.visits(id, start, end, owner);
        String header =
                "mission_id,process_instance_id,model,activity_id,stage_code,stage_v3,stage_legacy,entered_at,left_at,outcome";
        String body = Stream.concat(
                        Stream.of(header),
                        visits.stream()
                                .map(v -> Stream.of(
                                                v.missionId(),
                                                v.processInstanceId(),
                                                v.model(),
                                                v.activityId(),
                                                v.stageCode(),
                                                v.stageV3(),
                                                v.stageLegacy(),
                                                v.enteredAt() == null
                                                        ? null
                                                        : v.enteredAt().toString(),
                                                v.leftAt() == null
                                                        ? null
                                                        : v.leftAt().toString(),
                                                v.outcome())
                                        .map(StageHistoryController::csv)
                                        .collect(Collectors.joining(","))))
                .collect(Collectors.joining("\r\n", "", "\r\n"));
        return ResponseEntity.ok()
                .contentType(CSV)
                .header("Content-Disposition", "attachment; filename=\"mission-stage-history.csv\"")
                .body(body);
    }

    /**
     * One CSV cell. A value a spreadsheet would take for a formula (it starts with {@code = + - @}, a tab or a line
     * break, also after leading spaces) gets a leading single quote and is quoted, so it shows as the text it is
     * (OWASP, CSV injection); otherwise RFC 4180: a field holding a comma, quote or line break is quoted, its quotes
     * doubled. A business key is chosen by whoever starts the mission, so no cell is trusted.
     */
    static String csv(String value) {
        if (value == null) {
            return "";
        }
        if (formula(value)) {
            return "\"'" + value.replace("\"", "\"\"") + "\"";
        }
        return value.matches("(?s).*[\",\r\n].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static boolean formula(String value) {
        String start = value.stripLeading();
        if (!value.isEmpty() && "\t\r\n".indexOf(value.charAt(0)) >= 0) {
            return true;
        }
        return !start.isEmpty() && "=+-@\t\r\n".indexOf(start.charAt(0)) >= 0;
    }
}
