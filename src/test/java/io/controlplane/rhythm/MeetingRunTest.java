package io.controlplane.rhythm;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.incident.Runbooks;
import io.controlplane.rhythm.Rhythm.Meeting;
import io.controlplane.rhythm.Rhythm.Vars;
import java.util.Date;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code POST /api/meetings/{type}/runs}: operations command runs a meeting now (issue #15, defect 8: a fresh run had
 * no way to make a meeting happen); the run is the timer's process with its notes and Slack post, says who asked, and
 * leaves the timer's schedule alone. Anyone else, or a meeting type that does not exist, changes nothing.
 */
@IntegrationTest
class MeetingRunTest {
    @Autowired
    ProcessEngine engine;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    @Test
    void operationsCommandRunsTheDailyStandupNowAsItsTimerWould() {
        Http http = new Http(port);
        Date due = timer(Meeting.DAILY_STANDUP).getDuedate();

        Http.Response run = http.post("/api/meetings/daily-standup/runs", "oc", null);

        assertThat(run.status()).as(run.body()).isEqualTo(201);
        long noteId = run.json().path("meetingNoteId").asLong();
        assertThat(run.header("Location")).isEqualTo("/api/meetings/" + noteId);
        assertThat(run.json().path("requestedBy").asText()).isEqualTo("oc");
        assertThat(run.json().path("businessKey").asText())
                .startsWith("daily-standup-")
                .endsWith("-" + noteId);
        Http.Response note = http.get("/api/meetings/" + noteId, "ta");
        assertThat(note.status()).isEqualTo(200);
        assertThat(note.json().path("type").asText()).isEqualTo("daily-standup");
        String instance = run.json().path("processInstanceId").asText();
        assertThat(note.json().path("processInstanceId").asText()).isEqualTo(instance);
        assertThat(engine.getHistoryService()
                        .createHistoricVariableInstanceQuery()
                        .processInstanceId(instance)
                        .variableName(Vars.MEETING_REQUESTED_BY)
                        .singleResult()
                        .getValue())
                .isEqualTo("oc");
        // the post goes out as the timer's does: through the delivery process (retried, then an incident)
        assertThat(engine.getRuntimeService()
                        .createProcessInstanceQuery()
                        .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                        .processInstanceBusinessKey(
                                run.json().path("businessKey").asText())
                        .count())
                .isEqualTo(1);
        assertThat(timer(Meeting.DAILY_STANDUP).getDuedate())
                .as("the timer keeps its schedule")
                .isEqualTo(due);
    }

    @Test
    void anyoneElseOrAnUnknownMeetingIsRefusedAndNoMeetingRuns() {
        Http http = new Http(port);
        long notes = notes();
        for (String user : new String[] {"mo", "gv", "ta", "kc", "agent"}) {
            assertThat(http.post("/api/meetings/daily-standup/runs", user, null).status())
                    .as(user)
                    .isEqualTo(403);
        }
        assertThat(http.post("/api/meetings/daily-standup/runs", null, null).status())
                .isEqualTo(401);
        Http.Response unknown = http.post("/api/meetings/standup/runs", "oc", null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("type").contains("daily-standup").contains("quarterly-planning");
        assertThat(notes()).isEqualTo(notes);
    }

    private Job timer(Meeting meeting) {
        return engine.getManagementService()
                .createJobQuery()
                .processDefinitionKey(meeting.processKey())
                .timers()
                .singleResult();
    }

    private long notes() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM meeting_notes", Long.class);
    }
}
