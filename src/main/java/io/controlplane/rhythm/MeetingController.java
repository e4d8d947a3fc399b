package io.controlplane.rhythm;

import io.controlplane.mission.StageFilter;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.Page;
import io.controlplane.rhythm.Rhythm.Meeting;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Arrays;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * {@code /api/meetings}: the operating rhythm's meeting notes, searchable by stage tag and meeting type, exported as
 * Markdown; the meeting's decisions are filled in by the roles that run the rhythm.
 */
@RestController
@RequestMapping("/api/meetings")
class MeetingController {
    static final String MARKDOWN = "text/markdown";
    // who reads the notes and who records decisions: platform/ApiAccess

    /** {@code PUT /api/meetings/{id}/decisions} body. */
    record Decisions(String decisions) {}

    private final MeetingNotes notes;

    MeetingController(MeetingNotes notes) {
        this.notes = notes;
    }

    @Operation(summary = "Meeting notes of the operating rhythm, newest first")
    @GetMapping
    ResponseEntity<Page<MeetingNotes.Summary>> list(
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String type,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Page.DEFAULT_SIZE) int size) {
        Page.Request paging = Page.Request.of(page, size);
        StageFilter filter = StageFilter.parse(stage);
        Meeting meeting = null;
        if (type != null && !type.isBlank()) {
            meeting = Meeting.fromType(type.strip())
                    .orElseThrow(() -> new InvalidInputException(
                            "type",
                            "must be one of "
                                    + Arrays.stream(Meeting.values())
                                            .map(Meeting::type)
                                            .toList()));
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        filter.deprecationHeaders(response);
        return response.body(notes.list(filter.stage(), meeting, paging));
    }

    /** The notes as JSON, or as the Markdown file of {@code docs/readiness/ops_meeting_notes/} for {@code Accept: text/markdown}. */
    @Operation(
            summary = "One meeting's notes: JSON, or the Markdown file with Accept: text/markdown",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "The notes",
                        content = {
                            @Content(
                                    mediaType = "application/json",
                                    schema = @Schema(implementation = MeetingNotes.Note.class)),
                            @Content(mediaType = MARKDOWN, schema = @Schema(type = "string"))
                        })
            })
    @GetMapping("/{id:\\d+}")
    ResponseEntity<?> get(
            @PathVariable long id,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            WebRequest request) {
        if (accept != null && accept.contains(MARKDOWN)) {
            return markdown(id);
        }
        // the JSON carries the version as a strong ETag (the Markdown export does not: a file, not what one edits)
        MeetingNotes.Note note = notes.get(id);
        if (request.checkNotModified(note.etag())) {
            return null; // 304, already written
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .eTag(note.etag())
                .body(note);
    }

    private ResponseEntity<String> markdown(long id) {
        MeetingNotes.Note note = notes.get(id);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(MARKDOWN + ";charset=UTF-8"))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "inline; filename=\"" + note.date() + "_" + note.type() + ".md\"")
                .body(MeetingMarkdown.document(note));
    }

    /** The same Markdown for a browser or curl without an Accept header. */
    @Operation(
            summary = "One meeting's notes as the Markdown file",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "The notes file",
                        content = @Content(mediaType = MARKDOWN, schema = @Schema(type = "string")))
            })
    @GetMapping("/{id:\\d+}/markdown")
    ResponseEntity<String> markdownFile(@PathVariable long id) {
        return markdown(id);
    }

    /**
     * A conditional update of the notes: {@code If-Match} with the ETag of {@code GET /api/meetings/{id}} (428
     * without, 412 when the notes changed since); the answer carries the new one.
     */
    @Operation(summary = "Record a meeting's decisions (replaces earlier text)")
    @PutMapping("/{id:\\d+}/decisions")
    ResponseEntity<MeetingNotes.Note> decide(
            @PathVariable long id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody(required = false) Decisions body,
            Authentication auth) {
        MeetingNotes.Note note = notes.decide(id, body == null ? null : body.decisions(), auth.getName(), ifMatch);
        return ResponseEntity.ok().eTag(note.etag()).body(note);
    }
}
