package io.controlplane.rhythm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.controlplane.rhythm.Rhythm.Meeting;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart passes the team's time zone and any meeting's cron to the service, under names Spring binds back. */
class RhythmHelmTest {
    private static final Path CHART = Path.of("helm", "control-plane");

    @Test
    void theChartSetsTheTeamsTimeZoneAndCronsTheScheduleUnderstands() {
        assertThat(new Helm(CHART).template().withName("cp").call())
                .contains("name: CONTROLPLANE_RHYTHM_TIME_ZONE\n              value: \"UTC\"")
                .doesNotContain("CONTROLPLANE_RHYTHM_CRON_");
        String manifests = new Helm(CHART)
                .template()
                .withName("cp")
                .set("rhythm.timeZone", "America/New_York")
                .set("rhythm.cron.daily-standup", "0 30 8 * * MON-FRI")
                .call();
        assertThat(manifests)
                .contains(
                        "name: CONTROLPLANE_RHYTHM_TIME_ZONE\n              value: \"America/New_York\"",
                        "name: CONTROLPLANE_RHYTHM_CRON_DAILYSTANDUP\n              value: \"0 30 8 * * MON-FRI\"");

        // Spring binds CONTROLPLANE_RHYTHM_CRON_DAILYSTANDUP to the key "dailystandup"
        RhythmSchedule schedule = new RhythmSchedule();
        schedule.setCron(Map.of("dailystandup", "0 30 8 * * MON-FRI"));
        schedule.afterPropertiesSet();
        assertThat(schedule.cron(Meeting.DAILY_STANDUP)).isEqualTo("0 30 8 * * MON-FRI");
    }
}
