package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The OpenAPI document the service serves is the one checked in as docs/openapi.yaml, and it documents exactly the
 * endpoints {@link ApiAccess} rules, each with its groups, a summary and its errors as problem details.
 *
 * <p>After changing an endpoint, regenerate the file (CONTRIBUTING.md):
 * {@value #REGENERATE}
 */
@IntegrationTest
class OpenApiDocumentTest {
    static final String REGENERATE =
            "./mvnw -o -q test-compile surefire:test@default-test -Dtest=OpenApiDocumentTest" + " -Dopenapi.write=true";
    private static final Path SNAPSHOT = Path.of("docs", "openapi.yaml");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    @Test
    void theServedDocumentIsTheCheckedInOne() throws IOException {
        Http.Response served = http.get("/v3/api-docs.yaml", "demo");
        assertThat(served.status()).isEqualTo(200);
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(SNAPSHOT, served.body(), StandardCharsets.UTF_8);
        }
        String checkedIn = Files.exists(SNAPSHOT) ? Files.readString(SNAPSHOT, StandardCharsets.UTF_8) : "";
        if (!checkedIn.equals(served.body())) {
            // the first differing line, not two whole documents
            List<String> a = checkedIn.lines().toList();
            List<String> b = served.body().lines().toList();
            int line = 0;
            while (line < a.size() && line < b.size() && a.get(line).equals(b.get(line))) {
                line++;
            }
            throw new AssertionError(SNAPSHOT + " differs from GET /v3/api-docs.yaml at line " + (line + 1)
                    + ":\n  checked in: " + (line < a.size() ? a.get(line) : "<end of file>")
                    + "\n  served:     " + (line < b.size() ? b.get(line) : "<end of document>")
                    + "\nRegenerate it with\n  " + REGENERATE + "\nand commit the result with the change.");
        }
    }

    /** JSON and YAML are the same document, and it is OpenAPI 3.1 with no server of this deployment in it. */
    @Test
    void jsonAndYamlAreOneOpenApi31Document() throws IOException {
        JsonNode json = http.get("/v3/api-docs", "gv").json();
        JsonNode yaml = new ObjectMapper(new YAMLFactory())
                .readTree(http.get("/v3/api-docs.yaml", "gv").body());
        assertThat(json).isEqualTo(yaml);
        assertThat(json.path("openapi").asText()).startsWith("3.1.");
        assertThat(json.path("servers").findValuesAsText("url")).containsExactly("/");
        assertThat(json.toString()).doesNotContain("localhost").doesNotContain(":" + port);
        // every reference resolves (schemas are renamed after springdoc wrote them: OpenApiDocument)
        for (JsonNode ref : json.findValues("$ref")) {
            assertThat(resolve(json, JsonNodeFactory.instance.objectNode().put("$ref", ref.asText()))
                            .isMissingNode())
                    .as("dangling " + ref)
                    .isFalse();
        }
    }

    /** Every ApiAccess rule is an operation, and every operation is a rule, with the rule's groups in x-groups. */
    @Test
    void everyAccessRuleIsAnOperationWithItsGroupsAndViceVersa() {
        JsonNode doc = http.get("/v3/api-docs", "demo").json();
        TreeMap<String, JsonNode> operations = operations(doc);
        Set<String> rules = new TreeSet<>();
        for (ApiAccess.Rule rule : ApiAccess.RULES) {
            String key = rule.method().name() + " " + openApiPath(rule.pattern());
            rules.add(key);
            JsonNode op = operations.get(key);
            assertThat(op).as("operation for rule " + rule.key()).isNotNull();
            List<String> groups = new ArrayList<>();
            op.path(OpenApiDocument.GROUPS).forEach(g -> groups.add(g.asText()));
            assertThat(groups).as(key + " x-groups").containsExactlyInAnyOrderElementsOf(rule.groups());
            String scheme = rule.open() ? OpenApiDocument.SLACK : OpenApiDocument.BASIC;
            assertThat(op.path("security").toString()).as(key + " security").contains("\"" + scheme + "\"");
            for (String g : rule.groups()) {
                assertThat(op.path("description").asText())
                        .as(key + " description names " + g)
                        .contains("`" + g + "`");
            }
        }
        assertThat(operations.keySet())
                .as("operations without an ApiAccess rule")
                .isEqualTo(rules);
        assertThat(doc.path("paths").fieldNames()).toIterable().allMatch(p -> p.startsWith("/api/"));
    }

    /** Each operation: a summary, a unique id, a success answer, and every error as problem details, 401 and 403 too. */
    @Test
    void everyOperationHasASummaryAndProblemDetailErrors() {
        JsonNode doc = http.get("/v3/api-docs", "demo").json();
        Set<String> ids = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        operations(doc).forEach((key, op) -> {
            if (op.path("summary").asText().isBlank()) {
                failures.add(key + ": no summary (@Operation(summary = …) on the handler method)");
            }
            if (!ids.add(op.path("operationId").asText())) {
                failures.add(key + ": operationId " + op.path("operationId").asText() + " is not unique");
            }
            JsonNode responses = op.path("responses");
            boolean success = false;
            for (var it = responses.fields(); it.hasNext(); ) {
                var r = it.next();
                success |= r.getKey().startsWith("2");
                if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                    JsonNode response = resolve(doc, r.getValue());
                    JsonNode schema = response.path("content")
                            .path("application/problem+json")
                            .path("schema");
                    if (!schema.path("$ref").asText().equals("#/components/schemas/" + OpenApiDocument.PROBLEM)) {
                        failures.add(key + " " + r.getKey() + ": not application/problem+json with the ProblemDetail "
                                + "schema: " + response);
                    }
                    if (response.path("content").size() != 1) {
                        failures.add(
                                key + " " + r.getKey() + ": other media types besides problem details: " + response);
                    }
                }
            }
            if (!success) {
                failures.add(key + ": no 2xx response");
            }
            for (String status :
                    op.path(OpenApiDocument.GROUPS).isEmpty() ? List.of("401") : List.of("401", "403", "500")) {
                if (!responses.has(status)) {
                    failures.add(key + ": no " + status + " response");
                }
            }
        });
        assertThat(failures).isEmpty();
        JsonNode problem = doc.path("components")
                .path("schemas")
                .path(OpenApiDocument.PROBLEM)
                .path("properties");
        assertThat(problem.fieldNames()).toIterable().contains("type", "title", "status", "detail", "errors");
    }

    /** The 401 and 403 the document promises are what the security layer answers. */
    @Test
    void theDocumentedRefusalsAreTheAnswers() {
        Http.Response anonymous = http.get("/api/missions", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
        assertThat(anonymous.json().path("title").asText()).isNotBlank();
        Http.Response forbidden = http.get("/api/governance/check", "mo");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("Content-Type")).startsWith("application/problem+json");
        assertThat(forbidden.json().path("status").asInt()).isEqualTo(403);
    }

    /** "METHOD /path" → operation, paths as OpenAPI spells them. */
    static TreeMap<String, JsonNode> operations(JsonNode doc) {
        TreeMap<String, JsonNode> out = new TreeMap<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
                    if (METHODS.contains(m.getKey())) {
                        out.put(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey(), m.getValue());
                    }
                }));
        return out;
    }

    /** {@code /api/meetings/{id:\d+}} as OpenAPI spells it: {@code /api/meetings/{id}}. */
    static String openApiPath(String pattern) {
        return pattern.replaceAll("\\{(\\w+):[^}]*}", "{$1}");
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        String ref = node.path("$ref").asText();
        if (ref.isEmpty()) {
            return node;
        }
        JsonNode target = doc;
        for (String part : ref.substring(2).split("/")) {
            target = target.path(part);
        }
        return target;
    }
}
