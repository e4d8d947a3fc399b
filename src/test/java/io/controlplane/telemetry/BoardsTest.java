package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /api/boards/*} over HTTP. The database is shared with every other integration test, so each test reads a
 * board before and after driving its own missions in a window around today and asserts the exact deltas.
 */
@IntegrationTest
class BoardsTest {
    /** noon UTC today: inside no quiet window of the test brief (21:00–07:00 recipient time) */
    private static final Instant NOON =
            LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
    /** yesterday to the day after tomorrow: holds NOON, the steps' reported instants, and every write of the test */
    private static final String WINDOW =
            "?from=" + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "&to="
                    + LocalDate.now(ZoneOffset.UTC).plusDays(2);

    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    ProcessEngine engine;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    private JsonNode board(String name) {
        Http.Response r = http.get("/api/boards/" + name + WINDOW, "ta");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static long delta(JsonNode before, JsonNode after, String path) {
        return at(after, path).asLong() - at(before, path).asLong();
    }

    private static JsonNode at(JsonNode node, String path) {
        JsonNode n = node;
        for (String p : path.split("\\.")) {
            n = n.path(p);
        }
        return n;
    }

    /** alerts for one safeguard and code, 0 when the board has no such row */
    private static long alerts(JsonNode board, String safeguard, String code) {
        for (JsonNode a : board.path("alertsByCode")) {
            if (a.path("safeguard").asText().equals(safeguard)
                    && a.path("code").asText().equals(code)) {
                return a.path("alerts").asLong();
            }
        }
        return 0;
    }

    private String toExecution(MissionRequest brief, String... ranking) {
        String id = drive.start("mo", brief);
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, drive.ranking(ranking));
        drive.coSign(id, "gv", "oc");
        return id;
    }

    private Map<String, Object> cleanStep(Instant at) {
        return drive.outcomeWithStep("sent outreach", at, "Etc/UTC", "Hello, shall we talk?");
    }

