package io.controlplane.mission;

import io.controlplane.platform.ApiAccess;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/missions}: start a mission, read its stage, open checkpoints, approvals and evidence. */
@RestController
@RequestMapping("/api/missions")
class MissionController {
    private final MissionService missions;
    private final AgentRuns agentRuns;

    MissionController(MissionService missions, AgentRuns agentRuns) {
        this.missions = missions;
        this.agentRuns = agentRuns;
    }

    @Operation(
            summary = "Start a mission from a brief",
            responses = {
                @ApiResponse(
                        responseCode = "201",
                        description = "Started: the mission as GET /api/missions/{id} answers it; Location names it",
                        useReturnTypeSchema = true)
            })
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<MissionService.MissionView> start(@RequestBody MissionRequest request, Authentication caller) {
        MissionService.MissionView view = missions.start(request, caller.getName(), ApiAccess.groupsOf(caller));
        return ResponseEntity.created(URI.create("/api/missions/" + view.id())).body(view);
    }

    @Operation(summary = "One mission: brief, stage, status, open tasks, approvals and evidence")
    @GetMapping("/{id}")
    MissionService.MissionView get(@PathVariable String id, Authentication caller) {
        MissionService.MissionView view = missions.view(id);
        requireReadable(view.owner(), caller);
        return view;
    }

    /** A mission owner reads only their own missions (docs/security.md); the other roles read every mission. */
    private static void requireReadable(String owner, Authentication caller) {
        if (ApiAccess.readsOnlyOwnMissions(caller) && !caller.getName().equals(owner)) {
            throw new AccessDeniedException("Mission owners read only their own missions");
        }
    }

    @Operation(summary = "Missions, newest first, a page at a time (a mission owner's own only)")
    @GetMapping
    ResponseEntity<Page<MissionService.MissionSummary>> list(
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size,
            Authentication caller) {
        Page.Request paging = Page.Request.of(page, size);
        StageFilter filter = StageFilter.parse(stage);
        MissionStore.Status statusFilter = null;
        if (status != null && !status.isBlank()) {
            try {
                statusFilter = MissionStore.Status.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                        "status", "must be one of " + Arrays.toString(MissionStore.Status.values()));
            }
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        filter.deprecationHeaders(ok);
        String owner = ApiAccess.readsOnlyOwnMissions(caller) ? caller.getName() : null;
        return ok.body(missions.list(filter.stage(), statusFilter, owner, paging.page(), paging.size()));
    }

    /** The agent ledger of one mission: its runs, page by page, with totals per agent and against the budget. */
    @GetMapping("/{id}/agent-runs")
    @Operation(summary = "A mission's agent ledger: its runs, with totals per agent and against the budget")
    AgentRuns.Page agentRuns(
            @PathVariable String id,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size,
            Authentication caller) {
        Page.Request paging = Page.Request.of(page, size);
        requireReadable(missions.owner(id), caller);
        return agentRuns.page(id, paging.page(), paging.size());
    }

    @Operation(summary = "A stage's rendered readiness artifact (Markdown), once the stage has ended")
    @GetMapping(
            value = "/{id}/evidence/{stage}",
            produces = {"text/markdown", MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<String> evidence(@PathVariable String id, @PathVariable String stage, Authentication caller) {
        StageFilter filter = StageFilter.parse(stage);
        if (filter.stage() == null) {
            throw new InvalidInputException("stage", "is required");
        }
        requireReadable(missions.owner(id), caller);
        ResponseEntity.BodyBuilder ok =
                ResponseEntity.ok().contentType(new MediaType("text", "markdown", StandardCharsets.UTF_8));
        filter.deprecationHeaders(ok);
        return ok.body(missions.evidence(id, filter.stage()));
    }
}
