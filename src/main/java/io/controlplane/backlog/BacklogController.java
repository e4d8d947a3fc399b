package io.controlplane.backlog;

import io.controlplane.mission.Stage;
import io.controlplane.platform.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/backlog}: the Operations Backlog board, its categories, new items and status changes (who: ApiAccess). */
@RestController
@RequestMapping("/api/backlog")
class BacklogController {
    record StatusChange(String status) {
    }

    record CategoryGroup(Stage stage, String stageName, List<String> categories) {
    }

    private final BacklogService backlog;

    BacklogController(BacklogService backlog) {
        this.backlog = backlog;
    }

    @Operation(
            summary = "Raise an operations backlog item",
            responses = {
                    @ApiResponse(
                            responseCode = "201",
                            description = "Created: the item; Location names it",
                            useReturnTypeSchema = true)})
    @PostMapping
    ResponseEntity<BacklogService.Item> create(@RequestBody(required = false) BacklogRequest request) {
        BacklogService.Item item = backlog.create(request);
        return ResponseEntity.created(URI.create("/api/backlog/" + item.id())).body(item);
    }

    @Operation(summary = "One backlog item")
    @GetMapping("/{id:\\d+}")
    BacklogService.Item get(@PathVariable long id) {
        return backlog.get(id);
    }

    @Operation(summary = "Move a backlog item's status forward (open, in_progress, done)")
    @PatchMapping("/{id:\\d+}")
    BacklogService.Item changeStatus(@PathVariable long id, @RequestBody(required = false) StatusChange change) {
        if (change == null || change.status() == null) {
            throw new InvalidInputException("status", "is required: open, in_progress or done");
        }
        return backlog.changeStatus(id, change.status());
    }

    @Operation(summary = "The backlog board: open and in-progress items by stage, by priority")
    @GetMapping("/board")
    Map<String, List<BacklogService.Column>> board() {
        return Map.of("columns", backlog.board());
    }

    @Operation(summary = "The backlog categories of each stage")
    @GetMapping("/categories")
    Map<String, List<CategoryGroup>> categories() {
        return Map.of("stages", Arrays.stream(Stage.values())
                .map(s -> new CategoryGroup(s, s.displayName(), BacklogCatalog.CATEGORIES.get(s))).toList());
    }
}
