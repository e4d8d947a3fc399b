package io.controlplane.platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call each {@code /api} endpoint: the one place the API's access rules live (docs/security.md explains them).
 * {@link SecurityConfig} enforces the table before any controller runs, and refuses every {@code /api} request no rule
 * names (deny by default). {@code ApiAccessMatrixTest} fails the build when a mapped endpoint has no rule here.
 *
 * <p>A new endpoint is one line in {@link #RULES}: {@code rule("METHOD /path/{var}", groups...)}, the path exactly as
 * the controller maps it. Rules on data (a mission owner reads only their own missions) stay in the controller.
 */
public final class ApiAccess {

    /** Every operating role of the guide, and the administrators. */
    public static final Set<String> OPERATING = groups(
            Roles.MISSION_OWNER,
            Roles.GOVERNANCE_VALIDATOR,
            Roles.OPERATIONS_COMMAND,
            Roles.TELEMETRY_ANALYST,
            Roles.KNOWLEDGE_CURATOR,
            Roles.ADMIN);
    /** The roles that watch every mission: validators, operations command, telemetry analysts, administrators. */
    public static final Set<String> OVERSIGHT =
            groups(Roles.GOVERNANCE_VALIDATOR, Roles.OPERATIONS_COMMAND, Roles.TELEMETRY_ANALYST, Roles.ADMIN);
    /** No Basic credentials at all: the request authenticates itself (Slack's signature). */
    public static final Set<String> SIGNED_REQUEST = Set.of();

    /**
     * Who reads the OpenAPI document of {@code /api} ({@link #API_DOCUMENT_PATHS}): whoever may read the step contract.
     * Authenticated, although the same document is docs/openapi.yaml in the repository: a deployment's own answer
     * names its version and what it enables, which tells an anonymous scanner which fixes it lacks (docs/security.md).
     */
    public static final Set<String> API_DOCUMENT_READERS = plus(OPERATING, IdentitySetup.AGENT_GROUP);
    /** springdoc's paths: the JSON, the YAML, and everything under them (its swagger-config, a group's document). */
    static final List<String> API_DOCUMENT_PATHS = List.of("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**");

    /** One row: a method and path pattern, and the groups that may call it ({@link #SIGNED_REQUEST}: anyone). */
    public record Rule(HttpMethod method, String pattern, Set<String> groups) {
        public boolean open() {
            return groups.isEmpty();
        }

        /** {@code GET /api/missions/{id}} */
        public String key() {
            return method.name() + " " + pattern;
        }

        String[] authorities() {
            return groups.stream().map(g -> SecurityConfig.GROUP_PREFIX + g).toArray(String[]::new);
        }
    }

    static final List<Rule> RULES = List.of(
            // missions: owners start them; a mission owner reads only their own (MissionController), the others all
            rule("POST /api/missions", Roles.MISSION_OWNER),
            rule("GET /api/missions", OPERATING),
            rule("GET /api/missions/{id}", OPERATING),
            rule("GET /api/missions/{id}/evidence/{stage}", OPERATING),
            rule("GET /api/missions/{id}/agent-runs", OPERATING),
            rule(
                    "POST /api/missions/{id}/scope-drift",
                    IdentitySetup.AGENT_GROUP,
                    Roles.OPERATIONS_COMMAND,
                    Roles.ADMIN),
            // incidents, notifications, the governance check and the release gate: the roles that oversee missions
            rule("GET /api/incidents", OVERSIGHT),
            rule("GET /api/incidents/{id}", OVERSIGHT),
            rule(
                    "POST /api/incidents/{id}/acknowledge",
                    Roles.OPERATIONS_COMMAND,
                    Roles.GOVERNANCE_VALIDATOR,
                    Roles.ADMIN),
            rule("GET /api/notifications", OVERSIGHT),
            rule("GET /api/governance/check", OVERSIGHT),
            rule("GET /api/release/readiness", OVERSIGHT),
            // who to call: everyone on the operating model
            rule("GET /api/oncall/now", OPERATING),
            rule("GET /api/oncall/schedule", OPERATING),
            rule("GET /api/contacts", OPERATING),
            // telemetry: agents and analysts report, the overseers read; the audit's GET only previews, its POST
            // (check mode) records findings: a read never writes, so a browser's session can never make it write
            rule("POST /api/telemetry/events", IdentitySetup.AGENT_GROUP, Roles.TELEMETRY_ANALYST, Roles.ADMIN),
            rule("GET /api/telemetry/events", OVERSIGHT),
            rule("GET /api/telemetry/events/catalog", plus(OPERATING, IdentitySetup.AGENT_GROUP)),
            rule("GET /api/telemetry/audit", Roles.TELEMETRY_ANALYST, Roles.ADMIN),
            rule("POST /api/telemetry/audit", Roles.TELEMETRY_ANALYST, Roles.ADMIN),
            // aggregate figures (no mission content): the guide's dashboards, read by every operating role
            rule("GET /api/kpis", OPERATING),
            rule("GET /api/kpis/weekly", OPERATING),
            // a KPI-miss investigation started by hand: the analysts' own runbook, through this door only
            rule("POST /api/kpis/{key}/investigations", Roles.TELEMETRY_ANALYST, Roles.ADMIN),
            rule("GET /api/stages/rollup", OPERATING),
            rule("GET /api/stages/history", OPERATING),
            rule("GET /api/boards/safeguard-compliance", OPERATING),
            rule("GET /api/boards/undo-readiness", OPERATING),
            rule("GET /api/boards/feedback-insights", OPERATING),
            // the agent ledger across missions names every mission: for the roles that watch them all
            rule("GET /api/boards/agent-ledger", OVERSIGHT),
            // the knowledge library and the operations backlog
            rule("GET /api/library/assets", OPERATING),
            rule("GET /api/meetings", OPERATING),
            rule("GET /api/meetings/{id:\\d+}", OPERATING),
            rule("GET /api/meetings/{id:\\d+}/markdown", OPERATING),
            rule(
                    "PUT /api/meetings/{id:\\d+}/decisions",
                    Roles.OPERATIONS_COMMAND,
                    Roles.GOVERNANCE_VALIDATOR,
                    Roles.TELEMETRY_ANALYST,
                    Roles.ADMIN),
            // a meeting run now (as its timer would): the operating rhythm is run by operations command
            rule("POST /api/meetings/{type}/runs", Roles.OPERATIONS_COMMAND, Roles.ADMIN),
            rule("POST /api/admin/legacy/migrations", Roles.ADMIN),
            rule("GET /api/admin/legacy/migrations/{batchId}", Roles.ADMIN),
            rule("POST /api/backlog", OPERATING),
            rule("GET /api/backlog/{id:\\d+}", OPERATING),
            rule("PATCH /api/backlog/{id:\\d+}", OPERATING),
            rule("GET /api/backlog/board", OPERATING),
            rule("GET /api/backlog/categories", OPERATING),
            // Slack cannot send Basic credentials: its interactions are authenticated by their request signature
            rule("GET /api/contract", plus(OPERATING, IdentitySetup.AGENT_GROUP)),
            rule("GET /api/contract/topics/{topic}", plus(OPERATING, IdentitySetup.AGENT_GROUP)),
            rule("GET /api/contract/topics/{topic}/input", plus(OPERATING, IdentitySetup.AGENT_GROUP)),
            rule("POST /api/slack/interactions", SIGNED_REQUEST));

    private ApiAccess() {}

    /**
     * The groups one rule admits ({@code "POST /api/incidents/{id}/acknowledge"}), for a door that does the same
     * thing another way (Slack's Acknowledge button) and must admit the same people.
     */
    public static Set<String> groupsAllowed(String endpoint) {
        return RULES.stream()
                .filter(r -> r.key().equals(endpoint))
                .findFirst()
                .map(Rule::groups)
                .orElseThrow(() -> new IllegalArgumentException("No rule for " + endpoint));
    }

    /** The caller's Camunda groups, as the authentication carries them ({@code GROUP_} authorities). */
    public static List<String> groupsOf(Authentication caller) {
        return caller.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith(SecurityConfig.GROUP_PREFIX))
                .map(a -> a.substring(SecurityConfig.GROUP_PREFIX.length()))
                .toList();
    }

    /**
     * Whether the caller reads only the missions they own: a mission owner with no other role that works on every
     * mission (validators, operations command, analysts and curators read them all, as do administrators).
     */
    public static boolean readsOnlyOwnMissions(Authentication caller) {
        List<String> groups = groupsOf(caller);
        return groups.contains(Roles.MISSION_OWNER)
                && OPERATING.stream().noneMatch(g -> !g.equals(Roles.MISSION_OWNER) && groups.contains(g));
    }

    /**
     * The rules, most specific pattern first (as Spring MVC picks handlers), so a literal path such as
     * {@code /api/backlog/board} is never decided by a broader {@code /api/backlog/{id}} rule.
     */
    public static List<Rule> rules() {
        PathPatternParser parser = PathPatternParser.defaultInstance;
        List<Rule> sorted = new ArrayList<>(RULES);
        sorted.sort(Comparator.comparing((Rule r) -> parser.parse(r.pattern()), PathPattern.SPECIFICITY_COMPARATOR));
        return sorted;
    }

    private static Rule rule(String endpoint, Set<String> groups) {
        int space = endpoint.indexOf(' ');
        return new Rule(HttpMethod.valueOf(endpoint.substring(0, space)), endpoint.substring(space + 1), groups);
    }

    private static Rule rule(String endpoint, String... groups) {
        return rule(endpoint, groups(groups));
    }

    private static Set<String> groups(String... groups) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(groups)));
    }

    private static Set<String> plus(Set<String> groups, String... more) {
        return groups(Stream.concat(groups.stream(), Stream.of(more)).toArray(String[]::new));
    }
}
