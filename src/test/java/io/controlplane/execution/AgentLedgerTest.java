package io.controlplane.execution;

import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionRequest;
import io.controlplane.platform.Roles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The agent ledger (issue #16): usage reported on every topic is stored per mission, play, step and agent (the
 * authenticated worker), summed by the service, shown by {@code GET /api/missions/{id}/agent-runs} and the Execute &amp;
 * Observe evidence, and the mission's budget_cap safeguard is enforced on the sum across all of its agents.
 */
@IntegrationTest
class AgentLedgerTest {
    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Autowired
    ExternalTaskService externalTasks;

    @Autowired
    IdentityService identity;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TaskService tasks;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
    }

    static MissionRequest budgeted(String title, long centsPerDay) {
        MissionRequest brief = JourneyDriver.brief(title);
        List<MissionRequest.Safeguard> safeguards = new ArrayList<>(brief.safeguards());
        safeguards.add(new MissionRequest.Safeguard("budget_cap", "high", Map.of("centsPerDay", centsPerDay)));
        return new MissionRequest(
                brief.title(), brief.objective(), brief.persona(), brief.kpi(), safeguards, brief.toolkits());
    }

    Map<String, Object> usage(String model, long in, long out, Object costCents, Map<String, Object> extra) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("model", model);
        u.put("tokensIn", in);
        u.put("tokensOut", out);
        u.put("toolCalls", List.of(Map.of("name", "crm.search", "count", 2), Map.of("name", "mail.send")));
        u.put("costCents", costCents);
        u.put("durationMs", 1234);
        u.putAll(extra);
        return u;
    }

    Map<String, Object> with(Map<String, Object> result, Map<String, Object> usage) {
        Map<String, Object> all = new HashMap<>(result);
        all.put(Vars.AGENT_USAGE, drive.json().variable(usage));
        return all;
    }

    /** Completes the mission's task on {@code topic} as the authenticated agent runtime {@code agent}. */
    void asAgent(String agent, String missionId, String topic, Map<String, Object> variables) {
        identity.setAuthentication(agent, List.of(Roles.AGENT));
        try {
            List<LockedExternalTask> locked = externalTasks
                    .fetchAndLock(1, agent + "-worker")
                    .topic(topic, 60_000)
                    .businessKey(missionId)
                    .execute();
            assertThat(locked).as("open task on " + topic).hasSize(1);
            try {
                externalTasks.complete(locked.get(0).getId(), agent + "-worker", variables);
            } catch (RuntimeException refused) {
                identity.clearAuthentication();
                externalTasks.unlock(locked.get(0).getId());
                throw refused;
            }
        } finally {
            identity.clearAuthentication();
        }
    }

    static double counter(String scrape, String series) {
        return scrape.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(series + " not in the scrape"));
    }

    long runs(String missionId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM agent_runs WHERE mission_id = ?", Long.class, missionId);
    }

    @Test
    void twoAgentsTogetherOverTheCapTakeTheViolationPathAndTheLedgerAddsUp() {
        String id = drive.start("mo", budgeted("Ledger: two agents", 100));
        drive.confirmIntent(id);
        asAgent(
                "agent-a",
                id,
                Topics.DATA_INSPECT,
                with(drive.coverage(95), usage("reader-small", 1000, 200, 40, Map.of())));
        drive.authorizeToolkits(id);
        asAgent(
                "agent-b",
                id,
                Topics.PLAY_RANK,
                with(
                        drive.ranking("low/reversible", "medium/reversible"),
                        usage("planner-large", 5000, 1500, 35.5, Map.of())));
        drive.coSign(id, "gv", "oc");

        JsonNode before = http.get("/api/missions/" + id + "/agent-runs", "mo").json();
        assertThat(before.path("total").asLong()).isEqualTo(2);
        assertThat(before.path("totals").path("costCents").decimalValue()).isEqualByComparingTo("75.5");
        assertThat(before.path("totals").path("tokensIn").asLong()).isEqualTo(6000);
        assertThat(before.path("totals").path("tokensOut").asLong()).isEqualTo(1700);
        assertThat(before.path("budget").path("centsPerDay").asLong()).isEqualTo(100);
        assertThat(before.path("budget").path("exceeded").asBoolean()).isFalse();
        JsonNode first = before.path("items").get(0);
        assertThat(first.path("agent").asText()).isEqualTo("agent-a");
        assertThat(first.path("topic").asText()).isEqualTo(Topics.DATA_INSPECT);
        assertThat(first.path("activityId").asText()).isEqualTo("serviceTask_readOnlyInspection");
        assertThat(first.path("model").asText()).isEqualTo("reader-small");
        assertThat(first.path("toolCalls").toString())
                .as("in the order reported")
                .isEqualTo("[{\"name\":\"crm.search\",\"count\":2},{\"name\":\"mail.send\",\"count\":1}]");
        assertThat(first.path("durationMs").asLong()).isEqualTo(1234);
        assertThat(first.path("playId").isMissingNode() || first.path("playId").isNull())
                .as("no play before planning")
                .isTrue();

        // 75.5 + 30 = 105.5 cents today across agent-a and agent-b: over the 100-cent cap, a reviewer decides
        asAgent(
                "agent-a",
                id,
                Topics.PLAY_EXECUTE,
                with(drive.outcome("succeeded", "segmented"), usage("operator-medium", 800, 100, 30, Map.of())));
        var decision = drive.task(id, Runbooks.Elements.VIOLATION_DECISION);
        assertThat(decision).as("the safeguard violation decision").isNotNull();
        // the reviewer's task shows the finding with the sum and the cap
        assertThat(tasks.getVariables(decision.getId()).toString())
                .contains(
                        "budget_cap",
                        "105.5 cents",
                        "2 agents",
                        "agent-a 70",
                        "agent-b 35.5",
                        "the cap is 100 cents a day");

        JsonNode after = http.get("/api/missions/" + id + "/agent-runs?page=0&size=2", "mo")
                .json();
        assertThat(after.path("items")).hasSize(2);
        assertThat(after.path("page").asInt()).isZero();
        assertThat(after.path("size").asInt()).isEqualTo(2);
        assertThat(after.path("total").asLong()).isEqualTo(3);
        assertThat(after.path("totals").path("costCents").decimalValue()).isEqualByComparingTo("105.5");
        assertThat(after.path("budget").path("exceeded").asBoolean()).isTrue();
        Map<String, String> perAgent = new LinkedHashMap<>();
        after.path("agents")
                .forEach(a -> perAgent.put(
                        a.path("agent").asText(),
                        a.path("runs").asText() + " runs, "
                                + a.path("costCents")
                                        .decimalValue()
                                        .stripTrailingZeros()
                                        .toPlainString()));
        assertThat(perAgent).containsExactly(Map.entry("agent-a", "2 runs, 70"), Map.entry("agent-b", "1 runs, 35.5"));
        JsonNode third = http.get("/api/missions/" + id + "/agent-runs?page=1&size=2", "mo")
                .json()
                .path("items")
                .get(0);
        assertThat(third.path("playId").asText()).isEqualTo("play-1");
        assertThat(third.path("topic").asText()).isEqualTo(Topics.PLAY_EXECUTE);

        // resumed: the day is still over the cap, so the next play's report goes past a reviewer too
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv",
                Map.of(
                        Runbooks.Vars.VIOLATION_DECISION,
                        "resume",
                        Runbooks.Vars.VIOLATION_NOTE,
                        "budget raised for the pilot"));
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "drafted"));
        drive.complete(
                id,
                Runbooks.Elements.VIOLATION_DECISION,
                "gv",
                Map.of(
                        Runbooks.Vars.VIOLATION_DECISION,
                        "resume",
                        Runbooks.Vars.VIOLATION_NOTE,
                        "still within the pilot budget"));

        // Prometheus counts what was reported per topic (this replica): at least this mission's figures
        String scrape = http.get("/actuator/prometheus", "ta").body();
        assertThat(counter(scrape, "controlplane_agent_cost_cents_total{topic=\"mission.data.inspect\"}"))
                .isGreaterThanOrEqualTo(40);
        assertThat(counter(scrape, "controlplane_agent_cost_cents_total{topic=\"mission.play.rank\"}"))
                .isGreaterThanOrEqualTo(35.5);
        assertThat(counter(scrape, "controlplane_agent_tokens_total{direction=\"in\",topic=\"mission.play.rank\"}"))
                .isGreaterThanOrEqualTo(5000);
        assertThat(counter(scrape, "controlplane_agent_tokens_total{direction=\"out\",topic=\"mission.play.execute\"}"))
                .isGreaterThanOrEqualTo(100);

        String runLog = http.get("/api/missions/" + id + "/evidence/EXECUTE_OBSERVE", "mo")
                .body();
        assertThat(runLog)
                .contains(
                        "## Agent runs",
                        "| agent\\-a | 2 | 1800 | 300 | 70 |",
                        "| agent\\-b | 1 | 5000 | 1500 | 35.5 |",
                        "| **Total** | 3 | 6800 | 1800 | 105.5 |",
                        "105.5 of 100 cents on",
                        "over the cap");
    }

    @Test
    void invalidUsageIsRefusedNamingTheFieldAndNothingIsStored() {
        String id = drive.start("mo", budgeted("Ledger: refusals", 5000));
        drive.confirmIntent(id);
        // through the step contract (an authenticated agent runtime): 400 naming the field
        assertThatThrownBy(() -> asAgent(
                        "agent-a", id, Topics.DATA_INSPECT, with(drive.coverage(95), usage("m", -1, 0, 1, Map.of()))))
                .hasMessageContaining("agentUsage.tokensIn must be at least 0");
        // the agent cannot name itself (or anyone else) in its usage
        assertThatThrownBy(() -> asAgent(
                        "agent-a",
                        id,
                        Topics.DATA_INSPECT,
                        with(drive.coverage(95), usage("m", 1, 1, 1, Map.of("agent", "someone-else")))))
                .hasMessageContaining("agentUsage.agent is not part of the contract");
        // without an authentication (the service's own worker) the ledger's own check refuses it just the same
        assertThatThrownBy(() -> drive.agent(
                        id, Topics.DATA_INSPECT, with(drive.coverage(95), usage("m", 1, 1, "a lot", Map.of()))))
                .hasMessageContaining("agentUsage.costCents");
        assertThatThrownBy(() -> drive.agent(
                        id,
                        Topics.DATA_INSPECT,
                        with(
                                drive.coverage(95),
                                Map.of(
                                        "model",
                                        "m",
                                        "tokensIn",
                                        1,
                                        "tokensOut",
                                        1,
                                        "costCents",
                                        1,
                                        "toolCalls",
                                        List.of(Map.of("count", 2))))))
                .hasMessageContaining("agentUsage.toolCalls[0].name is required");
        assertThat(runs(id)).isZero();
        assertThat(drive.task(id, MissionJourney.Elements.TOOLKIT_AUTHORIZATION))
                .as("the inspection is still open")
                .isNull();

        // a completion without an authentication is booked to the worker that locked the task
        drive.agent(id, Topics.DATA_INSPECT, with(drive.coverage(95), usage("m", 10, 5, 0.0125, Map.of())));
        JsonNode ledger = http.get("/api/missions/" + id + "/agent-runs", "mo").json();
        assertThat(ledger.path("items").get(0).path("agent").asText()).isEqualTo(JourneyDriver.TEST_WORKER);
        assertThat(ledger.path("items").get(0).path("costCents").decimalValue()).isEqualByComparingTo("0.0125");
        assertThat(ledger.path("budget").path("exceeded").asBoolean()).isFalse();
        // consumed: the variable is gone, the next report starts clean
        assertThat(drive.instance(id)).isNotNull();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM ACT_RU_VARIABLE WHERE NAME_ = ? AND PROC_INST_ID_ = ?",
                        Long.class,
                        Vars.AGENT_USAGE,
                        drive.instance(id).getId()))
                .isZero();
    }

    @Test
    void theLedgerIsReadLikeTheMissionAndBadPagesAreRefused() {
        String id = drive.start("mo", budgeted("Ledger: access", 5000));
        assertThat(http.get("/api/missions/" + id + "/agent-runs", "mo").status())
                .isEqualTo(200);
        for (String reader : List.of("gv", "oc", "ta", "kc")) {
            assertThat(http.get("/api/missions/" + id + "/agent-runs", reader).status())
                    .as(reader)
                    .isEqualTo(200);
        }
        assertThat(http.get("/api/missions/" + id + "/agent-runs", "agent").status())
                .isEqualTo(403);
        assertThat(http.get("/api/missions/" + id + "/agent-runs", null).status())
                .isEqualTo(401);
        assertThat(http.get("/api/missions/no-such-mission/agent-runs", "gv").status())
                .isEqualTo(404);
        Http.Response bad = http.get("/api/missions/" + id + "/agent-runs?page=-1&size=500", "mo");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("page");
        JsonNode board = http.get("/api/boards/agent-ledger?days=3", "oc").json();
        assertThat(board.has("missions")).isTrue();
        assertThat(board.has("days")).isTrue();
        assertThat(http.get("/api/boards/agent-ledger", "mo").status())
                .as("names every mission")
                .isEqualTo(403);
        assertThat(http.get("/api/boards/agent-ledger?days=0", "oc").status()).isEqualTo(400);
    }
}
