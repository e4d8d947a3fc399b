package io.controlplane.rhythm;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.IncidentService;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.MissionJourney.Vars;
import io.controlplane.mission.MissionRequest;
import io.controlplane.mission.MissionService;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One definition per figure (issue #15): the daily standup's active missions by stage and its open incidents are what
 * {@code GET /api/missions?status=ACTIVE&stage=} and {@code GET /api/incidents?status=} count. The suite shares one
 * database, so the test compares what its own missions and incidents add to each side.
 */
@IntegrationTest
class StandupFiguresTest {
    @Autowired
    RhythmDigests digests;

    @Autowired
    MissionService missions;

    @Autowired
    IncidentService incidents;

    @Autowired
    JourneyDriver drive;

    @Autowired
    ProcessEngine engine;

    @Test
    void theStandupCountsActiveMissionsAndIncidentsAsTheMissionAndIncidentListsDo() throws Exception {
        Figures.DailyStandup before = digests.dailyStandup(Instant.now()).figures();
        Map<Stage, Long> listedBefore = listed();
        long openBefore = incidents.list(IncidentService.OPEN, null, 10_000).size();
        long acknowledgedBefore =
                incidents.list(IncidentService.ACKNOWLEDGED, null, 10_000).size();

        // a five-stage mission waiting in Prepare, and an eight-stage legacy mission still in flight at Intake (Define)
        String journey = drive.start("mo", JourneyDriver.brief("Standup figures"));
        drive.confirmIntent(journey);
        MissionRequest brief = JourneyDriver.brief("Standup figures legacy");
        engine.getRuntimeService()
                .createProcessInstanceByKey(LegacyJourney.PROCESS_KEY)
                .businessKey(UUID.randomUUID().toString())
                .setVariable(Vars.MISSION_OWNER, "mo")
                .setVariable(Vars.MISSION_TITLE, brief.title())
                .setVariable(Vars.OBJECTIVE, brief.objective())
                .setVariable(Vars.PERSONA, "Standup figures test")
                .setVariable(Vars.KPI_METRIC, brief.kpi().metric())
                .setVariable(Vars.KPI_TARGET, brief.kpi().target().doubleValue())
                .setVariable(Vars.SAFEGUARDS, drive.json().variable(brief.safeguards()))
                .setVariable(Vars.TOOLKITS, drive.json().variable(brief.toolkits()))
                .execute();
        // one incident open, one acknowledged
        incidents.open("coverage_gap", journey, "PREPARE", "LOW", "standup figures: open", null);
        String acknowledged =
                incidents.open("coverage_gap", journey, "PREPARE", "LOW", "standup figures: acknowledged", null);
        assertThat(incidents.acknowledge(acknowledged, "oc", "api")).isTrue();

        Thread.sleep(5); // the standup's instant after every row's timestamp
        Figures.DailyStandup after = digests.dailyStandup(Instant.now()).figures();
        Map<Stage, Long> listedAfter = listed();
        for (Stage s : Stage.values()) {
            long standup = byStage(after, s) - byStage(before, s);
            long listed = listedAfter.get(s) - listedBefore.get(s);
            assertThat(standup)
                    .as("active missions in " + s + ": standup against /api/missions")
                    .isEqualTo(listed);
        }
        assertThat(byStage(after, Stage.DEFINE) - byStage(before, Stage.DEFINE)).isEqualTo(1);
        assertThat(byStage(after, Stage.PREPARE) - byStage(before, Stage.PREPARE))
                .isEqualTo(1);

        long open = incidents.list(IncidentService.OPEN, null, 10_000).size() - openBefore;
        long ack = incidents.list(IncidentService.ACKNOWLEDGED, null, 10_000).size() - acknowledgedBefore;
        assertThat(open).isEqualTo(1);
        assertThat(ack).isEqualTo(1);
        assertThat(after.openIncidents() - before.openIncidents())
                .as("open incidents")
                .isEqualTo(open);
        assertThat(after.acknowledgedIncidents() - before.acknowledgedIncidents())
                .as("acknowledged incidents")
                .isEqualTo(ack);
    }

    private Map<Stage, Long> listed() {
        Map<Stage, Long> out = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            out.put(s, missions.list(s, MissionStore.Status.ACTIVE, 0, 1).total());
        }
        return out;
    }

    private static long byStage(Figures.DailyStandup figures, Stage stage) {
        return figures.activeMissionsByStage().get(stage.name());
    }
}
