package io.controlplane.execution;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.mission.AgentRuns;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.PlayStore;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The demo's built-in agent answers every topic the journey hands out, as the README promises. */
@IntegrationTest
class SimulatedAgentTest {
    @Autowired
    ProcessEngine engine;

    @Autowired
    JourneyDriver drive;

    @Autowired
    SimulatedAgent agent;

    @Autowired
    PlayStore plays;

    @Autowired
    AgentRuns ledger;

    @BeforeEach
    void init() {
        BpmnAwareTests.init(engine);
    }

    private void runAgentUntilIdle() {
        while (agent.runOnce() > 0) {
            // the agent takes whatever is open, across missions
        }
    }

    @Test
    void itCarriesAMissionThroughEveryAgentStep() {
        String id = drive.start(
                "mo", JourneyDriver.brief("Simulated", "crm.objects.contacts.read", "crm.objects.contacts.delete"));
        drive.confirmIntent(id);
        runAgentUntilIdle();
        assertThat(drive.instance(id)).isWaitingAt(Elements.TOOLKIT_AUTHORIZATION);
        drive.authorizeToolkits(id);
        runAgentUntilIdle();
        // a delete scope makes the agent propose one irreversible, red play
        // (a library asset another test left for this persona may be reused too: only the agent's own plays are
        // checked)
        assertThat(plays.latest(id))
                .filteredOn(p -> p.libraryAssetId() == null)
                .hasSize(4)
                .extracting(PlayStore.Play::riskGrade)
                .containsExactly("green", "green", "amber", "red");
        drive.coSign(id, "gv", "oc");
        drive.complete(id, Elements.RED_PLAY_CONFIRMATION, "gv2", Map.of(Vars.RED_PLAY_DECISION, "confirm"));
        runAgentUntilIdle();
        assertThat(drive.instance(id)).isWaitingAt(Elements.MISSION_FEEDBACK);
        assertThat(plays.latest(id)).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo("SUCCEEDED");
            assertThat(p.resultSha256()).hasSize(64);
        });
        // and it reported what each task used: one ledger run per completion (inspect, rank, 4+ plays), booked to
        // its worker id (it completes from inside the service, without an authentication), a few cents each
        var runs = ledger.page(id, 0, 100);
        assertThat(runs.total()).isEqualTo(2 + plays.latest(id).size());
        assertThat(runs.items()).allSatisfy(r -> {
            assertThat(r.agent()).isEqualTo(SimulatedAgent.WORKER_ID);
            assertThat(r.tokensIn()).isPositive();
            assertThat(r.costCents()).isBetween(new BigDecimal("0.5"), BigDecimal.TEN);
        });
        assertThat(runs.items())
                .extracting(AgentRuns.Run::topic)
                .startsWith(MissionJourney.Topics.DATA_INSPECT, MissionJourney.Topics.PLAY_RANK);
        // deterministic: the same task reports the same usage
        assertThat(SimulatedAgent.usage("mission.play.execute", id, "serviceTask_executePlay"))
                .isEqualTo(SimulatedAgent.usage("mission.play.execute", id, "serviceTask_executePlay"));
    }

    @Test
    void aLegacyToolkitShowsACoverageGap() {
        String id = drive.start("mo", JourneyDriver.brief("Legacy CRM"));
        engine.getRuntimeService()
                .setVariable(
                        drive.instance(id).getId(),
                        Vars.TOOLKITS,
                        drive.json().variable(List.of(Map.of("slug", "legacy-crm", "scopes", List.of("read")))));
        drive.confirmIntent(id);
        runAgentUntilIdle();
        assertThat(drive.instance(id))
                .isWaitingAt(Elements.DATA_GAP_RUNBOOK)
                .variables()
                .containsEntry(Vars.DATA_COVERAGE_PERCENT, 72.0);
    }
}
