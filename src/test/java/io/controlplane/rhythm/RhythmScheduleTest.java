package io.controlplane.rhythm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.controlplane.rhythm.Rhythm.Meeting;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.Map;
import java.util.TimeZone;
import org.camunda.bpm.engine.impl.calendar.CronTimer;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The schedule alone: the cycle it hands Camunda means 9:00 in the team's zone whatever the JVM's zone. */
class RhythmScheduleTest {

    @AfterEach
    void reset() {
        ClockUtil.reset();
    }

    private static RhythmSchedule newYork() {
        RhythmSchedule s = new RhythmSchedule();
        s.setTimeZone(ZoneId.of("America/New_York"));
        return s;
    }

    @Test
    void theCycleCamundaReadsIsNineInNewYorkInAnyJvmZone() throws Exception {
        RhythmSchedule schedule = newYork();
        TimeZone jvm = TimeZone.getDefault();
        try {
            for (String zone :
                    new String[] {"UTC", "Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles", "Australia/Sydney"}) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                Date now = Date.from(Instant.parse("2027-03-12T14:00:00Z")); // Friday 9:00 EST
                ClockUtil.setCurrentTime(now);
                String cycle = schedule.cycle("daily-standup");
                assertThat(CronTimer.parse(cycle).getDueDate(now).toInstant())
                        .as("JVM in %s: %s", zone, cycle)
                        .isEqualTo(Instant.parse("2027-03-15T13:00:00Z")); // Monday 9:00 EDT
                now = Date.from(Instant.parse("2027-11-05T13:00:00Z")); // Friday 9:00 EDT
                ClockUtil.setCurrentTime(now);
                assertThat(CronTimer.parse(schedule.cycle("daily-standup"))
                                .getDueDate(now)
                                .toInstant())
                        .as("JVM in %s", zone)
                        .isEqualTo(Instant.parse("2027-11-08T14:00:00Z")); // Monday 9:00 EST
            }
        } finally {
            TimeZone.setDefault(jvm);
        }
    }

    @Test
    void defaultsFollowTheGuideAndTheCouncilMeetsEverySecondWeek() {
        RhythmSchedule schedule = newYork();
        assertThat(schedule.cron(Meeting.DAILY_STANDUP)).isEqualTo("0 0 9 * * MON-FRI");
        // 2025-01-09 is the Thursday of the anchor week; the next council is two weeks later
        Instant first = schedule.next(Meeting.GOVERNANCE_COUNCIL, Instant.parse("2025-01-06T00:00:00Z"));
        assertThat(first).isEqualTo(Instant.parse("2025-01-09T19:00:00Z"));
        assertThat(schedule.next(Meeting.GOVERNANCE_COUNCIL, first)).isEqualTo(Instant.parse("2025-01-23T19:00:00Z"));
        // the first Monday of a month, and of a quarter
        assertThat(schedule.next(Meeting.MONTHLY_RETROSPECTIVE, Instant.parse("2026-11-26T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-07T15:00:00Z"));
        assertThat(schedule.next(Meeting.QUARTERLY_PLANNING, Instant.parse("2026-11-26T00:00:00Z")))
                .isEqualTo(Instant.parse("2027-01-04T15:00:00Z"));
    }

    @Test
    void aCronForAnUnknownMeetingOrABadCronStopsTheStartUp() {
        RhythmSchedule unknown = newYork();
        unknown.setCron(Map.of("standup", "0 0 9 * * *"));
        assertThatThrownBy(unknown::afterPropertiesSet).hasMessageContaining("no such meeting");
        RhythmSchedule bad = newYork();
        bad.setCron(Map.of("daily-standup", "nine o'clock"));
        assertThatThrownBy(bad::afterPropertiesSet).isInstanceOf(IllegalArgumentException.class);
        RhythmSchedule custom = newYork();
        custom.setCron(Map.of("weekly-ops-sync", "0 30 8 * * TUE"));
        custom.setCouncilAnchorWeek(LocalDate.of(2025, 1, 8));
        custom.afterPropertiesSet();
        assertThat(custom.cron(Meeting.WEEKLY_OPS_SYNC)).isEqualTo("0 30 8 * * TUE");
        assertThat(custom.cron(Meeting.DAILY_STANDUP)).isEqualTo("0 0 9 * * MON-FRI");
        assertThat(custom.getCouncilAnchorWeek()).isEqualTo(LocalDate.of(2025, 1, 6));
    }
}
