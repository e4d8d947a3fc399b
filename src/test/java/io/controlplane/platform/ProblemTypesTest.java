package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.mission.MissionService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;

/**
 * One problem-details scheme for every refusal (docs/api.md, "Problem types"): each kind of failure — the
 * controllers' and their advice's 400, 404, 409, 412, 415 and 428, the security layer's 401 and 403, the body limit's
 * 413, {@code /engine-rest}'s 404 and 405, the filters' 400 — answers {@code application/problem+json} with a
 * {@code type} of {@link Problems}, the status that type always has, its reason phrase as {@code title}, a
 * {@code detail} and the request's path as {@code instance}. And docs/api.md lists exactly the types there are.
 */
@IntegrationTest
class ProblemTypesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    MissionService missions;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    record Failure(String what, int status, String slug, HttpResponse<String> answer, String path) {}

    @Test
    void everyKindOfFailureAnswersTheOneScheme() throws Exception {
        String mission = drive.start("mo", JourneyDriver.brief("Problem types"));
        String theirs = missions.start(
                        JourneyDriver.brief("Problem types: someone else's"),
                        "mo-problems",
                        List.of(Roles.MISSION_OWNER))
                .id();
        long item = http.post(
                        "/api/backlog",
                        "mo",
                        Map.of(
                                "title",
                                "Problem types " + UUID.randomUUID(),
                                "stage",
                                "DEFINE",
                                "category",
                                "intake_prompts",
                                "impact",
                                1,
                                "effort",
                                1,
                                "ownerRole",
                                "mission-owner"))
                .json()
                .path("id")
                .asLong();
        List<Failure> failures = new ArrayList<>();
        failures.add(failure(
                "a bad parameter", 400, "validation", "GET", "/api/missions?size=0", "oc", null, null, Map.of()));
        failures.add(failure(
                "a bad field",
                400,
                "validation",
                "POST",
                "/api/backlog",
                "mo",
                "application/json",
                "{\"title\":\"x\",\"impact\":\"many\"}",
                Map.of()));
        failures.add(failure(
                "a body that is not JSON",
                400,
                "unreadable",
                "POST",
                "/api/backlog",
                "mo",
                "application/json",
                "{\"title\":",
                Map.of()));
        failures.add(failure(
                "a NUL in a parameter",
                400,
                "rejected-request",
                "GET",
                "/api/missions?stage=%00",
                "oc",
                null,
                null,
                Map.of()));
        failures.add(failure(
                "an encoded unreserved character",
                400,
                "rejected-request",
                "GET",
                "/api/mi%73sions",
                "oc",
                null,
                null,
                Map.of()));
        failures.add(
                failure("no credentials", 401, "unauthorized", "GET", "/api/missions", null, null, null, Map.of()));
        failures.add(failure(
                "a wrong password", 401, "unauthorized", "GET", "/api/missions", "oc:wrong", null, null, Map.of()));
        failures.add(failure(
                "a group the rule does not name",
                403,
                "forbidden",
                "GET",
                "/api/missions",
                "agent",
                null,
                null,
                Map.of()));
        failures.add(failure(
                "a mission owner reading another's mission",
                403,
                "forbidden",
                "GET",
                "/api/missions/" + theirs,
                "mo",
                null,
                null,
                Map.of()));
        failures.add(failure(
                "an engine call off the allow-list",
                403,
                "forbidden",
                "DELETE",
                "/engine-rest/process-instance/" + drive.instance(mission).getId(),
                "oc",
                null,
                null,
                Map.of()));
        failures.add(failure(
                "an unknown mission",
                404,
                "not-found",
                "GET",
                "/api/missions/no-such-mission",
                "oc",
                null,
                null,
                Map.of()));
        failures.add(failure(
                "an unknown engine resource",
                404,
                "not-found",
                "GET",
                "/engine-rest/task/no-such-task",
                "oc",
                null,
                null,
                Map.of()));
        failures.add(failure(
                "a method an engine resource does not take",
                405,
                "method-not-allowed",
                "PUT",
                "/engine-rest/external-task/fetchAndLock",
                "demo",
                "application/json",
                "{}",
                Map.of()));
        failures.add(failure(
                "an investigation of a KPI that had no data",
                409,
                "conflict",
                "POST",
                "/api/kpis/approval-latency/investigations",
                "ta",
                "application/json",
                "{\"period\":\"2001-01\"}",
                Map.of()));
        failures.add(failure(
                "a stale If-Match",
                412,
                "precondition-failed",
                "PATCH",
                "/api/backlog/" + item,
                "oc",
                "application/json",
                "{\"status\":\"DONE\"}",
                Map.of("If-Match", "\"backlog-" + item + "-v9\"")));
        failures.add(failure(
                "a body over the limit",
                413,
                "too-large",
                "POST",
                "/api/backlog",
                "mo",
                "application/json",
                "{\"title\":\"" + "x".repeat(1 << 20) + "\"}",
                Map.of()));
        failures.add(failure(
                "a media type no handler takes",
                415,
                "unsupported-media-type",
                "POST",
                "/api/missions",
                "mo",
                "text/plain",
                "title=x",
                Map.of()));
        failures.add(failure(
                "a change without If-Match",
                428,
                "precondition-required",
                "PATCH",
                "/api/backlog/" + item,
                "oc",
                "application/json",
                "{\"status\":\"DONE\"}",
                Map.of()));

        List<String> wrong = new ArrayList<>();
        for (Failure f : failures) {
            HttpResponse<String> r = f.answer();
            String where = f.what() + " (" + f.path() + "): " + r.statusCode() + " " + abbreviate(r.body());
            if (r.statusCode() != f.status()) {
                wrong.add(where + ": expected " + f.status());
                continue;
            }
            if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                wrong.add(where + ": not application/problem+json");
                continue;
            }
            JsonNode p = JSON.readTree(r.body());
            Problems.Type type = Arrays.stream(Problems.Type.values())
                    .filter(t -> t.uri().toString().equals(p.path("type").asText()))
                    .findFirst()
                    .orElse(null);
            if (type == null || !type.slug().equals(f.slug())) {
                wrong.add(where + ": type " + p.path("type").asText() + ", expected " + Problems.TYPE_BASE + f.slug());
            } else if (p.path("status").asInt() != type.status() || type.status() != f.status()) {
                wrong.add(where + ": status " + p.path("status") + " is not the one of " + type);
            }
            if (!p.path("title").asText().equals(HttpStatus.valueOf(f.status()).getReasonPhrase())) {
                wrong.add(where + ": title " + p.path("title"));
            }
            if (p.path("detail").asText().isBlank()) {
                wrong.add(where + ": no detail");
            }
            String path = f.path().replaceFirst("\\?.*", "");
            if (!p.path("instance").asText().equals(path)) {
                wrong.add(where + ": instance " + p.path("instance") + ", expected " + path);
            }
        }
        assertThat(wrong).as(String.join("\n", wrong)).isEmpty();
    }

    /** What no request reaches over HTTP (every /api rule names its method, so Spring MVC's 405 comes after a 403). */
    @Test
    void theAdviceAnswersSpringsOwnRefusalsInTheSameScheme() {
        ResponseEntity<ProblemDetail> method = new ProblemDetailsAdvice()
                .method(new HttpRequestMethodNotSupportedException("DELETE", List.of(HttpMethod.GET.name())));
        assertThat(method.getStatusCode().value()).isEqualTo(405);
        assertThat(method.getBody().getType()).isEqualTo(Problems.Type.METHOD_NOT_ALLOWED.uri());
        assertThat(method.getBody().getTitle()).isEqualTo("Method Not Allowed");
        // every type's status is a real HTTP status, and its slug is unique
        Set<String> slugs = new TreeSet<>();
        for (Problems.Type t : Problems.Type.values()) {
            assertThat(HttpStatus.resolve(t.status())).as(t.name()).isNotNull();
            assertThat(slugs.add(t.slug())).as(t.slug()).isTrue();
            Problems.Type.forStatus(t.status())
                    .ifPresent(general -> assertThat(general.status()).isEqualTo(t.status()));
        }
    }

    /** docs/api.md's table of problem types names every type of {@link Problems}, with its status, and no other. */
    @Test
    void theApiDocsListEveryProblemTypeWithItsStatus() throws IOException {
        String docs = Files.readString(Path.of("docs/api.md"));
        String section = docs.substring(docs.indexOf("## Problem types"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| (\\d{3}) \\|").matcher(section);
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2));
        }
        assertThat(documented)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Problems.Type.values())
                        .map(t -> t.slug() + " " + t.status())
                        .toList());
    }

    private Failure failure(
            String what,
            int status,
            String slug,
            String method,
            String path,
            String user,
            String contentType,
            String body,
            Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (user != null) {
            String credentials = user.contains(":") ? user : user + ":demo";
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        headers.forEach(b::header);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Failure(what, status, slug, answer, path);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
