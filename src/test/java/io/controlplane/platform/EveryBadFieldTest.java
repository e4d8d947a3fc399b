package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A body with several bad fields is refused with all of them named in one 400 (docs/api.md: "400 names every bad
 * field (unknown fields too)"), and nothing happens: before, Jackson's first complaint was the only one answered.
 */
@IntegrationTest
class EveryBadFieldTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnknownFieldAWrongTypeAndAMissingFieldAreAllNamedInOneAnswer() {
        Map<String, Object> body = JSON.convertValue(JourneyDriver.brief("Every bad field"), LinkedHashMap.class);
        body.put("colour", "blue"); // unknown
        ((Map<String, Object>) body.get("kpi")).put("target", "forty"); // wrong type
        body.remove("persona"); // missing
        List<Object> toolkits = new ArrayList<>((List<Object>) body.get("toolkits"));
        ((Map<String, Object>) toolkits.get(0)).put("region", "eu"); // unknown, nested
        body.put("toolkits", toolkits);
        Integer before = jdbc.queryForObject("SELECT COUNT(*) FROM missions", Integer.class);

        Http.Response r = http.post("/api/missions", "mo", body);

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        r.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).as(r.body()).contains("colour", "kpi.target", "persona", "toolkits[0].region");
        JsonNode colour = error(r, "colour");
        assertThat(colour.path("message").asText()).isEqualTo("is not a known field");
        assertThat(error(r, "kpi.target").path("message").asText()).isEqualTo("must be a number");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM missions", Integer.class))
                .isEqualTo(before);
    }

    @Test
    void oneUnknownFieldAloneIsStillNamed() {
        Map<String, Object> body = JSON.convertValue(JourneyDriver.brief("One unknown field"), LinkedHashMap.class);
        body.put("colour", "blue");
        Http.Response r = http.post("/api/missions", "mo", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("errors")).hasSize(1);
        assertThat(error(r, "colour").path("message").asText()).isEqualTo("is not a known field");
    }

    private static JsonNode error(Http.Response r, String field) {
        for (JsonNode e : r.json().path("errors")) {
            if (e.path("field").asText().equals(field)) {
                return e;
            }
        }
        throw new AssertionError("no error for " + field + " in " + r.body());
    }
}
