package io.controlplane.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.IntegrationTest;
import io.controlplane.mission.MissionJourney;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Cockpit dashboard plugin: its script is served where Cockpit loads custom scripts, and the endpoints it calls
 * answer a browser logged in to Cockpit (session, no Basic credentials) with the shapes the script reads.
 */
@IntegrationTest
class CockpitPluginTest {
    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    io.controlplane.JourneyDriver drive;

    private final CookieManager cookies = new CookieManager();
    private final HttpClient browser =
            HttpClient.newBuilder().cookieHandler(cookies).build();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String xsrfToken() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse("");
    }

    @Test
    void thePluginIsServedAndItsEndpointsAnswerTheCockpitSession() throws Exception {
        HttpResponse<String> config = get("/camunda/app/cockpit/scripts/config.js");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("customScripts: ['control-plane/dashboard']");
        HttpResponse<String> script = get("/camunda/app/cockpit/control-plane/dashboard.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body())
                .contains(
                        "pluginPoint: 'cockpit.dashboard'",
                        "/api/kpis",
                        "/api/stages/rollup",
                        "/api/boards/safeguard-compliance",
                        "/api/boards/undo-readiness",
                        "/api/boards/feedback-insights");

        assertThat(get("/api/kpis").statusCode()).as("no session yet").isEqualTo(401);
        logInToCockpit("ta");

        HttpResponse<String> kpiResponse = get("/api/kpis");
        // reading /api must leave the Cockpit session alone: a new session id would log Cockpit out mid-page
        assertThat(kpiResponse.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("JSESSIONID"));
        assertThat(get("/camunda/api/engine/engine/default/process-definition/count")
                        .statusCode())
                .isEqualTo(200);
        JsonNode kpis = json.readTree(kpiResponse.body());
        assertThat(kpis.path("kpis")).hasSize(6);
        assertThat(kpis.path("kpis").get(0).has("met")).isTrue();
        JsonNode rollup = json.readTree(get("/api/stages/rollup").body());
        assertThat(rollup.path("items")).hasSize(5);
        assertThat(rollup.path("items").get(0).has("missionsEntered")).isTrue();
        assertThat(rollup.path("from").asText()).isNotEmpty();
        assertThat(rollup.path("to").asText()).isNotEmpty();
        assertThat(json.readTree(get("/api/boards/safeguard-compliance").body()).has("autoFixAdoption"))
                .isTrue();
        assertThat(json.readTree(get("/api/boards/undo-readiness").body()).has("undoCoverage"))
                .isTrue();
        assertThat(json.readTree(get("/api/boards/feedback-insights").body()).has("averageRating"))
                .isTrue();
        // the open incidents: a page, counted by its total (a page holds at most 50 of them)
        JsonNode incidents = json.readTree(get("/api/incidents?status=OPEN").body());
        assertThat(incidents.path("items").isArray()).isTrue();
        assertThat(incidents.path("total").isIntegralNumber()).isTrue();
        assertThat(script.body()).contains("/api/incidents?status=OPEN", "report.total");

        // the session only reads: writes still need HTTP Basic
        HttpResponse<String> write = browser.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/missions"))
                        .header("Content-Type", "application/json")
                        .header("X-XSRF-TOKEN", xsrfToken())
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).isEqualTo(401);
    }

    private void logInToCockpit(String user) throws Exception {
        get("/camunda/app/cockpit/default/");
        HttpResponse<String> login = browser.send(
                HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + port + "/camunda/api/admin/auth/user/default/login/cockpit"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-XSRF-TOKEN", xsrfToken())
                        .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=demo"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    }

    /**
     * What a page on another site can make a logged-in analyst's browser send: a GET that asked the audit to record
     * is refused (the preview records nothing), and no write of any method authenticates with the session cookie.
     */
    @Test
    void theCockpitSessionNeverWrites() throws Exception {
        // a mission with a gap the audit would record
        String id = drive.start("mo", io.controlplane.JourneyDriver.brief("Cockpit session audit"));
        drive.confirmIntent(id);
        drive.agent(id, MissionJourney.Topics.DATA_INSPECT, drive.coverage(90));
        drive.authorizeToolkits(id);
        jdbc.update("DELETE FROM telemetry_events WHERE mission_id = ? AND name = 'scope_granted'", id);
        logInToCockpit("ta");
        long gaps = countGaps();
        HttpResponse<String> check = get("/api/telemetry/audit?mode=check&from=2000-01-01&to=2100-01-01");
        assertThat(check.statusCode()).as(check.body()).isEqualTo(400);
        assertThat(check.body()).contains("POST /api/telemetry/audit");
        assertThat(get("/api/telemetry/audit?from=2000-01-01&to=2100-01-01").statusCode())
                .isEqualTo(200);
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            for (String path : new String[] {
                "/api/telemetry/audit", "/api/missions", "/api/backlog", "/api/meetings/1/decisions", "/api/backlog/1"
            }) {
                HttpResponse<String> write = browser.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .header("Content-Type", "application/json")
                                .header("X-XSRF-TOKEN", xsrfToken())
                                .method(
                                        method,
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"from\":\"2000-01-01\",\"to\":\"2100-01-01\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(write.statusCode())
                        .as(method + " " + path + ": " + write.body())
                        .isEqualTo(401);
            }
        }
        assertThat(countGaps()).as("telemetry-gap findings").isEqualTo(gaps);
    }

    private long countGaps() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM telemetry_gaps", Long.class);
    }
}
