package io.controlplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.IntegrationTest;
import io.controlplane.execution.SimulatedAgent;
import io.controlplane.mission.MissionService;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * What one completed mission costs the database, against the bare engine doing the same journey (issue #13: the
 * service's statements per mission at most 1.3× the baseline's). Counted, not timed: the same journey sends the same
 * statements, on H2 and on PostgreSQL.
 */
@IntegrationTest
@Import(StatementCounter.class)
class JourneyCostTest {
    static final int MEASURED = 3;
    static final double MAX_RATIO = 1.3;

    @Autowired StatementCounter counter;
    @Autowired ProcessEngine engine;
    @Autowired MissionService missions;
    @Autowired SimulatedAgent agent;

    @Test
    void aServiceMissionCostsAtMostOnePointThreeBaselineJourneysInStatements() {
        JourneyRuns runs = new JourneyRuns(engine, missions, agent, true);
        runs.deployBaseline();
        // one of each first: caches (definitions, decisions, identity) are filled the same way for both
        runs.serviceJourney();
        runs.baselineJourney();

        StatementCounter.Counts service = measure(runs::serviceJourney);
        StatementCounter.Counts baseline = measure(runs::baselineJourney);
        System.out.println("JourneyCost service per mission:  " + service);
        System.out.println("JourneyCost baseline per journey: " + baseline);
        System.out.printf("JourneyCost ratio: statements %.2f, inserts %.2f, writes %.2f, commits %.2f%n",
                ratio(service.executed(), baseline.executed()), ratio(service.inserts(), baseline.inserts()),
                ratio(service.writes(), baseline.writes()), ratio(service.commits(), baseline.commits()));

        assertThat(baseline.executed()).as("the baseline journey ran").isGreaterThan(100);
        assertThat(service.executed()).as("statements per service mission against the baseline's " + baseline.executed())
                .isLessThanOrEqualTo((long) (MAX_RATIO * baseline.executed()));
    }

    private StatementCounter.Counts measure(Runnable journey) {
        StatementCounter.Counts before = counter.snapshot();
        for (int i = 0; i < MEASURED; i++) {
            journey.run();
        }
        return counter.snapshot().minus(before).per(MEASURED);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : a / (double) b;
    }
}
