package io.controlplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.IntegrationTest;
import io.controlplane.execution.SimulatedAgent;
import io.controlplane.mission.MissionService;
import java.util.TreeMap;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What one completed mission costs the database, against the bare engine doing the same journey (issue #13: the
 * service's statements per mission at most 1.3× the baseline's, {@link #TARGET_RATIO}). Counted, not timed: the same
 * journey sends the same statements, on H2 and on PostgreSQL.
 */
@IntegrationTest
@Import(StatementCounter.class)
class JourneyCostTest {
    static final int MEASURED = 3;
    /**
     * issue #13's target for the service's statements per mission against the baseline's, which the suite holds it
     * to: 979 against 766 on H2 (1.28×) since the variable-history and unchanged-write cuts; was 1,150, then 1,047
     * (docs/performance.md, "Journey cost per mission").
     */
    static final double TARGET_RATIO = 1.3;

    @Autowired
    StatementCounter counter;

    @Autowired
    ProcessEngine engine;

    @Autowired
    MissionService missions;

    @Autowired
    SimulatedAgent agent;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aServiceMissionCostsNoMoreStatementsThanItsBoundTimesTheBaselineJourney() {
        JourneyRuns runs = new JourneyRuns(engine, missions, agent, true);
        runs.deployBaseline();
        // one of each first: caches (definitions, decisions, identity) are filled the same way for both
        String serviceOne = runs.serviceJourney();
        String baselineOne = runs.baselineJourney();
        for (String key : new String[] {serviceOne, baselineOne}) {
            var vars = engine.getHistoryService()
                    .createHistoricVariableInstanceQuery()
                    .processInstanceIdIn(engine
                            .getHistoryService()
                            .createHistoricProcessInstanceQuery()
                            .processInstanceBusinessKey(key)
                            .list()
                            .stream()
                            .map(p -> p.getId())
                            .toArray(String[]::new))
                    .list();
            var updated = new TreeMap<String, Integer>();
            for (var v : vars) {
                Integer rev =
                        jdbc.queryForObject("SELECT REV_ FROM ACT_HI_VARINST WHERE ID_ = ?", Integer.class, v.getId());
                if (rev != null && rev > 1) {
                    updated.merge(v.getName(), rev - 1, Integer::sum);
                }
            }
            System.out.println("JourneyCost variable updates of " + key + ": " + updated);
            System.out.println("JourneyCost variables of " + key + " (" + vars.size() + "): "
                    + vars.stream()
                            .map(v -> v.getName() + ":" + v.getTypeName())
                            .sorted()
                            .toList());
        }

        StatementCounter.Counts service = measure(runs::serviceJourney);
        StatementCounter.Counts baseline = measure(runs::baselineJourney);
        System.out.println("JourneyCost service per mission:  " + service);
        System.out.println("JourneyCost baseline per journey: " + baseline);
        System.out.printf(
                "JourneyCost ratio: statements %.2f, inserts %.2f, writes %.2f, commits %.2f%n",
                ratio(service.executed(), baseline.executed()),
                ratio(service.inserts(), baseline.inserts()),
                ratio(service.writes(), baseline.writes()),
                ratio(service.commits(), baseline.commits()));

        System.out.printf(
                "JourneyCost target: at most %.0f statements per mission (%.1fx the baseline), %s%n",
                TARGET_RATIO * baseline.executed(),
                TARGET_RATIO,
                service.executed() <= TARGET_RATIO * baseline.executed() ? "met" : "not met yet");
        assertThat(baseline.executed()).as("the baseline journey ran").isGreaterThan(100);
        assertThat(service.executed())
                .as("statements per service mission against the baseline's " + baseline.executed())
                .isLessThanOrEqualTo((long) (TARGET_RATIO * baseline.executed()));
    }

    private StatementCounter.Counts measure(Runnable journey) {
        StatementCounter.Counts before = counter.snapshot();
        var tablesBefore = counter.byTable();
        for (int i = 0; i < MEASURED; i++) {
            journey.run();
        }
        StatementCounter.minus(counter.byTable(), tablesBefore)
                .forEach((k, v) -> System.out.printf("JourneyCost   %-50s %6.1f%n", k, v / (double) MEASURED));
        return counter.snapshot().minus(before).per(MEASURED);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : a / (double) b;
    }
}
