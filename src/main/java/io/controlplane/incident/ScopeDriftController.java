package io.controlplane.incident;

import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.platform.ConflictException;
import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/missions/{id}/scope-drift}: the toolkit side reports that a toolkit's granted OAuth scopes changed.
 * The journey pauses execution and runs the OAuth drift runbook; the plain Camunda message {@code scopeDrift}
 * (business key = mission id) does the same.
 */
@RestController
class ScopeDriftController {

    record ScopeDrift(
            @NotBlank @Size(max = 64) String toolkit,
            @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 200) String> scopes,
            @Size(max = 2000) String detail) {}

    /** {@code executionPaused}: whether execution holds now (it does once the running step has ended). */
    record DriftAccepted(String missionId, boolean executionPaused) {}

    private final RuntimeService runtime;
    private final MissionStore missions;
    private final Validator validator;
    private final ApplicationEventPublisher events;

    ScopeDriftController(
            RuntimeService runtime, MissionStore missions, Validator validator, ApplicationEventPublisher events) {
        this.events = events;
        this.runtime = runtime;
        this.missions = missions;
        this.validator = validator;
    }

    @Operation(
            summary = "Report that a toolkit's granted scopes changed: execution holds, the OAuth drift runbook runs",
            responses = {
                @ApiResponse(
                        responseCode = "202",
                        description = "Accepted: the drift runbook started",
                        content = @Content(schema = @Schema(implementation = DriftAccepted.class))),
                @ApiResponse(responseCode = "409", description = "The mission is not active: nothing to pause")
            })
    @PostMapping("/api/missions/{id}/scope-drift")
    // the 409 answers a problem-shaped map, so the answer's type is not one record
    ResponseEntity<?> report(@PathVariable String id, @RequestBody ScopeDrift drift) {
        List<FieldError> errors = validator.validate(drift).stream()
                .map((ConstraintViolation<ScopeDrift> v) ->
                        new FieldError(v.getPropertyPath().toString().replace(".<list element>", ""), v.getMessage()))
                .toList();
        if (!errors.isEmpty()) {
            throw new InvalidInputException("The scope drift report is invalid", errors);
        }
        MissionStore.Mission mission =
                missions.find(id).orElseThrow(() -> new NotFoundException("No mission with id " + id));
        if (mission.status() != MissionStore.Status.ACTIVE) {
            throw new ConflictException("Mission " + id + " is " + mission.status() + ": nothing to pause");
        }
        runtime.createMessageCorrelation(MissionJourney.MESSAGE_SCOPE_DRIFT)
                .processInstanceBusinessKey(id)
                .setVariables(Variables.createVariables()
                        .putValue(Runbooks.Vars.DRIFT_TOOLKIT, drift.toolkit())
                        .putValue(Runbooks.Vars.DRIFT_SCOPES, String.join(", ", drift.scopes()))
                        .putValue(Runbooks.Vars.DRIFT_DETAIL, drift.detail() == null ? "" : drift.detail()))
                .correlateWithResult();
        events.publishEvent(MissionEvent.of(
                TelemetryCatalog.EXECUTION_PAUSED, id, Map.of("reason", "scope_drift", "toolkit", drift.toolkit())));
        return ResponseEntity.accepted()
                .body(new DriftAccepted(
                        id,
                        Boolean.TRUE.equals(runtime.getVariable(mission.processInstanceId(), Vars.SCOPE_DRIFT_HOLD))));
    }
}
