package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Conditional updates on the API's two resources that change in place, the backlog item ({@code PATCH
 * /api/backlog/{id}}) and the meeting notes ({@code PUT /api/meetings/{id}/decisions}): a read answers a strong
 * {@code ETag}; a change without {@code If-Match} is 428, with a tag that is not the current one 412, and changes
 * nothing; with the current tag it is made and answers the new tag; of several changes sent at once from the same
 * version exactly one is made.
 */
@IntegrationTest
class ConditionalUpdatesTest {
    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    /** One resource: where it is read, where it is changed, and a valid change of it. */
    record Resource(String read, String method, String change, String user, Map<String, Object> body) {}

    private Resource backlogItem() {
        Http.Response created = http.post(
                "/api/backlog",
                "mo",
                Map.of(
                        "title",
                        "Conditional " + UUID.randomUUID(),
                        "stage",
                        "DEFINE",
                        "category",
                        "intake_prompts",
                        "impact",
                        2,
                        "effort",
                        1,
                        "ownerRole",
                        "mission-owner"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String path = "/api/backlog/" + created.json().path("id").asLong();
        return new Resource(path, "PATCH", path, "oc", Map.of("status", "IN_PROGRESS"));
    }

    private Resource meetingNotes() {
        Http.Response run = http.post("/api/meetings/daily-standup/runs", "oc", null);
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        String path = "/api/meetings/" + run.json().path("meetingNoteId").asLong();
        return new Resource(path, "PUT", path + "/decisions", "oc", Map.of("decisions", "Ship it (owner: @ops-lead)"));
    }

    @Test
    void theBacklogItemChangesOnlyWithTheVersionItWasReadAt() {
        conditional(backlogItem(), "status", "IN_PROGRESS");
    }

    @Test
    void theMeetingNotesChangeOnlyWithTheVersionTheyWereReadAt() {
        conditional(meetingNotes(), "decisions", "Ship it (owner: @ops-lead)");
    }

    private void conditional(Resource r, String field, String changedValue) {
        Http.Response read = http.get(r.read(), r.user());
        String etag = read.header("ETag");
        assertThat(etag).as("a strong entity tag").matches("\"[a-z]+-\\d+-v0\"");
        String before = read.json().path(field).asText();

        // no If-Match: 428, and If-Match: * names no version either
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("If-Match", "*"))) {
            Http.Response refused = http.send(r.method(), r.change(), r.user(), r.body(), headers);
            assertProblem(refused, 428, "precondition-required", r.change());
        }
        // a tag of another version, a weak tag (never matches If-Match), another resource's tag: 412
        String stale = etag.replace("-v0\"", "-v7\"");
        for (String tag : List.of(stale, "W/" + etag, "\"backlog-0-v0\"", "\"x\", " + stale)) {
            Http.Response refused = http.send(r.method(), r.change(), r.user(), r.body(), Map.of("If-Match", tag));
            assertProblem(refused, 412, "precondition-failed", r.change());
        }
        // not an entity tag at all (no quotes): 400 naming the header
        Http.Response malformed = http.send(r.method(), r.change(), r.user(), r.body(), Map.of("If-Match", "v0"));
        assertProblem(malformed, 400, "validation", r.change());
        assertThat(malformed.json().path("errors").findValuesAsText("field")).containsExactly("If-Match");
        Http.Response unchanged = http.get(r.read(), r.user());
        assertThat(unchanged.header("ETag")).as("nothing changed").isEqualTo(etag);
        assertThat(unchanged.json().path(field).asText()).isEqualTo(before);

        // the current tag (also in a list): changed, and the answer carries the next version's tag
        Http.Response changed =
                http.send(r.method(), r.change(), r.user(), r.body(), Map.of("If-Match", "\"x\", " + etag));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path(field).asText()).isEqualTo(changedValue);
        String next = changed.header("ETag");
        assertThat(next).isNotEqualTo(etag).endsWith("-v1\"");
        assertThat(http.get(r.read(), r.user()).header("ETag")).isEqualTo(next);
        // the tag read before the change is stale now
        assertProblem(
                http.send(r.method(), r.change(), r.user(), r.body(), Map.of("If-Match", etag)),
                412,
                "precondition-failed",
                r.change());
        // a read with the current tag in If-None-Match: 304, no body
        Http.Response notModified = http.send("GET", r.read(), r.user(), null, Map.of("If-None-Match", next));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
    }

    @Test
    void ofChangesSentAtOnceFromTheSameVersionExactlyOneIsMade() throws Exception {
        for (Resource r : List.of(backlogItem(), meetingNotes())) {
            String etag = http.get(r.read(), r.user()).header("ETag");
            int n = 6;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            List<Future<Http.Response>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return http.send(r.method(), r.change(), r.user(), r.body(), Map.of("If-Match", etag));
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Http.Response> a : answers) {
                    statuses.add(a.get().status());
                }
                assertThat(statuses).as(r.change()).containsOnly(200, 412);
                assertThat(statuses.stream().filter(s -> s == 200))
                        .as(r.change() + ": one winner")
                        .hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(http.get(r.read(), r.user()).header("ETag"))
                    .as("one change, one version")
                    .endsWith("-v1\"");
        }
    }

    private static void assertProblem(Http.Response r, int status, String slug, String path) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("type").asText()).isEqualTo(Problems.TYPE_BASE + slug);
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("instance").asText()).isEqualTo(path);
        assertThat(r.json().path("detail").asText()).isNotBlank();
    }
}
