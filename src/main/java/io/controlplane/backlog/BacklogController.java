package io.controlplane.backlog;

import io.controlplane.mission.Stage;
import io.controlplane.platform.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/** {@code /api/backlog}: the Operations Backlog board, its categories, new items and status changes (who: ApiAccess). */
@RestController
@RequestMapping("/api/backlog")
class BacklogController {
    record StatusChange(String status) {}

    record CategoryGroup(Stage stage, String stageName, List<String> categories) {}

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
                        useReturnTypeSchema = true)
            })
    @PostMapping
    ResponseEntity<BacklogService.Item> create(@RequestBody(required = false) BacklogRequest request) {
        BacklogService.Item item = backlog.create(request);
        return ResponseEntity.created(URI.create("/api/backlog/" + item.id()))
                .eTag(item.etag())
                .body(item);
    }

    /** The item with its version as a strong {@code ETag}; {@code If-None-Match} with it answers 304. */
    @Operation(summary = "One backlog item")
    @GetMapping("/{id:\\d+}")
    ResponseEntity<BacklogService.Item> get(@PathVariable long id, WebRequest request) {
        BacklogService.Item item = backlog.get(id);
        if (request.checkNotModified(item.etag())) {
            return null; // 304, already written
        }
        return ResponseEntity.ok().eTag(item.etag()).body(item);
    }

    /** A conditional update: {@code If-Match} with the item's ETag (428 without, 412 when it changed since). */
    @Operation(summary = "Move a backlog item's status forward (open, in_progress, done)")
    @PatchMapping("/{id:\\d+}")
    ResponseEntity<BacklogService.Item> changeStatus(
            @PathVariable long id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody(required = false) StatusChange change) {
        BacklogService.Item item = backlog.changeStatus(id, change == null ? null : change.status(), ifMatch);
        return ResponseEntity.ok().eTag(item.etag()).body(item);
    }

    @Operation(summary = "The backlog board: open and in-progress items by stage, by priority")
    @GetMapping("/board")
    Map<String, List<BacklogService.Column>> board() {
        return Map.of("columns", backlog.board());
    }

    /** The catalog is the code's own (five stages): paged like every list, cut in memory. */
    @Operation(summary = "The backlog categories of each stage")
    @GetMapping("/categories")
    Page<CategoryGroup> categories(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size) {
        return Page.slice(
                Page.Request.of(page, size),
                Arrays.stream(Stage.values())
                        .map(s -> new CategoryGroup(s, s.displayName(), BacklogCatalog.CATEGORIES.get(s)))
                        .toList());
    }
}
