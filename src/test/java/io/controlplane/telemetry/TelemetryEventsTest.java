package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.platform.Page;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The engine emits its side of the telemetry catalog; agents post theirs, checked against the catalog. */
@IntegrationTest
class TelemetryEventsTest {
    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    TelemetryEvents telemetry;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    private String completedMission() {
        String id = drive.start("mo", JourneyDriver.brief("Telemetry"));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(90));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking("low/reversible", "medium/reversible"));
        drive.coSign(id, "gv", "oc");
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "one"));
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "two"));
        drive.complete(
                id,
                Elements.MISSION_FEEDBACK,
                "mo",
                Map.of(Vars.FEEDBACK_RATING, 4L, Vars.EFFORT_SAVED_HOURS, 2L, Vars.FEEDBACK_SATISFACTION, "satisfied"));
        drive.complete(id, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_CURATOR, "kc", Map.of(Vars.CURATOR_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
        return id;
    }

    @Test
    void theEngineEmitsItsSideOfTheCatalogAtTheRightStages() {
        String id = completedMission();
        List<TelemetryEvents.Event> events =
                telemetry.page(id, null, Page.Request.of(0, Page.MAX_SIZE)).items();
        assertThat(events)
                .extracting(TelemetryEvents.Event::name)
                .contains(
                        "intent_submitted",
                        "safeguard_added",
                        "mission_brief_locked",
                        "data_preview_generated",
                        "scope_granted",
                        "readiness_status_changed",
                        "planner_candidate_generated",
                        "plan_ranked",
                        "validator_scope_check",
                        "approval_requested",
                        "approval_granted",
                        "plan_approved",
                        "execution_started",
                        "execution_step_completed",
                        "undo_available",
                        "evidence_bundle_generated",
                        "feedback_submitted",
                        "library_contribution",
                        "mission_retrospective_logged",
                        "mission_completed");
        assertThat(events)
                .allSatisfy(e -> assertThat(TelemetryCatalog.ofName(e.name())
                                .orElseThrow()
                                .stage()
                                .map(Enum::name)
                                .orElse(e.stage()))
                        .as(e.name())
                        .isEqualTo(e.stage()));
        assertThat(telemetry.count("safeguard_added", id)).isEqualTo(3);
        assertThat(telemetry.count("approval_granted", id)).isEqualTo(3);
        assertThat(telemetry.count("execution_step_completed", id)).isEqualTo(2);
        assertThat(telemetry.count("mission_completed", id)).isEqualTo(1);
    }

    @Test
    void agentsPostTheirEventsAndBadOnesAreRefusedWithoutStoringAnything() {
        String id = drive.start("mo", JourneyDriver.brief("Agent telemetry"));
        Http.Response ok = http.post(
                "/api/telemetry/events",
                "agent",
                Map.of(
                        "name",
                        "toolkit_connected",
                        "missionId",
                        id,
                        "stage",
                        "PREPARE",
                        "attributes",
                        Map.of("toolkit", "hubspot")));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().path("agent").asText()).isEqualTo("agent");
        Http.Response legacy = http.post(
                "/api/telemetry/events",
                "agent",
                Map.of("name", "toolkit_connected", "missionId", id, "stage", "Toolkits & Connect"));
        assertThat(legacy.status()).isEqualTo(201);
        assertThat(legacy.header("Deprecation")).isEqualTo("true");
        assertThat(legacy.json().path("stage").asText()).isEqualTo("PREPARE");
        long stored = telemetry
                .page(id, null, Page.Request.of(0, Page.MAX_SIZE))
                .items()
                .size();

        Http.Response unknown =
                http.post("/api/telemetry/events", "agent", Map.of("name", "vibes_checked", "missionId", id));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errors").get(0).path("field").asText()).isEqualTo("name");
        Http.Response noMission =
                http.post("/api/telemetry/events", "agent", Map.of("name", "toolkit_connected", "missionId", "nope"));
        assertThat(noMission.json().path("errors").findValuesAsText("field")).containsExactly("missionId");
        Http.Response wrongStage = http.post(
                "/api/telemetry/events",
                "agent",
                Map.of("name", "toolkit_connected", "missionId", id, "stage", "EXECUTE_OBSERVE"));
        assertThat(wrongStage.status()).isEqualTo(400);
        assertThat(wrongStage.json().path("errors").get(0).path("message").asText())
                .contains("belongs to PREPARE");
        assertThat(http.post(
                                "/api/telemetry/events",
                                "agent",
                                Map.of("name", "toolkit_connected", "missionId", id, "stage", "launch"))
                        .status())
                .isEqualTo(400);
        assertThat(http.post("/api/telemetry/events", "mo", Map.of("name", "toolkit_connected", "missionId", id))
                        .status())
                .isEqualTo(403);
        assertThat(telemetry.page(id, null, Page.Request.of(0, Page.MAX_SIZE)).items())
                .hasSize((int) stored);
        Http.Response catalog = http.get("/api/telemetry/events/catalog", "ta");
        assertThat(catalog.json().path("items")).hasSize(TelemetryCatalog.values().length);
        assertThat(catalog.json().path("total").asInt()).isEqualTo(TelemetryCatalog.values().length);
        Http.Response listed = http.get("/api/telemetry/events?missionId=" + id + "&size=1&page=1", "ta");
        assertThat(listed.json().path("items")).hasSize(1);
        assertThat(listed.json().path("total").asLong()).isEqualTo(stored);
    }
}