    private void finish(
            String id, long rating, Object effort, String satisfaction, String assets, String curatorComment) {
        drive.complete(
                id,
                Elements.MISSION_FEEDBACK,
                "mo",
                Map.of(
                        Vars.FEEDBACK_RATING,
                        rating,
                        Vars.EFFORT_SAVED_HOURS,
                        effort,
                        Vars.FEEDBACK_SATISFACTION,
                        satisfaction,
                        Vars.LIBRARY_ASSETS_REUSED,
                        assets));
        drive.complete(id, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
        drive.complete(
                id,
                Elements.RETRO_SIGN_OFF_CURATOR,
                "kc",
                Map.of(Vars.CURATOR_SIGN_OFF, true, Vars.CURATOR_SIGN_OFF_COMMENT, curatorComment));
        drive.complete(id, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
        assertThat(drive.instance(id)).isNull();
    }

    @Test
    void anEscalatedToneViolationCountsAsAnAlertAndItsDecisionIsAnOverrideReason() {
        JsonNode before = board("safeguard-compliance");
        String id = toExecution(JourneyDriver.brief("Boards: tone"), "medium/reversible", "low/reversible");
        drive.agent(
                id,
                Topics.PLAY_EXECUTE,
                drive.outcomeWithStep("sent outreach", NOON, "Etc/UTC", "Results guaranteed!"));
        String reason = "wording cleared by legal " + UUID.randomUUID();
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv",
                Map.of(Runbooks.Vars.VIOLATION_DECISION, "resume", Runbooks.Vars.VIOLATION_NOTE, reason));
        JsonNode after = board("safeguard-compliance");

        assertThat(delta(before, after, "alerts")).isEqualTo(1);
        assertThat(alerts(after, "tone", "forbidden_word") - alerts(before, "tone", "forbidden_word"))
                .isEqualTo(1);
        assertThat(delta(before, after, "outcomes.escalate")).isEqualTo(1);
        assertThat(delta(before, after, "outcomes.auto_fix")).isZero();
        assertThat(delta(before, after, "outcomes.retry_later")).isZero();
        assertThat(delta(before, after, "autoFixAdoption.flagged")).isEqualTo(1);
        assertThat(delta(before, after, "autoFixAdoption.autoFixed")).isZero();
        assertThat(delta(before, after, "overrideDecisions")).isEqualTo(1);
        JsonNode override = after.path("overrideReasons").get(0);
        assertThat(override.path("missionId").asText()).isEqualTo(id);
        assertThat(override.path("decision").asText()).isEqualTo("resume");
        assertThat(override.path("comment").asText()).isEqualTo(reason);
        assertThat(override.path("decidedBy").asText()).isEqualTo("gv");
        assertThat(Instant.parse(override.path("decidedAt").asText()))
                .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
        assertThat(after.fieldNames())
                .toIterable()
                .containsExactly(
                        "from",
                        "to",
                        "alerts",
                        "alertsByCode",
                        "autoFixAdoption",
                        "outcomes",
                        "overrideDecisions",
                        "overrideReasons");
    }

    @Test
    void aRateLimitAutoFixCountsTowardsAdoption() {
        JsonNode before = board("safeguard-compliance");
        MissionRequest tight = new MissionRequest(
                "Boards: rate limited",
                "Reach dormant accounts",
                "Revenue operations",
                new MissionRequest.Kpi("replies", BigDecimal.TEN),
                List.of(new MissionRequest.Safeguard("rate_limit", null, Map.of("perHour", 1, "burst", 1))),
                List.of(new MissionRequest.Toolkit("hubspot", List.of("crm.objects.contacts.write"))));
        String id = toExecution(tight, "medium/reversible", "medium/reversible");
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON));
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON.plusSeconds(10)));
        assertThat(drive.instance(id)).isNotNull();
        JsonNode after = board("safeguard-compliance");

        assertThat(delta(before, after, "outcomes.auto_fix")).isEqualTo(1);
        assertThat(delta(before, after, "outcomes.escalate")).isZero();
        assertThat(delta(before, after, "autoFixAdoption.autoFixed")).isEqualTo(1);
        assertThat(delta(before, after, "autoFixAdoption.flagged")).isEqualTo(1);
        assertThat(alerts(after, "rate_limit", "rate_limit_exceeded")
                        - alerts(before, "rate_limit", "rate_limit_exceeded"))
                .isEqualTo(1);
        assertThat(delta(before, after, "overrideDecisions")).isZero();
        JsonNode adoption = after.path("autoFixAdoption");
        assertThat(adoption.path("percent").asDouble())
                .isCloseTo(
                        100.0
                                * adoption.path("autoFixed").asLong()
                                / adoption.path("flagged").asLong(),
                        Offset.offset(1e-9));
    }

    @Test
    void executedPlaysWithUndoPlansAndARolledBackMissionShowOnTheUndoMonitor() {
        JsonNode before = board("undo-readiness");
        String id = toExecution(JourneyDriver.brief("Boards: rolled back"), "medium/reversible", "low/reversible");
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON));
        drive.agent(
                id,
                Topics.PLAY_EXECUTE,
                drive.outcomeWithStep("sent outreach", NOON.plusSeconds(60), "Etc/UTC", "Guaranteed!"));
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv2",
                Map.of(
                        Runbooks.Vars.VIOLATION_DECISION,
                        "rollback",
                        Runbooks.Vars.VIOLATION_NOTE,
                        "tone breach reached customers"));
        for (int i = 0; i < 2; i++) {
            engine.getExternalTaskService()
                    .complete(drive.lock(id, Topics.PLAY_UNDO).getId(), JourneyDriver.TEST_WORKER);
        }
        finish(id, 2, 0L, "dissatisfied", "", "nothing to keep");
        JsonNode middle = board("undo-readiness");

        assertThat(delta(before, middle, "playsExecuted")).isEqualTo(2);
        assertThat(delta(before, middle, "undoCoverage.executedMutating")).isEqualTo(2);
        assertThat(delta(before, middle, "undoCoverage.withUndoPlan")).isEqualTo(2);
        assertThat(delta(before, middle, "undoRunsCompleted")).isEqualTo(2);
        assertThat(delta(before, middle, "undoFailures")).isZero();
        assertThat(delta(before, middle, "missionsRolledBack")).isEqualTo(1);

        // an undo that fails opens an undo_failure incident; the play stays executed and not undone
        String failing = toExecution(JourneyDriver.brief("Boards: undo fails"), "medium/reversible", "low/reversible");
        drive.agent(failing, Topics.PLAY_EXECUTE, cleanStep(NOON));
        drive.complete(
                failing,
                Elements.LIVE_OVERSIGHT,
                "oc2",
                Map.of(Vars.OVERSIGHT_DECISION, "trigger_undo", Vars.OVERSIGHT_NOTE, "stop"));
        engine.getExternalTaskService()
                .handleBpmnError(
                        drive.lock(failing, Topics.PLAY_UNDO).getId(),
                        JourneyDriver.TEST_WORKER,
                        MissionJourney.ERROR_UNDO_FAILED,
                        "records changed since");
        JsonNode after = board("undo-readiness");

        assertThat(delta(middle, after, "playsExecuted")).isEqualTo(1);
        assertThat(delta(middle, after, "undoCoverage.executedMutating")).isEqualTo(1);
        assertThat(delta(middle, after, "undoRunsCompleted")).isZero();
        assertThat(delta(middle, after, "undoFailures")).isEqualTo(1);
        assertThat(delta(middle, after, "missionsRolledBack")).isZero();
        JsonNode coverage = after.path("undoCoverage");
        assertThat(coverage.path("percent").asDouble())
                .isCloseTo(
                        100.0
                                * coverage.path("withUndoPlan").asLong()
                                / coverage.path("executedMutating").asLong(),
                        Offset.offset(1e-9));
    }

    @Test
    void feedbackRatingEffortSatisfactionAndTheCuratorsSignOffShowOnTheInsightsReport() {
        JsonNode before = board("feedback-insights");
        String id = toExecution(JourneyDriver.brief("Boards: feedback"), "medium/reversible");
        drive.agent(id, Topics.PLAY_EXECUTE, cleanStep(NOON));
        String curator = "promote the re-engagement template " + UUID.randomUUID();
        finish(id, 4, 3.5, "satisfied", "tpl-reengage-v2", curator);
        JsonNode after = board("feedback-insights");

        assertThat(delta(before, after, "feedbackCount")).isEqualTo(1);
        assertThat(delta(before, after, "ratingDistribution.4")).isEqualTo(1);
        for (String other : List.of("1", "2", "3", "5")) {
            assertThat(delta(before, after, "ratingDistribution." + other))
                    .as(other)
                    .isZero();
        }
        assertThat(after.path("effortSavedHoursTotal")
                        .decimalValue()
                        .subtract(before.path("effortSavedHoursTotal").decimalValue()))
                .isEqualByComparingTo("3.5");
        assertThat(delta(before, after, "satisfaction.satisfied")).isEqualTo(1);
        assertThat(delta(before, after, "libraryContributions")).isEqualTo(1);
        assertThat(delta(before, after, "missionsReusingAssets")).isEqualTo(1);
        JsonNode signOff = after.path("curatorSignOffs").get(0);
        assertThat(signOff.path("missionId").asText()).isEqualTo(id);
        assertThat(signOff.path("comment").asText()).isEqualTo(curator);
        assertThat(signOff.path("decidedBy").asText()).isEqualTo("kc");
        assertThat(after.path("reusedAssets").findValuesAsText("missionId")).contains(id);
        // the averages are the totals' averages
        long n = after.path("feedbackCount").asLong();
        long ratingSum = 0;
        for (int r = 1; r <= 5; r++) {
            ratingSum += r
                    * after.path("ratingDistribution").path(Integer.toString(r)).asLong();
        }
        assertThat(after.path("averageRating").asDouble()).isCloseTo((double) ratingSum / n, Offset.offset(1e-9));
        assertThat(after.path("effortSavedHoursAverage").asDouble())
                .isCloseTo(after.path("effortSavedHoursTotal").asDouble() / n, Offset.offset(1e-9));
    }

    @Test
    void anEmptyWindowHasNothingToDivideAndWindowsAreReadAsTheKpisReadThem() {
        Http.Response empty = http.get("/api/boards/undo-readiness?from=2016-01-04&to=2016-01-11", "kc");
        assertThat(empty.status()).as(empty.body()).isEqualTo(200);
        assertThat(empty.json().path("undoCoverage").path("percent").isNull()).isTrue();
        assertThat(empty.json().path("playsExecuted").asLong()).isZero();
        JsonNode feedback = http.get("/api/boards/feedback-insights?from=2016-01-04&to=2016-01-11", "mo")
                .json();
        assertThat(feedback.path("averageRating").isNull()).isTrue();
        assertThat(feedback.path("ratingDistribution").fieldNames())
                .toIterable()
                .containsExactly("1", "2", "3", "4", "5");
        JsonNode compliance = http.get("/api/boards/safeguard-compliance?from=2016-01-04&to=2016-01-11", "gv")
                .json();
        assertThat(compliance.path("autoFixAdoption").path("percent").isNull()).isTrue();
        assertThat(compliance.path("outcomes").fieldNames())
                .toIterable()
                .containsExactly("auto_fix", "retry_later", "escalate");

        Instant now = Instant.parse("2016-03-10T15:30:00Z");
        ClockUtil.setCurrentTime(Date.from(now));
        JsonNode defaults = http.get("/api/boards/feedback-insights", "oc").json();
        assertThat(Instant.parse(defaults.path("to").asText())).isEqualTo(now);
        assertThat(Instant.parse(defaults.path("from").asText())).isEqualTo(now.minus(Duration.ofDays(7)));

        for (String name : List.of("safeguard-compliance", "undo-readiness", "feedback-insights")) {
            Http.Response wrong = http.get("/api/boards/" + name + "?from=2017-08-21&to=2017-08-14", "ta");
            assertThat(wrong.status()).as(name).isEqualTo(400);
            assertThat(wrong.json().path("errors").findValuesAsText("field")).containsExactly("from");
            assertThat(http.get("/api/boards/" + name, null).status()).as(name).isEqualTo(401);
        }
    }
}
