package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.IncidentService;
import io.controlplane.mission.MissionService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The role × endpoint matrix: every {@code /api} endpoint Spring MVC maps must have a rule in {@link ApiAccess}, and
 * every cell is asked over HTTP — no credentials and a wrong password answer 401, a group the rule does not name 403,
 * a group it names 2xx (through a probe that makes a valid request) — each refusal as problem details.
 *
 * <p>A new endpoint: one line in {@code ApiAccess.RULES}. Without a probe below its allowed cells assert only that the
 * request got past authorization (neither 401 nor 403, nor 5xx); add a probe to {@link #probes} to assert 2xx.
 */
@IntegrationTest
class ApiAccessMatrixTest {
    /** One demo user per group. */
    static final Map<String, String> USER_OF_GROUP = new LinkedHashMap<>();

    static {
        USER_OF_GROUP.put(Roles.MISSION_OWNER, "mo");
        USER_OF_GROUP.put(Roles.GOVERNANCE_VALIDATOR, "gv");
        USER_OF_GROUP.put(Roles.OPERATIONS_COMMAND, "oc");
        USER_OF_GROUP.put(Roles.TELEMETRY_ANALYST, "ta");
        USER_OF_GROUP.put(Roles.KNOWLEDGE_CURATOR, "kc");
        USER_OF_GROUP.put(IdentitySetup.AGENT_GROUP, "agent");
        USER_OF_GROUP.put(Roles.ADMIN, "demo");
    }

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    JourneyDriver drive;

    @Autowired
    MissionService missions;

    @Autowired
    IncidentService incidents;

    Http http;

    @Autowired
    IdentityService identity;

    /**
     * Wrong passwords are tried on a user of this test's own. No wrong password locks an account any more (Camunda's
     * per-user lockout is off, LoginThrottleTest), but a user of its own keeps this test's failures out of the demo
     * users' records. The failures count against 127.0.0.1 in the per-source throttle, whose limit the test profile
     * raises.
     */
    static final String WRONG_PASSWORD_USER = "matrix-wrong-password";

    @BeforeEach
    void init() {
        http = new Http(port);
        if (identity.createUserQuery().userId(WRONG_PASSWORD_USER).count() == 0) {
            var user = identity.newUser(WRONG_PASSWORD_USER);
            user.setPassword(UUID.randomUUID().toString());
            identity.saveUser(user);
            identity.createMembership(WRONG_PASSWORD_USER, Roles.GOVERNANCE_VALIDATOR);
        }
    }

    /** Every "METHOD /api/..." Spring MVC maps, as ApiAccess spells its rules. */
    static Set<String> apiEndpoints(RequestMappingHandlerMapping mappings) {
        Set<String> endpoints = new TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> {
            Set<String> patterns = info.getPathPatternsCondition() != null
                    ? info.getPathPatternsCondition().getPatternValues()
                    : info.getPatternValues();
            for (String pattern : patterns) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                info.getMethodsCondition().getMethods().forEach(m -> endpoints.add(m.name() + " " + pattern));
                if (info.getMethodsCondition().getMethods().isEmpty()) {
                    endpoints.add("ANY " + pattern);
                }
            }
        });
        return endpoints;
    }

    @Test
    void everyApiEndpointHasARuleAndEveryRuleAnEndpoint() {
        Set<String> endpoints = apiEndpoints(mappings);
        Set<String> rules =
                new TreeSet<>(ApiAccess.RULES.stream().map(ApiAccess.Rule::key).toList());
        assertThat(endpoints)
                .as("endpoints without a rule: add rule(\"METHOD /path\", groups...) to ApiAccess.RULES")
                .isSubsetOf(rules);
        assertThat(rules).as("rules without an endpoint").isSubsetOf(endpoints);
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void everyRoleGetsExactlyWhatItsRuleSays() {
        Map<String, Function<String, Http.Response>> probes = probes();
        Map<Integer, Integer> histogram = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int cells = 0;
        for (ApiAccess.Rule rule : ApiAccess.RULES) {
            String path = rule.pattern().replaceAll("\\{[^}]+}", "1");
            if (rule.open()) {
                // Slack's interactions: no Basic credentials needed, the signature decides (unsigned → 401 from the
                // controller)
                Http.Response unsigned = http.send(rule.method().name(), path, null, null);
                cells++;
                histogram.merge(unsigned.status(), 1, Integer::sum);
                check(failures, rule.key() + " unsigned", unsigned, 401);
                assertThat(unsigned.body()).contains("Not a signed Slack request");
                continue;
            }
            for (String credentials : new String[] {null, WRONG_PASSWORD_USER + ":wrong-password", "nobody:demo"}) {
                Http.Response r = http.send(rule.method().name(), path, credentials, null);
                cells++;
                histogram.merge(r.status(), 1, Integer::sum);
                check(failures, rule.key() + " as " + credentials, r, 401);
            }
            for (Map.Entry<String, String> role : USER_OF_GROUP.entrySet()) {
                String user = role.getValue();
                Http.Response r;
                Function<String, Http.Response> probe = probes.get(rule.key());
                r = probe != null ? probe.apply(user) : http.send(rule.method().name(), path, user, null);
                cells++;
                histogram.merge(r.status(), 1, Integer::sum);
                String cell = rule.key() + " as " + user + " (" + role.getKey() + ")";
                if (!rule.groups().contains(role.getKey())) {
                    check(failures, cell, r, 403);
                } else if (probe != null) {
                    if (r.status() < 200 || r.status() > 299) {
                        failures.add(cell + ": expected 2xx, got " + r.status() + " " + r.body());
                    }
                } else if (r.status() == 401 || r.status() == 403 || r.status() >= 500) {
                    failures.add(cell + ": expected to pass authorization, got " + r.status() + " " + r.body());
                }
            }
        }
        System.out.printf(
                "API access matrix: %d endpoints, %d cells, statuses %s%n", ApiAccess.RULES.size(), cells, histogram);
        assertThat(failures).isEmpty();
    }

    private static void check(List<String> failures, String cell, Http.Response r, int expected) {
        if (r.status() != expected) {
            failures.add(cell + ": expected " + expected + ", got " + r.status() + " " + r.body());
        } else if (!String.valueOf(r.header("Content-Type")).startsWith("application/problem+json")) {
            failures.add(cell + ": " + expected + " without problem details: " + r.header("Content-Type"));
        }
    }

    /** A mission owner reads their own missions only; the roles that work on every mission read them all. */
    @Test
    void missionOwnersReadOnlyTheirOwnMissions() {
        String mine = drive.start("mo", JourneyDriver.brief("Matrix: mine"));
        String theirs = missions.start(
                        JourneyDriver.brief("Matrix: someone else's"), "mo-matrix", List.of(Roles.MISSION_OWNER))
                .id();
        drive.confirmIntent(theirs);
        assertThat(http.get("/api/missions/" + mine, "mo").status()).isEqualTo(200);
        Http.Response foreign = http.get("/api/missions/" + theirs, "mo");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.header("Content-Type")).startsWith("application/problem+json");
        assertThat(http.get("/api/missions/" + theirs + "/evidence/DEFINE", "mo")
                        .status())
                .isEqualTo(403);
        for (String reader : List.of("gv", "oc", "ta", "kc", "demo")) {
            assertThat(http.get("/api/missions/" + theirs, reader).status())
                    .as(reader)
                    .isEqualTo(200);
        }
        assertThat(http.get("/api/missions/" + theirs + "/evidence/DEFINE", "gv")
                        .status())
                .isEqualTo(200);
        var listed =
                http.get("/api/missions?size=100", "mo").json().path("items").findValuesAsText("owner");
        assertThat(listed).isNotEmpty().containsOnly("mo");
        assertThat(http.get("/api/missions?size=100", "gv").json().path("items").findValuesAsText("id"))
                .contains(theirs);
        // an endpoint nobody classified is refused, even to an administrator
        assertThat(http.get("/api/not-classified", "demo").status()).isEqualTo(403);
        assertThat(http.get("/api/not-classified", null).status()).isEqualTo(401);
    }

    /** Valid requests, one per endpoint, so an allowed cell must answer 2xx. */
    private Map<String, Function<String, Http.Response>> probes() {
        String mission = drive.start("mo", JourneyDriver.brief("Matrix probes"));
        drive.confirmIntent(mission);
        String incident = incidents.open("oauth_drift", mission, "PREPARE", "low", "Matrix probe incident", null);
        Map<String, Function<String, Http.Response>> p = new LinkedHashMap<>();
        p.put(
                "POST /api/missions",
                u -> http.post(
                        "/api/missions",
                        u,
                        Map.of(
                                "title",
                                "Matrix start " + UUID.randomUUID(),
                                "objective",
                                "Re-engage accounts idle for 90 days",
                                "persona",
                                "Revenue operations",
                                "kpi",
                                Map.of("metric", "reactivated accounts", "target", 40),
                                "safeguards",
                                List.of(Map.of("type", "tone")),
                                "toolkits",
                                List.of(Map.of("slug", "hubspot", "scopes", List.of("crm.objects.contacts.read"))))));
        p.put("GET /api/missions/{id}", u -> http.get("/api/missions/" + mission, u));
        p.put(
                "GET /api/missions/{id}/evidence/{stage}",
                u -> http.get("/api/missions/" + mission + "/evidence/DEFINE", u));
        p.put("GET /api/missions/{id}/agent-runs", u -> http.get("/api/missions/" + mission + "/agent-runs", u));
        p.put(
                "POST /api/missions/{id}/scope-drift",
                u -> http.post(
                        "/api/missions/" + mission + "/scope-drift",
                        u,
                        Map.of("toolkit", "hubspot", "scopes", List.of("crm.objects.contacts.write"))));
        p.put("GET /api/incidents/{id}", u -> http.get("/api/incidents/" + incident, u));
        // a month with no missions: throughput 0 of its target, a miss; one period per caller (one investigation each)
        p.put(
                "POST /api/kpis/{key}/investigations",
                u -> http.post(
                        "/api/kpis/mission-throughput/investigations",
                        u,
                        Map.of(
                                "period",
                                "2019-"
                                        + String.format(
                                                "%02d",
                                                1
                                                        + List.copyOf(USER_OF_GROUP.values())
                                                                .indexOf(u)))));
        p.put(
                "POST /api/incidents/{id}/acknowledge",
                u -> http.post("/api/incidents/" + incident + "/acknowledge", u, null));
        p.put(
                "POST /api/telemetry/events",
                u -> http.post("/api/telemetry/events", u, Map.of("name", "toolkit_connected", "missionId", mission)));
        p.put("GET /api/telemetry/audit", u -> http.get("/api/telemetry/audit?mode=report&missionId=" + mission, u));
        p.put(
                "POST /api/telemetry/audit",
                u -> http.post(
                        "/api/telemetry/audit",
                        u,
                        Map.of("from", "2020-01-01", "to", "2100-01-01", "missionId", mission)));
        Map<String, Object> item = Map.of(
                "title",
                "Matrix item",
                "stage",
                "define",
                "category",
                "intake_prompts",
                "impact",
                2,
                "effort",
                1,
                "ownerRole",
                "mission-owner");
        long backlogItem =
                http.post("/api/backlog", "mo", item).json().path("id").asLong();
        p.put("POST /api/backlog", u -> http.post("/api/backlog", u, item));
        p.put("GET /api/backlog/{id:\\d+}", u -> http.get("/api/backlog/" + backlogItem, u));
        // a conditional update: with the item's ETag, read by the same caller (the first moves it, the rest no-op)
        p.put(
                "PATCH /api/backlog/{id:\\d+}",
                u -> http.sendIfMatch(
                        "PATCH",
                        "/api/backlog/" + backlogItem,
                        "/api/backlog/" + backlogItem,
                        u,
                        Map.of("status", "IN_PROGRESS")));
        p.put("GET /api/contract/topics/{topic}", u -> http.get("/api/contract/topics/mission.play.rank", u));
        p.put(
                "GET /api/contract/topics/{topic}/input",
                u -> http.get("/api/contract/topics/mission.play.rank/input", u));
        // the endpoints without path variables or bodies: a plain GET is a valid request
        for (ApiAccess.Rule rule : ApiAccess.RULES) {
            if (rule.method().name().equals("GET") && !rule.pattern().contains("{")) {
                p.putIfAbsent(rule.key(), u -> http.get(rule.pattern(), u));
            }
        }
        return p;
    }
}
