package io.controlplane.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.incident.OnCallProperties.Person;
import io.controlplane.incident.OnCallProperties.Shift;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnCallScheduleTest {

    /** The default rotation of the runbook (docs/readiness/runbooks/on_call_schedule.md). */
    static final OnCallProperties DEFAULTS = new OnCallProperties(
            List.of(
                    new Shift("APAC", "Asia/Singapore", "07:00", "15:00", "oc2", "@oc2", "oc2@example.org"),
                    new Shift("EMEA", "Europe/Berlin", "08:00", "16:00", "oc", "@oc", "oc@example.org"),
                    new Shift("AMER", "America/New_York", "10:00", "18:00", "oc2", "@oc2", "oc2@example.org")),
            new Person(null, "@ops-lead", "ops-lead@example.org"),
            null,
            null,
            null);

    private final OnCallSchedule schedule = new OnCallSchedule(DEFAULTS);

    private static Instant utc(String isoInstant) {
        return Instant.parse(isoInstant);
    }

    @Nested
    class DefaultRotationInWinter {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource({
            "2026-11-26T00:00:00Z, APAC, oc2", "2026-11-26T03:30:00Z, APAC, oc2",
            "2026-11-26T10:00:00Z, EMEA, oc", "2026-11-26T14:59:00Z, EMEA, oc",
            "2026-11-26T15:00:00Z, AMER, oc2", "2026-11-26T22:59:59Z, AMER, oc2",
            "2026-11-26T23:00:00Z, APAC, oc2"
        })
        void eachShiftIsOnCallInItsWindow(String at, String shift, String person) {
            OnCall onCall = schedule.onCallAt(utc(at));
            assertThat(onCall.shift()).isEqualTo(shift);
            assertThat(onCall.person()).isEqualTo(person);
        }

        @Test
        void theAnswerCarriesContactsAndTheCurrentStretch() {
            assertThat(schedule.onCallAt(utc("2026-11-26T10:00:00Z")))
                    .isEqualTo(new OnCall(
                            "EMEA",
                            "oc",
                            "@oc",
                            "oc@example.org",
                            "Europe/Berlin",
                            utc("2026-11-26T07:00:00Z"),
                            utc("2026-11-26T15:00:00Z"),
                            "AMER",
                            "oc2"));
        }

        @Test
        void theThreeShiftsTileTheDayExactly() {
            // 23–07, 07–15, 15–23 UTC: every window is 8 hours and each hand-off is where a window starts and ends
            assertThat(schedule.onCallAt(utc("2026-11-26T03:00:00Z")))
                    .extracting(OnCall::since, OnCall::until, OnCall::nextShift)
                    .containsExactly(utc("2026-11-25T23:00:00Z"), utc("2026-11-26T07:00:00Z"), "EMEA");
            assertThat(schedule.onCallAt(utc("2026-11-26T18:00:00Z")))
                    .extracting(OnCall::since, OnCall::until, OnCall::nextShift)
                    .containsExactly(utc("2026-11-26T15:00:00Z"), utc("2026-11-26T23:00:00Z"), "APAC");
        }

        @Test
        void startIsInclusiveAndEndExclusive() {
            Instant handoff = utc("2026-11-26T07:00:00Z");
            assertThat(schedule.onCallAt(handoff.minusNanos(1)).shift()).isEqualTo("APAC");
            OnCall atHandoff = schedule.onCallAt(handoff);
            assertThat(atHandoff.shift()).isEqualTo("EMEA");
            assertThat(atHandoff.since()).isEqualTo(handoff);
            assertThat(schedule.onCallAt(utc("2026-11-26T15:00:00Z").minusNanos(1))
                            .shift())
                    .isEqualTo("EMEA");
            assertThat(schedule.onCallAt(utc("2026-11-26T15:00:00Z")).shift()).isEqualTo("AMER");
        }

        @Test
        void nextHandoffIsStrictlyAfterTheGivenInstant() {
            assertThat(schedule.nextHandoff(utc("2026-11-26T10:00:00Z"))).isEqualTo(utc("2026-11-26T15:00:00Z"));
            assertThat(schedule.nextHandoff(utc("2026-11-26T15:00:00Z"))).isEqualTo(utc("2026-11-26T23:00:00Z"));
            assertThat(schedule.nextHandoff(utc("2026-11-26T23:00:00Z").minusNanos(1)))
                    .isEqualTo(utc("2026-11-26T23:00:00Z"));
            assertThat(schedule.nextHandoff(utc("2026-11-26T23:00:00Z"))).isEqualTo(utc("2026-11-27T07:00:00Z"));
        }
    }

    @Nested
    class DefaultRotationInSummer {

        @Test
        void inTheOverlapTheShiftThatStartedMostRecentlyIsOnCall() {
            // Berlin 08:00 CEST = 06:00 UTC, while Singapore's window runs until 07:00 UTC
            assertThat(schedule.onCallAt(utc("2026-07-01T05:59:00Z")).shift()).isEqualTo("APAC");
            OnCall overlap = schedule.onCallAt(utc("2026-07-01T06:30:00Z"));
            assertThat(overlap.shift()).isEqualTo("EMEA");
            assertThat(overlap.since()).isEqualTo(utc("2026-07-01T06:00:00Z"));
            assertThat(schedule.onCallAt(utc("2026-06-30T23:30:00Z")).until()).isEqualTo(utc("2026-07-01T06:00:00Z"));
        }

        @Test
        void inTheGapTheShiftThatEndedMostRecentlyStaysOnCallUntilTheNextStarts() {
            // New York 18:00 EDT = 22:00 UTC; Singapore starts 07:00 SGT = 23:00 UTC
            OnCall gap = schedule.onCallAt(utc("2026-07-01T22:30:00Z"));
            assertThat(gap)
                    .extracting(OnCall::shift, OnCall::person, OnCall::since, OnCall::until, OnCall::nextShift)
                    .containsExactly("AMER", "oc2", utc("2026-07-01T14:00:00Z"), utc("2026-07-01T23:00:00Z"), "APAC");
            assertThat(schedule.onCallAt(utc("2026-07-01T22:00:00Z")).shift()).isEqualTo("AMER");
            assertThat(schedule.onCallAt(utc("2026-07-01T23:00:00Z")).shift()).isEqualTo("APAC");
        }

        @Test
        void handOffsFollowTheDay() {
            Instant t = utc("2026-07-01T12:00:00Z");
            assertThat(schedule.nextHandoff(t)).isEqualTo(utc("2026-07-01T14:00:00Z"));
            assertThat(schedule.nextHandoff(utc("2026-07-01T14:00:00Z"))).isEqualTo(utc("2026-07-01T23:00:00Z"));
            assertThat(schedule.nextHandoff(utc("2026-07-01T23:00:00Z"))).isEqualTo(utc("2026-07-02T06:00:00Z"));
        }
    }

    @Nested
    class DaylightSavingChanges {

        @Test
        void newYorkSpringsForwardOnTheEighthOfMarch() {
            // 7 March (EST): AMER 15:00–23:00 UTC; 8 March (EDT): AMER 14:00–22:00 UTC, Berlin still on CET
            assertThat(schedule.onCallAt(utc("2026-03-07T14:30:00Z")).shift()).isEqualTo("EMEA");
            assertThat(schedule.onCallAt(utc("2026-03-07T22:30:00Z")).until()).isEqualTo(utc("2026-03-07T23:00:00Z"));
            OnCall afterChange = schedule.onCallAt(utc("2026-03-08T14:30:00Z"));
            assertThat(afterChange.shift()).isEqualTo("AMER");
            assertThat(afterChange.since()).isEqualTo(utc("2026-03-08T14:00:00Z"));
            assertThat(schedule.nextHandoff(utc("2026-03-08T10:00:00Z"))).isEqualTo(utc("2026-03-08T14:00:00Z"));
            assertThat(schedule.nextHandoff(utc("2026-03-07T10:00:00Z"))).isEqualTo(utc("2026-03-07T15:00:00Z"));
        }

        @Test
        void berlinSpringsForwardOnTheTwentyNinthOfMarch() {
            // 28 March (CET): EMEA from 07:00 UTC; 29 March (CEST): from 06:00 UTC
            assertThat(schedule.onCallAt(utc("2026-03-28T06:30:00Z")).shift()).isEqualTo("APAC");
            assertThat(schedule.nextHandoff(utc("2026-03-28T00:00:00Z"))).isEqualTo(utc("2026-03-28T07:00:00Z"));
            assertThat(schedule.onCallAt(utc("2026-03-29T06:30:00Z")).shift()).isEqualTo("EMEA");
            assertThat(schedule.nextHandoff(utc("2026-03-29T00:00:00Z"))).isEqualTo(utc("2026-03-29T06:00:00Z"));
            // both on summer time now: EMEA 06:00–14:00, AMER from 14:00 UTC
            assertThat(schedule.onCallAt(utc("2026-03-29T10:00:00Z")).until()).isEqualTo(utc("2026-03-29T14:00:00Z"));
        }

        @Test
        void inAutumnBerlinFallsBackAWeekBeforeNewYork() {
            // 25 October 2026 Berlin back on CET (EMEA 07–15 UTC), New York still on EDT (AMER 14–22 UTC)
            assertThat(schedule.onCallAt(utc("2026-10-26T06:30:00Z")).shift()).isEqualTo("APAC");
            assertThat(schedule.onCallAt(utc("2026-10-26T14:30:00Z")).shift()).isEqualTo("AMER");
            // 1 November New York back on EST: the winter tiling
            assertThat(schedule.onCallAt(utc("2026-11-02T14:30:00Z")).shift()).isEqualTo("EMEA");
            assertThat(schedule.nextHandoff(utc("2026-11-02T10:00:00Z"))).isEqualTo(utc("2026-11-02T15:00:00Z"));
        }

        @Test
        void aNightShiftCrossingMidnightIsAnHourShorterOrLongerOnTheNightsOfTheChange() {
            OnCallSchedule nights = new OnCallSchedule(properties(
                    new Shift("NIGHT", "Europe/Berlin", "22:00", "06:00", "oc2", "@oc2", null),
                    new Shift("DAY", "Europe/Berlin", "06:00", "22:00", "oc", "@oc", null)));
            // 28→29 March: 22:00 CET = 21:00 UTC to 06:00 CEST = 04:00 UTC, 7 hours
            OnCall spring = nights.onCallAt(utc("2026-03-29T01:30:00Z"));
            assertThat(spring)
                    .extracting(OnCall::shift, OnCall::since, OnCall::until)
                    .containsExactly("NIGHT", utc("2026-03-28T21:00:00Z"), utc("2026-03-29T04:00:00Z"));
            assertThat(Duration.between(spring.since(), spring.until())).isEqualTo(Duration.ofHours(7));
            // 24→25 October: 22:00 CEST = 20:00 UTC to 06:00 CET = 05:00 UTC, 9 hours
            OnCall autumn = nights.onCallAt(utc("2026-10-25T04:30:00Z"));
            assertThat(autumn)
                    .extracting(OnCall::shift, OnCall::since, OnCall::until)
                    .containsExactly("NIGHT", utc("2026-10-24T20:00:00Z"), utc("2026-10-25T05:00:00Z"));
            assertThat(nights.onCallAt(utc("2026-10-25T05:00:00Z")).shift()).isEqualTo("DAY");
        }
    }

    @Nested
    class ShiftsCrossingMidnight {

        private final OnCallSchedule nights = new OnCallSchedule(properties(
                new Shift("NIGHT", "Europe/Berlin", "22:00", "06:00", "oc2", "@oc2", null),
                new Shift("DAY", "Europe/Berlin", "06:00", "22:00", "oc", "@oc", "oc@example.org")));

        private Instant berlin(String localDateTime) {
            return ZonedDateTime.of(LocalDateTime.parse(localDateTime), ZoneId.of("Europe/Berlin"))
                    .toInstant();
        }

        @ParameterizedTest(name = "{0} Berlin → {1}")
        @CsvSource({
            "2026-01-15T21:59, DAY",
            "2026-01-15T22:00, NIGHT",
            "2026-01-15T23:59, NIGHT",
            "2026-01-16T00:00, NIGHT",
            "2026-01-16T05:59, NIGHT",
            "2026-01-16T06:00, DAY"
        })
        void theNightShiftCoversBothSidesOfMidnight(String local, String shift) {
            assertThat(nights.onCallAt(berlin(local)).shift()).isEqualTo(shift);
        }

        @Test
        void theNightShiftRunsFromTheEveningToTheNextMorning() {
            OnCall night = nights.onCallAt(berlin("2026-01-16T02:00"));
            assertThat(night)
                    .isEqualTo(new OnCall(
                            "NIGHT",
                            "oc2",
                            "@oc2",
                            null,
                            "Europe/Berlin",
                            berlin("2026-01-15T22:00"),
                            berlin("2026-01-16T06:00"),
                            "DAY",
                            "oc"));
            assertThat(nights.nextHandoff(berlin("2026-01-15T23:00"))).isEqualTo(berlin("2026-01-16T06:00"));
        }
    }

    @Nested
    class OverlapsAndGaps {

        @Test
        void ofTwoShiftsStartingTogetherTheOneListedFirstIsOnCall() {
            OnCallSchedule twins = new OnCallSchedule(properties(
                    new Shift("FIRST", "UTC", "08:00", "12:00", "oc", "@oc", null),
                    new Shift("SECOND", "UTC", "08:00", "20:00", "oc2", "@oc2", null)));
            assertThat(twins.onCallAt(utc("2026-05-05T09:00:00Z")).shift()).isEqualTo("FIRST");
            assertThat(twins.onCallAt(utc("2026-05-05T13:00:00Z")).shift()).isEqualTo("SECOND");
            // SECOND stays on call through the night's gap; FIRST takes over at 08:00
            OnCall night = twins.onCallAt(utc("2026-05-06T03:00:00Z"));
            assertThat(night)
                    .extracting(OnCall::shift, OnCall::since, OnCall::until)
                    .containsExactly("SECOND", utc("2026-05-05T12:00:00Z"), utc("2026-05-06T08:00:00Z"));
        }

        @Test
        void aShiftInsideAnotherHandsBackWhenItEnds() {
            OnCallSchedule nested = new OnCallSchedule(properties(
                    new Shift("LONG", "UTC", "06:00", "18:00", "oc", "@oc", null),
                    new Shift("COVER", "UTC", "10:00", "12:00", "oc2", "@oc2", null)));
            assertThat(nested.onCallAt(utc("2026-05-05T11:00:00Z")))
                    .extracting(OnCall::shift, OnCall::since, OnCall::until, OnCall::nextShift)
                    .containsExactly("COVER", utc("2026-05-05T10:00:00Z"), utc("2026-05-05T12:00:00Z"), "LONG");
            OnCall afterwards = nested.onCallAt(utc("2026-05-05T13:00:00Z"));
            assertThat(afterwards)
                    .extracting(OnCall::shift, OnCall::since, OnCall::until)
                    .containsExactly("LONG", utc("2026-05-05T12:00:00Z"), utc("2026-05-06T10:00:00Z"));
            // LONG's next window starts at 06:00 but LONG is on call already: no hand-off there
            assertThat(nested.nextHandoff(utc("2026-05-05T20:00:00Z"))).isEqualTo(utc("2026-05-06T10:00:00Z"));
        }

        @Test
        void aSingleShiftIsAlwaysOnCallAndNeverHandsOff() {
            OnCallSchedule alone = new OnCallSchedule(
                    properties(new Shift("ONLY", "Asia/Singapore", "09:00", "17:00", "oc", "@oc", null)));
            OnCall onCall = alone.onCallAt(utc("2026-05-05T20:00:00Z"));
            assertThat(onCall.shift()).isEqualTo("ONLY");
            assertThat(onCall.since()).isNull();
            assertThat(onCall.until()).isNull();
            assertThat(onCall.nextShift()).isNull();
            assertThat(alone.nextHandoff(utc("2026-05-05T20:00:00Z"))).isNull();
        }
    }

    @Test
    void exposesTheLeadAndTheEscalationSettings() {
        assertThat(schedule.lead().slack()).isEqualTo("@ops-lead");
        assertThat(schedule.lead().email()).isEqualTo("ops-lead@example.org");
        assertThat(schedule.escalateAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThat(schedule.pagerDutySchedule()).isEqualTo("Mission Ops On-Call");
        assertThat(schedule.handoffSummary()).isTrue();
        assertThat(schedule.shifts()).extracting(Shift::name).containsExactly("APAC", "EMEA", "AMER");
    }

    @Test
    void aBlankEmailIsAnsweredAsNone() {
        OnCallSchedule blankMail = new OnCallSchedule(properties(
                new Shift("ONE", "UTC", "00:00", "12:00", "oc", "@oc", " "),
                new Shift("TWO", "UTC", "12:00", "00:00", "oc2", "@oc2", "oc2@example.org")));
        assertThat(blankMail.onCallAt(utc("2026-05-05T06:00:00Z")).email()).isNull();
        assertThat(blankMail.onCallAt(utc("2026-05-05T18:00:00Z")).email()).isEqualTo("oc2@example.org");
    }

    static OnCallProperties properties(Shift... shifts) {
        return new OnCallProperties(List.of(shifts), new Person(null, "@ops-lead", null), null, null, null);
    }
}
