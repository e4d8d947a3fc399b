package io.controlplane.legacy;

import io.controlplane.platform.ApiAccess;
import io.controlplane.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.List;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/admin/legacy/migrations}: move running eight-stage missions onto the five-stage journey. Camunda
 * administrators only ({@code camunda-admin}); everyone else gets a 403 and nothing changes.
 */
@RestController
@RequestMapping("/api/admin/legacy/migrations")
class LegacyMigrationController {

    /** Optional body: restrict the run to these legacy process instances (default: every running one). */
    record Selection(List<String> processInstanceIds) {}

    private final LegacyMigrations migrations;

    LegacyMigrationController(LegacyMigrations migrations) {
        this.migrations = migrations;
    }

    @Operation(
            summary = "Migrate running legacy missions to the five-stage journey (or a dry run)",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "A dry run: what would happen",
                        useReturnTypeSchema = true),
                @ApiResponse(
                        responseCode = "202",
                        description = "The batch started; Location names its report",
                        useReturnTypeSchema = true),
                @ApiResponse(
                        responseCode = "409",
                        description = "An instance is refused (instances lists why): nothing migrated"),
                @ApiResponse(responseCode = "422", description = "The migration plan is invalid (failures lists why)")
            })
    @PostMapping
    ResponseEntity<LegacyMigrations.Report> migrate(
            @RequestParam(defaultValue = "false") boolean dryRun,
            @RequestBody(required = false) Selection selection,
            Authentication caller) {
        List<String> groups = ApiAccess.groupsOf(caller);
        LegacyMigrations.Report report = migrations.migrate(
                selection == null ? List.of() : selection.processInstanceIds(), dryRun, caller.getName(), groups);
        if (report.batchId() == null) {
            return ResponseEntity.ok(report);
        }
        // the batch runs on the job executor: 202, and the report to poll
        return ResponseEntity.accepted()
                .location(URI.create("/api/admin/legacy/migrations/" + report.batchId()))
                .body(report);
    }

    @Operation(summary = "A legacy migration batch's report")
    @GetMapping("/{batchId}")
    LegacyMigrations.Report report(@PathVariable String batchId) {
        return migrations.report(batchId);
    }

    @ExceptionHandler(LegacyMigrations.PlanInvalidException.class)
    ResponseEntity<ProblemDetail> planInvalid(LegacyMigrations.PlanInvalidException e) {
        ProblemDetail p = Problems.of(Problems.Type.LEGACY_MIGRATION_PLAN_INVALID, e.getMessage());
        p.setProperty("failures", e.failures());
        return Problems.response(p);
    }

    @ExceptionHandler(LegacyMigrations.InstancesRefusedException.class)
    ResponseEntity<ProblemDetail> refused(LegacyMigrations.InstancesRefusedException e) {
        ProblemDetail p = Problems.of(Problems.Type.LEGACY_MIGRATION_REFUSED, e.getMessage());
        p.setProperty("counts", e.report().counts());
        p.setProperty("instances", e.report().instances());
        return Problems.response(p);
    }
}
