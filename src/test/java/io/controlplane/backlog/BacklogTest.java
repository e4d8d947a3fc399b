package io.controlplane.backlog;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.telemetry.TelemetryAudit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The Operations Backlog: validated manual items, the board's columns and ordering, status moves, telemetry-gap
 * findings becoming one item each, and the release-readiness gate naming an open gap item until it is done. The
 * database is shared with other tests: every assertion is about this test's own items.
 */
@IntegrationTest
class BacklogTest {
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

    private static Map<String, Object> body(String title, String stage, String category, int impact, int effort) {
        Map<String, Object> b = new HashMap<>();
        b.put("title", title);
        b.put("description", "why it matters");
        b.put("stage", stage);
        b.put("category", category);
        b.put("kpi", "approval-latency");
        b.put("readinessArtifact", "plan_approval_packet.md");
        b.put("impact", impact);
        b.put("effort", effort);
        b.put("ownerRole", "operations-command");
        return b;
    }

    private static Map<String, Object> with(Map<String, Object> b, String field, Object value) {
        Map<String, Object> copy = new HashMap<>(b);
        copy.put(field, value);
        return copy;
    }

    private List<String> badFields(Map<String, Object> b) {
        Http.Response r = http.post("/api/backlog", "mo", b);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        r.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        return fields;
    }

