package io.controlplane.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code /api/kpis}, {@code /api/kpis/weekly} and {@code /api/stages/rollup} over HTTP: shapes, defaults, 400s. */
@IntegrationTest
class KpiApiTest {
    private static final List<String> KEYS = List.of(
            "mission-throughput",
            "approval-latency",
            "validator-escalation-rate",
            "undo-execution-success",
            "feedback-participation",
            "library-reuse");

    @LocalServerPort
    int port;

    @Autowired
    KpiService kpis;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    private void assertBadRequest(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("errors").findValuesAsText("field"))
                .as(r.body())
                .containsExactly(field);
    }

    @Test
    void aWindowAnswersTheSixKpisWithTargetsAndCounts() {
        Http.Response r = http.get("/api/kpis?from=2016-01-04&to=2016-01-11", "ta");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("from").asText()).isEqualTo("2016-01-04T00:00:00Z");
        assertThat(body.path("to").asText()).isEqualTo("2016-01-11T00:00:00Z");
        assertThat(body.path("kpis").findValuesAsText("key")).containsExactlyElementsOf(KEYS);
        for (JsonNode k : body.path("kpis")) {
            assertThat(k.fieldNames())
                    .toIterable()
                    .containsExactlyInAnyOrder(
                            "key", "name", "value", "unit", "target", "comparator", "met", "numerator", "denominator");
        }
        // a week nobody worked in: nothing completed (a value, missed), every rate without data (met null)
        JsonNode throughput = body.path("kpis").get(0);
        assertThat(throughput.path("value").asDouble()).isZero();
        assertThat(throughput.path("target").asDouble()).isEqualTo(30.0);
        assertThat(throughput.path("met").asBoolean()).isFalse();
        JsonNode latency = body.path("kpis").get(1);
        assertThat(latency.path("value").isNull()).isTrue();
        assertThat(latency.path("met").isNull()).isTrue();
        assertThat(latency.path("comparator").asText()).isEqualTo("<=");
        assertThat(latency.path("target").asDouble()).isEqualTo(4.0);
        assertThat(body.path("kpis").get(3).path("target").asDouble()).isEqualTo(98.0);
        assertThat(body.path("kpis").get(5).path("target").asDouble()).isEqualTo(35.0);
        assertThat(body.path("kpis").get(5).path("denominator").asLong()).isZero();
    }

    @Test
    void instantsAreAcceptedAndTheAnswerIsTheServicesReport() {
        Http.Response r = http.get("/api/kpis?from=2017-08-14T00:00:00Z&to=2017-08-21T00:00:00Z", "gv");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        KpiService.Report expected =
                kpis.report(Instant.parse("2017-08-14T00:00:00Z"), Instant.parse("2017-08-21T00:00:00Z"));
        for (int i = 0; i < KEYS.size(); i++) {
            JsonNode k = r.json().path("kpis").get(i);
            assertThat(k.path("numerator").isNull() ? null : k.path("numerator").asLong())
                    .isEqualTo(expected.kpis().get(i).numerator());
            assertThat(
                            k.path("denominator").isNull()
                                    ? null
                                    : k.path("denominator").asLong())
                    .isEqualTo(expected.kpis().get(i).denominator());
        }
    }

    @Test
    void theDefaultWindowIsTheTrailingSevenDays() {
        Instant now = Instant.parse("2016-03-10T15:30:00Z");
        ClockUtil.setCurrentTime(Date.from(now));
        JsonNode body = http.get("/api/kpis", "oc").json();
        assertThat(Instant.parse(body.path("to").asText())).isEqualTo(now);
        assertThat(Instant.parse(body.path("from").asText())).isEqualTo(now.minus(Duration.ofDays(7)));
        JsonNode onlyTo = http.get("/api/kpis?to=2016-02-01", "oc").json();
        assertThat(onlyTo.path("from").asText()).isEqualTo("2016-01-25T00:00:00Z");
    }

    @Test
    void aWindowThatIsEmptyOrUnreadableIsRefused() {
        assertBadRequest(http.get("/api/kpis?from=2017-08-21&to=2017-08-14", "ta"), "from");
        assertBadRequest(http.get("/api/kpis?from=2017-08-14&to=2017-08-14", "ta"), "from");
        assertBadRequest(http.get("/api/kpis?from=2017-08-14&to=next-week", "ta"), "to");
        assertBadRequest(http.get("/api/kpis?from=14.08.2017", "ta"), "from");
        assertThat(http.get("/api/kpis", null).status()).isEqualTo(401);
    }

    @Test
    void weeklyAnswersIsoWeeksEndingWithTheCurrentOne() {
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2016-01-06T12:00:00Z"))); // a Wednesday of 2016-W01
        Http.Response r = http.get("/api/kpis/weekly?weeks=2", "ta");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("items").findValuesAsText("week")).containsExactly("2015-W53", "2016-W01");
        assertThat(r.json().path("from").asText())
                .as("the window the report covers")
                .isEqualTo("2015-12-28T00:00:00Z");
        assertThat(r.json().path("to").asText()).isEqualTo("2016-01-11T00:00:00Z");
        JsonNode last = r.json().path("items").get(1);
        assertThat(last.path("from").asText()).isEqualTo("2016-01-04T00:00:00Z");
        assertThat(last.path("to").asText()).isEqualTo("2016-01-11T00:00:00Z");
        assertThat(last.path("kpis").findValuesAsText("key")).containsExactlyElementsOf(KEYS);

        assertBadRequest(http.get("/api/kpis/weekly?weeks=0", "ta"), "weeks");
        assertBadRequest(http.get("/api/kpis/weekly?weeks=53", "ta"), "weeks");
        assertBadRequest(http.get("/api/kpis/weekly?weeks=many", "ta"), "weeks");
        assertThat(http.get("/api/kpis/weekly?weeks=52", "ta").json().path("items"))
                .hasSize(52);
    }

    @Test
    void theStageRollupTakesACodeOrADeprecatedLegacyName() {
        Http.Response all = http.get("/api/stages/rollup", "ta");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.json().fieldNames()).toIterable().containsExactly("from", "to", "items");
        JsonNode items = all.json().get("items");
        assertThat(items.findValuesAsText("stageCode"))
                .containsExactly("DEFINE", "PREPARE", "PLAN_APPROVE", "EXECUTE_OBSERVE", "REFLECT_IMPROVE");
        assertThat(items.get(0).fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "stageCode",
                        "stageV3",
                        "stageLegacy",
                        "missionsEntered",
                        "inStageNow",
                        "dwellMeanSeconds",
                        "dwellP50Seconds",
                        "dwellP95Seconds",
                        "leftForward",
                        "leftTotal",
                        "successRate");
        assertThat(all.header("Deprecation")).isNull();
        // the default window: the trailing seven days ending now on the engine's clock
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2016-01-11T00:00:00Z")));
        Http.Response trailing = http.get("/api/stages/rollup", "ta");
        assertThat(trailing.json().path("from").asText()).isEqualTo("2016-01-04T00:00:00Z");
        assertThat(trailing.json().path("to").asText()).isEqualTo("2016-01-11T00:00:00Z");
        ClockUtil.reset();

        Http.Response byCode = http.get("/api/stages/rollup?stage=prepare", "ta");
        assertThat(byCode.json().get("items").findValuesAsText("stageCode")).containsExactly("PREPARE");
        assertThat(byCode.header("Deprecation")).isNull();

        Http.Response legacy = http.get("/api/stages/rollup?stage=Data%20Inspect", "ta");
        assertThat(legacy.status()).isEqualTo(200);
        assertThat(legacy.header("Deprecation")).isEqualTo("true");
        assertThat(legacy.json().get("items").findValuesAsText("stageCode")).containsExactly("PREPARE");
        assertThat(legacy.json().get("items").get(0).path("stageLegacy").asText())
                .isEqualTo("Toolkits & Connect + Data Inspect");

        assertBadRequest(http.get("/api/stages/rollup?stage=Launch", "ta"), "stage");

        // an explicit window [from, to): dates are midnight UTC, instants as given; an empty or unreadable one is a 400
        Http.Response window = http.get("/api/stages/rollup?from=2016-01-04&to=2016-01-11T12:00:00Z", "ta");
        assertThat(window.status()).as(window.body()).isEqualTo(200);
        assertThat(window.json().path("from").asText()).isEqualTo("2016-01-04T00:00:00Z");
        assertThat(window.json().path("to").asText()).isEqualTo("2016-01-11T12:00:00Z");
        assertThat(window.json().get("items")).hasSize(5);
        assertBadRequest(http.get("/api/stages/rollup?from=2016-01-11&to=2016-01-04", "ta"), "from");
        assertBadRequest(http.get("/api/stages/rollup?from=2016-01-11&to=2016-01-11", "ta"), "from");
        assertBadRequest(http.get("/api/stages/rollup?from=yesterday", "ta"), "from");
        assertBadRequest(http.get("/api/stages/rollup?to=soon", "ta"), "to");
    }
}
