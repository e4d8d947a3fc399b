package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Topics;
import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Commands;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The weekly telemetry audit finds a deliberately missing event and a mis-staged one, and nothing on a clean mission. */
@IntegrationTest
class TelemetryAuditTest {
    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    TelemetryAudit audit;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    private String throughPrepare(String title) {
        String id = drive.start("mo", JourneyDriver.brief(title));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(90));
        drive.authorizeToolkits(id);
        return id;
    }

    private TelemetryAudit.Report audit(boolean check, String missionId) {
        Instant now = Instant.now();
        return audit.audit(check, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)), missionId);
    }

    @Test
    void aCleanMissionHasNoGaps() {
        String id = throughPrepare("Audit clean");
        TelemetryAudit.Report report = audit(true, id);
        assertThat(report.missions()).isEqualTo(1);
        assertThat(report.gaps()).isEmpty();
        assertThat(audit.openFindings(id)).isZero();
    }

    @Test
    void aMissingEventIsReportedWithItsStageAndRecordedOnceAsAFinding() {
        String id = throughPrepare("Audit gap");
        jdbc.update(
                "DELETE FROM telemetry_events WHERE mission_id = :m AND name = 'scope_granted'",
                new MapSqlParameterSource("m", id));
        jdbc.update(
                "UPDATE telemetry_events SET stage = 'PREPARE' WHERE mission_id = :m AND name = 'mission_brief_locked'",
                new MapSqlParameterSource("m", id));

        TelemetryAudit.Report report = audit(false, id);
        assertThat(report.gaps())
                .extracting(TelemetryAudit.Gap::event, TelemetryAudit.Gap::stage, TelemetryAudit.Gap::kind)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("scope_granted", "PREPARE", "MISSING"),
                        Tuple.tuple("mission_brief_locked", "PREPARE", "STAGE_MISMATCH"));
        assertThat(audit.openFindings(id)).as("report mode records nothing").isZero();

        audit(true, id);
        audit(true, id);
        assertThat(audit.openFindings(id))
                .as("check mode records each gap once")
                .isEqualTo(2);

        Http.Response api = http.get("/api/telemetry/audit?mode=report&missionId=" + id, "ta");
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.json().path("gaps").findValuesAsText("event"))
                .containsExactlyInAnyOrder("scope_granted", "mission_brief_locked");
        assertThat(http.get("/api/telemetry/audit?mode=fix", "ta").status()).isEqualTo(400);
    }

    /** A GET is a preview: asking it to record is refused and names the POST; the POST records, once per gap. */
    @Test
    void onlyThePostRecordsFindings() {
        String id = throughPrepare("Audit by POST");
        jdbc.update(
                "DELETE FROM telemetry_events WHERE mission_id = :m AND name = 'scope_granted'",
                new MapSqlParameterSource("m", id));

        Http.Response get = http.get("/api/telemetry/audit?mode=check&missionId=" + id, "ta");
        assertThat(get.status()).isEqualTo(400);
        assertThat(get.header("Content-Type")).startsWith("application/problem+json");
        assertThat(get.body()).contains("POST /api/telemetry/audit");
        assertThat(audit.openFindings(id)).as("a GET records nothing").isZero();
        assertThat(http.get("/api/telemetry/audit?missionId=" + id, "ta")
                        .json()
                        .path("gaps")
                        .findValuesAsText("event"))
                .containsExactly("scope_granted");
        assertThat(audit.openFindings(id)).isZero();

        String from = Instant.now().minus(Duration.ofHours(1)).toString();
        String to = Instant.now().plus(Duration.ofHours(1)).toString();
        Http.Response noWindow = http.post("/api/telemetry/audit", "ta", Map.of("missionId", id));
        assertThat(noWindow.status()).isEqualTo(400);
        assertThat(noWindow.json().path("errors").findValuesAsText("field")).containsExactly("from", "to");
        assertThat(http.post("/api/telemetry/audit", "oc", Map.of("from", from, "to", to, "missionId", id))
                        .status())
                .isEqualTo(403);
        assertThat(audit.openFindings(id)).isZero();

        Http.Response post = http.post("/api/telemetry/audit", "ta", Map.of("from", from, "to", to, "missionId", id));
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.json().path("mode").asText()).isEqualTo("CHECK");
        assertThat(post.json().path("gaps").findValuesAsText("event")).containsExactly("scope_granted");
        assertThat(audit.openFindings(id)).isEqualTo(1);
    }

    @Test
    void theCommandExitsNonZeroOnAGapAndZeroOnACleanHistory() {
        String id = throughPrepare("Audit command");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        // the command audits everything created in the window; scope it to this mission through the service
        TelemetryAudit scoped = new TelemetryAudit(jdbc) {
            @Override
            public Report audit(boolean check, Instant from, Instant to, String missionId) {
                return super.audit(check, from, to, id);
            }
        };
        assertThat(Commands.telemetryAudit(scoped, List.of("--mode=report"), print))
                .isZero();
        jdbc.update(
                "DELETE FROM telemetry_events WHERE mission_id = :m AND name = 'data_preview_generated'",
                new MapSqlParameterSource("m", id));
        assertThat(Commands.telemetryAudit(scoped, List.of("--mode=report"), print))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("GAP " + id + "  PREPARE  data_preview_generated  (MISSING)");
        // --mode=report is report mode (it used to run check mode silently and record findings)
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Telemetry audit (report)")
                .doesNotContain("(check)");
        assertThat(audit.openFindings(id)).as("report mode records nothing").isZero();
        assertThat(Commands.telemetryAudit(scoped, List.of("--mode", "check"), print))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Telemetry audit (check)");
    }
}
