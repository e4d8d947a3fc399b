package io.controlplane.rhythm;

import io.controlplane.mission.StageFilter;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.rhythm.Rhythm.Meeting;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
    record Decisions(String decisions) {
    }

    private final MeetingNotes notes;

    MeetingController(MeetingNotes notes) {
        this.notes = notes;
    }

    @Operation(summary = "Meeting notes of the operating rhythm, newest first")
    @GetMapping
    ResponseEntity<Map<String, List<MeetingNotes.Summary>>> list(@RequestParam(required = false) String stage,
                                                                 @RequestParam(required = false) String type,
                                                                 @RequestParam(defaultValue = "50") int limit) {
        StageFilter filter = StageFilter.parse(stage);
        Meeting meeting = null;
        if (type != null && !type.isBlank()) {
            meeting = Meeting.fromType(type.strip()).orElseThrow(() -> new InvalidInputException("type", "must be one of "
                    + Arrays.stream(Meeting.values()).map(Meeting::type).toList()));
        }
        if (limit < 1 || limit > 200) {
            throw new InvalidInputException("limit", "must be between 1 and 200");
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        filter.deprecationHeaders(response);
        return response.body(Map.of("meetings", notes.list(filter.stage(), meeting, limit)));
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
                                    @Content(mediaType = MARKDOWN, schema = @Schema(type = "string"))})})
    @GetMapping("/{id:\\d+}")
    ResponseEntity<?> get(@PathVariable long id, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        if (accept != null && accept.contains(MARKDOWN)) {
            return markdown(id);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(notes.get(id));
    }

    private ResponseEntity<String> markdown(long id) {
        MeetingNotes.Note note = notes.get(id);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(MARKDOWN + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + note.date() + "_" + note.type() + ".md\"")
                .body(MeetingMarkdown.document(note));
    }

    /** The same Markdown for a browser or curl without an Accept header. */
    @Operation(
            summary = "One meeting's notes as the Markdown file",
            responses = {
                    @ApiResponse(
                            responseCode = "200",
                            description = "The notes file",
                            content = @Content(mediaType = MARKDOWN, schema = @Schema(type = "string")))})
    @GetMapping("/{id:\\d+}/markdown")
    ResponseEntity<String> markdownFile(@PathVariable long id) {
        return markdown(id);
    }

    @Operation(summary = "Record a meeting's decisions (replaces earlier text)")
    @PutMapping("/{id:\\d+}/decisions")
    MeetingNotes.Note decide(@PathVariable long id, @RequestBody(required = false) Decisions body, Authentication auth) {
        return notes.decide(id, body == null ? null : body.decisions(), auth.getName());
    }
}