    @Test
    void aManualItemIsCreatedWithItsPriorityAndALegacyStageName() {
        Http.Response r = http.post(
                "/api/backlog", "mo", body("Approval UX polish " + UUID.randomUUID(), "Plan", "approval_ux", 4, 3));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode item = r.json();
        assertThat(r.header("Location"))
                .isEqualTo("/api/backlog/" + item.path("id").asLong());
        assertThat(item.path("stage").asText()).isEqualTo("PLAN_APPROVE");
        assertThat(item.path("stageName").asText()).isEqualTo("Plan & Approve");
        assertThat(item.path("category").asText()).isEqualTo("approval_ux");
        assertThat(item.path("kpi").asText()).isEqualTo("approval-latency");
        assertThat(item.path("priority").decimalValue()).isEqualByComparingTo("1.33");
        assertThat(item.path("status").asText()).isEqualTo("OPEN");
        assertThat(item.path("source").asText()).isEqualTo("MANUAL");
        assertThat(item.has("version"))
                .as("the version travels as the ETag header")
                .isFalse();
        assertThat(r.header("ETag")).isEqualTo("\"backlog-" + item.path("id").asLong() + "-v0\"");
        assertThat(item.path("ownerRole").asText()).isEqualTo("operations-command");

        assertThat(http.post("/api/backlog", "agent", body("Agents may not", "define", "intake_prompts", 1, 1))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void everyBadFieldIsNamed() {
        Map<String, Object> good = body("Risk matrix", "plan_approve", "risk_matrix_automation", 3, 2);
        assertThat(badFields(with(good, "stage", "launch"))).containsExactly("stage");
        assertThat(badFields(with(good, "category", "oauth_automation"))).containsExactly("category");
        assertThat(badFields(with(good, "impact", 0))).containsExactly("impact");
        assertThat(badFields(with(good, "impact", 6))).containsExactly("impact");
        assertThat(badFields(with(good, "effort", 0))).containsExactly("effort");
        assertThat(badFields(with(good, "kpi", "happiness"))).containsExactly("kpi");
        assertThat(badFields(with(good, "ownerRole", "agent-runtime"))).containsExactly("ownerRole");
        assertThat(badFields(with(good, "readinessArtifact", "launch.md"))).containsExactly("readinessArtifact");
        assertThat(badFields(with(good, "title", null))).containsExactly("title");
        assertThat(badFields(with(good, "title", "x".repeat(201)))).containsExactly("title");

        Map<String, Object> allBad = with(
                with(with(with(with(good, "title", " "), "category", "toolkit_catalog"), "impact", 9), "kpi", "nps"),
                "ownerRole",
                "ceo");
        assertThat(badFields(allBad)).containsExactlyInAnyOrder("title", "category", "impact", "kpi", "ownerRole");
    }

    @Test
    void theBoardHasFiveColumnsInJourneyOrderSortedByPriorityThenAge() {
        String tag = "Board " + UUID.randomUUID() + " ";
        long low = create(body(tag + "low", "reflect_improve", "library_tagging", 2, 4)); // 0.50
        long first = create(body(tag + "even-1", "reflect_improve", "training_content", 3, 3)); // 1.00
        long high = create(body(tag + "high", "reflect_improve", "feedback_classification", 5, 1)); // 5.00
        long second = create(body(tag + "even-2", "reflect_improve", "library_tagging", 4, 4)); // 1.00
        long finished = create(body(tag + "done", "reflect_improve", "library_tagging", 5, 2));
        assertThat(patch(finished, "kc", "DONE").status()).isEqualTo(200);

        JsonNode columns = http.get("/api/backlog/board", "ta").json().path("columns");
        List<String> stages = new ArrayList<>();
        columns.forEach(c -> stages.add(c.path("stage").asText()));
        assertThat(stages).containsExactly("DEFINE", "PREPARE", "PLAN_APPROVE", "EXECUTE_OBSERVE", "REFLECT_IMPROVE");
        assertThat(columns.get(4).path("stageName").asText()).isEqualTo("Reflect & Improve");
        List<Long> mine = new ArrayList<>();
        columns.get(4).path("items").forEach(i -> {
            if (i.path("title").asText().startsWith(tag)) {
                mine.add(i.path("id").asLong());
            }
        });
        assertThat(mine).containsExactly(high, first, second, low);
        for (int c = 0; c < 4; c++) {
            assertThat(columns.get(c).path("items").findValuesAsText("title")).noneMatch(t -> t.startsWith(tag));
        }

        JsonNode categories = http.get("/api/backlog/categories", "kc").json().path("items");
        assertThat(categories.get(1).path("stage").asText()).isEqualTo("PREPARE");
        List<String> prepare = new ArrayList<>();
        categories.get(1).path("categories").forEach(n -> prepare.add(n.asText()));
        assertThat(prepare).containsExactly("oauth_automation", "toolkit_catalog", "data_sampling");
    }

    @Test
    void statusMovesForwardOnly() {
        long id = create(body("Undo coverage " + UUID.randomUUID(), "plan_approve", "undo_plan_coverage", 3, 1));
        // the status in any case; answered in the API's one casing
        Http.Response started = patch(id, "oc", "in_progress");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.json().path("status").asText()).isEqualTo("IN_PROGRESS");

        Http.Response back = patch(id, "oc", "OPEN");
        assertThat(back.status()).isEqualTo(400);
        assertThat(back.json().path("errors").findValuesAsText("field")).containsExactly("status");
        assertThat(patch(id, "oc", "closed").status()).isEqualTo(400);

        Http.Response done = patch(id, "oc", "DONE");
        assertThat(done.json().path("status").asText()).isEqualTo("DONE");
        assertThat(http.get("/api/backlog/" + id, "oc").json().path("status").asText())
                .isEqualTo("DONE");
        assertThat(patch(id, "oc", "IN_PROGRESS").status()).isEqualTo(400);
        assertThat(http.send(
                                "PATCH",
                                "/api/backlog/999999999",
                                "oc",
                                Map.of("status", "DONE"),
                                Map.of("If-Match", "\"backlog-999999999-v0\""))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aTelemetryGapBecomesOneItemAndHoldsTheReleaseGateUntilDone() {
        String mission = drive.start("mo", JourneyDriver.brief("Backlog gap"));
        drive.complete(
                mission,
                Elements.INTENT_CONFIRMATION,
                "gv",
                Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
        drive.agent(mission, Topics.DATA_INSPECT, drive.coverage(90));
        drive.authorizeToolkits(mission);
        MapSqlParameterSource m = new MapSqlParameterSource("m", mission);
        jdbc.update("DELETE FROM telemetry_events WHERE mission_id = :m AND name = 'scope_granted'", m);

        Instant now = Instant.now();
        audit.audit(true, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)), mission);
        audit.audit(true, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)), mission);

        long gap = jdbc.queryForObject(
                "SELECT id FROM telemetry_gaps WHERE mission_id = :m AND event_name = 'scope_granted'", m, Long.class);
        List<Map<String, Object>> items = jdbc.queryForList(
                "SELECT * FROM backlog_items WHERE source = 'TELEMETRY_GAP' " + "AND source_ref = :ref",
                new MapSqlParameterSource("ref", String.valueOf(gap)));
        assertThat(items).as("audited twice, one item").hasSize(1);
        long id = ((Number) items.get(0).get("id")).longValue();
        JsonNode item = http.get("/api/backlog/" + id, "ta").json();
        assertThat(item.path("stage").asText()).isEqualTo("PREPARE");
        assertThat(item.path("category").asText()).isEqualTo("data_sampling");
        assertThat(item.path("readinessArtifact").asText()).isEqualTo("prepare_toolkit_attestation.md");
        assertThat(item.hasNonNull("kpi")).as("no KPI").isFalse();
        assertThat(item.path("impact").asInt()).isEqualTo(3);
        assertThat(item.path("effort").asInt()).isEqualTo(2);
        assertThat(item.path("ownerRole").asText()).isEqualTo("telemetry-analyst");
        assertThat(item.path("missionId").asText()).isEqualTo(mission);
        assertThat(item.path("title").asText()).contains("scope_granted").contains(mission);

        JsonNode red = http.get("/api/release/readiness", "oc").json();
        assertThat(red.path("status").asText()).isEqualTo("RED");
        assertThat(reasonFor(red, id).path("kind").asText()).isEqualTo("TELEMETRY_GAP");
        assertThat(reasonFor(red, id)).as("the gate names the open gap item").isNotNull();
        assertThat(reasonFor(red, id).path("message").asText())
                .contains("#" + id)
                .contains(item.path("title").asText());

        assertThat(patch(id, "ta", "DONE").status()).isEqualTo(200);
        JsonNode after = http.get("/api/release/readiness", "oc").json();
        assertThat(reasonFor(after, id))
                .as("a done item no longer holds the gate")
                .isNull();

        audit.audit(true, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)), mission);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM backlog_items WHERE source = 'TELEMETRY_GAP' " + "AND source_ref = :ref",
                        new MapSqlParameterSource("ref", String.valueOf(gap)),
                        Long.class))
                .as("a done item is not raised again")
                .isEqualTo(1);
    }

    @Test
    void aSourceCreatesItsItemOnce(@Autowired BacklogService backlog) {
        String ref = "INC-" + UUID.randomUUID();
        BacklogRequest request = new BacklogRequest(
                "Post-incident: pager tooling",
                null,
                "execute_observe",
                "incident_tooling",
                null,
                null,
                4,
                2,
                "operations-command");
        BacklogService.Item first = backlog.fromSource("POST_INCIDENT_REVIEW", ref, request, null);
        BacklogService.Item again = backlog.fromSource("POST_INCIDENT_REVIEW", ref, request, null);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(first.source()).isEqualTo("POST_INCIDENT_REVIEW");
        assertThat(first.sourceRef()).isEqualTo(ref);
        assertThat(first.priority()).isEqualByComparingTo("2.00");
    }

    /** A status change as a client makes it: with the item's ETag in If-Match. */
    private Http.Response patch(long id, String user, String status) {
        return http.sendIfMatch("PATCH", "/api/backlog/" + id, "/api/backlog/" + id, user, Map.of("status", status));
    }

    private static JsonNode reasonFor(JsonNode readiness, long itemId) {
        for (JsonNode r : readiness.path("reasons")) {
            if (r.path("itemId").asLong(-1) == itemId) {
                return r;
            }
        }
        return null;
    }

    private long create(Map<String, Object> b) {
        Http.Response r = http.post("/api/backlog", "mo", b);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asLong();
    }
}
