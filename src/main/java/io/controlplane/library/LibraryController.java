package io.controlplane.library;

import io.controlplane.platform.Page;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/library/assets}: the reusable plays, most reused first, with their average rating. */
@RestController
class LibraryController {
    private final Library library;

    LibraryController(Library library) {
        this.library = library;
    }

    @Operation(summary = "The knowledge library's assets, most reused first")
    @GetMapping("/api/library/assets")
    Page<Library.Asset> assets(
            @RequestParam(required = false) String persona,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size) {
        Page.Request paging = Page.Request.of(page, size);
        return library.page(persona == null || persona.isBlank() ? null : persona.strip(), paging);
    }
}
