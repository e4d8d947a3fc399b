package io.controlplane.rhythm;

import io.controlplane.platform.InvalidInputException;
import io.controlplane.rhythm.Rhythm.Meeting;
import io.controlplane.rhythm.Rhythm.Vars;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstanceWithVariables;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/meetings/{type}/runs}: runs a meeting of the rhythm now, as its timer would — the same process,
 * digest, notes and Slack post — for a team that cannot wait for the next 9:00 (a fresh demo, an incident week). The
 * timer keeps its schedule. Who asked is recorded on the run ({@link Vars#MEETING_REQUESTED_BY}, seen in Cockpit).
 * A rerun of the monthly retrospective starts no KPI miss investigation twice (the digest checks).
 */
@RestController
class MeetingRunController {
    /** What a run answers: where its notes are, and the process instance Cockpit shows. */
    record Run(
            String type,
            String title,
            long meetingNoteId,
            String processInstanceId,
            String businessKey,
            String requestedBy) {}

    private final RuntimeService runtime;

    MeetingRunController(RuntimeService runtime) {
        this.runtime = runtime;
    }

    @Operation(
            summary = "Run a meeting now, as its timer would",
            responses = {
                @ApiResponse(
                        responseCode = "201",
                        description = "Started: the run; Location names its notes",
                        useReturnTypeSchema = true)
            })
    @PostMapping("/api/meetings/{type}/runs")
    ResponseEntity<Run> run(@PathVariable String type, Authentication auth) {
        Meeting meeting = Meeting.fromType(type)
                .orElseThrow(() -> new InvalidInputException(
                        "type",
                        "must be one of "
                                + Arrays.stream(Meeting.values())
                                        .map(Meeting::type)
                                        .toList()));
        // the digest is compiled and stored in this transaction (the process has no wait state before the post,
        // which goes out through the notification delivery process: retried, then a Cockpit incident)
        ProcessInstanceWithVariables instance = runtime.createProcessInstanceByKey(meeting.processKey())
                .setVariables(Map.of(Vars.MEETING_REQUESTED_BY, auth.getName()))
                .executeWithVariablesInReturn();
        long noteId = Rhythm.Typed.MEETING_NOTE_ID.required(instance.getVariables());
        return ResponseEntity.created(URI.create("/api/meetings/" + noteId))
                .body(new Run(
                        meeting.type(),
                        Rhythm.Typed.MEETING_TITLE.orNull(instance.getVariables()),
                        noteId,
                        instance.getId(),
                        instance.getBusinessKey(),
                        auth.getName()));
    }
}
