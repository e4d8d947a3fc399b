package io.controlplane.telemetry;

import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/telemetry/events}: agents post their side of the catalog; anyone reads. An unknown name, an unknown
 * mission or a stage that does not match the catalog is refused with 400 naming the problem, and nothing is stored.
 */
@RestController
@RequestMapping("/api/telemetry/events")
class TelemetryController {

    record PostedEvent(String name, String missionId, String stage, String agent, Map<String, Object> attributes) {}

    /** The event as recorded: its stage from the catalog when none was sent ("" for an event of any stage). */
    record Recorded(String name, String missionId, String stage, String agent) {}

    private final TelemetryEvents events;
    private final MissionStore missions;

    TelemetryController(TelemetryEvents events, MissionStore missions) {
        this.events = events;
        this.missions = missions;
    }

    @Operation(
            summary = "Record a telemetry event of the catalog",
            responses = {@ApiResponse(responseCode = "201", description = "Recorded", useReturnTypeSchema = true)})
    @PostMapping
    ResponseEntity<Recorded> post(@RequestBody PostedEvent event, Authentication caller) {
        List<FieldError> errors = new ArrayList<>();
        var known = event.name() == null ? Optional.<TelemetryCatalog>empty() : TelemetryCatalog.ofName(event.name());
        if (known.isEmpty()) {
            errors.add(new FieldError(
                    "name",
                    event.name() == null
                            ? "is required"
                            : "'" + abbreviate(event.name()) + "' is not in the telemetry catalog"));
        }
        if (event.missionId() == null || event.missionId().isBlank()) {
            errors.add(new FieldError("missionId", "is required"));
        } else if (!missions.exists(event.missionId())) {
            errors.add(new FieldError("missionId", "no mission with id '" + abbreviate(event.missionId()) + "'"));
        }
        Stage stage = null;
        boolean legacy = false;
        if (event.stage() != null && !event.stage().isBlank()) {
            stage = Stage.fromCode(event.stage()).orElse(null);
            if (stage == null) {
                stage = Stage.fromLegacy(event.stage()).orElse(null);
                legacy = stage != null;
            }
            if (stage == null) {
                errors.add(new FieldError("stage", "'" + abbreviate(event.stage()) + "' is not a stage"));
            }
        }
        if (known.isPresent()
                && stage != null
                && known.get().stage().isPresent()
                && known.get().stage().get() != stage) {
            errors.add(new FieldError(
                    "stage", event.name() + " belongs to " + known.get().stage().get() + ", not " + stage));
        }
        if (event.agent() != null && event.agent().length() > 100) {
            errors.add(new FieldError("agent", "must be at most 100 characters"));
        }
        if (event.attributes() != null && event.attributes().size() > 50) {
            errors.add(new FieldError("attributes", "must have at most 50 entries"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException("The telemetry event is invalid", errors);
        }
        Stage recorded = stage != null ? stage : known.get().stage().orElse(null);
        String agent = event.agent() != null ? event.agent() : caller.getName();
        events.emit(
                event.name(), event.missionId(), recorded == null ? null : recorded.name(), agent, event.attributes());
        ResponseEntity.BodyBuilder created = ResponseEntity.status(HttpStatus.CREATED);
        if (legacy) {
            created.header("Deprecation", "true");
        }
        return created.body(
                new Recorded(event.name(), event.missionId(), recorded == null ? "" : recorded.name(), agent));
    }

    @Operation(summary = "Stored telemetry events, newest first")
    @GetMapping
    Page<TelemetryEvents.Event> list(
            @RequestParam(required = false) String missionId,
            @RequestParam(required = false) String name,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size) {
        Page.Request paging = Page.Request.of(page, size);
        return events.page(blankToNull(missionId), blankToNull(name), paging);
    }

    /** One entry of the catalog: an event name and its stage ({@code ANY} for an incident's). */
    record CatalogEntry(String name, String stage) {}

    /** The catalog is the code's own constants (a few dozen): paged like every list, cut in memory. */
    @Operation(summary = "The telemetry catalog: every event name and its stage")
    @GetMapping("/catalog")
    Page<CatalogEntry> catalog(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size) {
        Page.Request paging = Page.Request.of(page, size);
        return Page.slice(
                paging,
                Arrays.stream(TelemetryCatalog.values())
                        .map(e -> new CatalogEntry(
                                e.eventName(), e.stage().map(Enum::name).orElse("ANY")))
                        .toList());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
