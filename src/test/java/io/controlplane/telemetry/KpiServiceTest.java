package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.MissionJourney;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The six KPIs over a scenario driven through the real engine with the engine clock in a past ISO week without any
 * journey history: 2017-W33, or (a PostgreSQL test database keeps earlier runs) the first free one after it, three
 * weeks apart. Our own tables stamp the wall clock; the KPIs join them by mission id only. Expected values are
 * computed by hand from the scenario below.
 */
@IntegrationTest
class KpiServiceTest {
    /** ISO week 2017-W33: Monday 2017-08-14 (UTC), where the search for a free week starts */
    static final Instant FIRST_CANDIDATE = Instant.parse("2017-08-14T00:00:00Z");

    private static final Duration WEEK = Duration.ofDays(7);

    /** the scenario's week [WEEK_FROM, WEEK_TO), a Monday 00:00 UTC; the mission outside it runs the week before */
    static Instant WEEK_FROM;

    static Instant WEEK_TO;
    /** Tuesday noon of the week: inside no quiet window of the test brief */
    private static Instant NOON;

    @Autowired
    ProcessEngine engine;

    @Autowired
    JourneyDriver drive;

    @Autowired
    KpiService kpis;

    @Autowired
    KpiFacts facts;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    /** the scenario's missions, driven once for the class */
    static Map<String, String> scenario;

    private Instant clock;

    @BeforeEach
    void scenario() {
        if (scenario == null) {
            WEEK_FROM = freeWeek();
            WEEK_TO = WEEK_FROM.plus(WEEK);
            NOON = WEEK_FROM.plus(Duration.ofHours(36));
            scenario = drive();
        }
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    /** the first candidate Monday with no journey activity from two weeks before it to a week after it */
    private Instant freeWeek() {
        Instant monday = FIRST_CANDIDATE;
        while (jdbc.queryForObject(
                        """
                SELECT COUNT(*) FROM ACT_HI_ACTINST WHERE PROC_DEF_KEY_ = :journey AND START_TIME_ >= :from AND START_TIME_ < :to""",
                        new MapSqlParameterSource("journey", MissionJourney.PROCESS_KEY)
                                .addValue("from", Timestamp.from(monday.minus(WEEK.multipliedBy(2))))
                                .addValue("to", Timestamp.from(monday.plus(WEEK))),
                        Long.class)
                > 0) {
            monday = monday.plus(Duration.ofDays(21));
        }
        return monday;
    }

    private static String isoWeek(Instant monday) {
        var d = monday.atOffset(ZoneOffset.UTC);
        return String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private void at(Instant t) {
        clock = t;
        ClockUtil.setCurrentTime(Date.from(t));
    }

    private void later(Duration d) {
        at(clock.plus(d));
    }

    /**
     * In the week: A completes with feedback, one round of 2 h, a play from the library; B completes with its feedback
     * skipped, two rounds (a rejected one of 3 h, then 6 h); C escalates, is rolled back (one undo completes, one
     * fails), completes with feedback naming a reused asset, one round of 1 h; D waits in its first packet review.
     * E runs entirely in the week before: completed with feedback, an escalation, a library play, one round.
     */
    private Map<String, String> drive() {
        Map<String, String> ids = new LinkedHashMap<>();
        try {
            at(WEEK_FROM.minus(Duration.ofDays(6)).plus(Duration.ofHours(9)));
            String e = toPacketReview("KPI E (week before)", "lib-before");
            cosign(e, Duration.ofMinutes(30), Duration.ofMinutes(30), true);
            drive.agent(e, Topics.PLAY_EXECUTE, step("Guaranteed results for you!"));
            drive.complete(
                    e,
                    Runbooks.Elements.VIOLATION_DECISION,
                    "gv",
                    Map.of(
                            Runbooks.Vars.VIOLATION_DECISION,
                            "resume",
                            Runbooks.Vars.VIOLATION_NOTE,
                            "approved wording"));
            drive.agent(e, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "done"));
            reflect(e, true, null);
            ids.put("E", e);

            at(WEEK_FROM.plus(Duration.ofHours(32)));
            String a = toPacketReview("KPI A", "lib-outreach-7");
            cosign(a, Duration.ofHours(1), Duration.ofHours(1), true); // 2 h
            executeCleanly(a);
            reflect(a, true, null);
            ids.put("A", a);

            later(Duration.ofHours(1));
            String b = toPacketReview("KPI B", null);
            later(Duration.ofHours(1));
            drive.complete(
                    b,
                    Elements.PACKET_REVIEW_GOVERNANCE,
                    "gv",
                    Map.of(Vars.GV_PACKET_DECISION, "reject", Vars.GV_PACKET_COMMENT, "undo plan too thin"));
            later(Duration.ofHours(2));
            drive.complete(
                    b, Elements.PACKET_REVIEW_OPERATIONS, "oc", Map.of(Vars.OC_PACKET_DECISION, "approve")); // 3 h
            drive.complete(
                    b, Elements.TELEMETRY_HOOKS_VERIFICATION, "ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
            later(Duration.ofMinutes(10));
            drive.agent(b, Topics.PLAY_RANK, plays(null));
            cosign(b, Duration.ofHours(5), Duration.ofHours(1), true); // 6 h
            executeCleanly(b);
            reflect(b, false, null);
            ids.put("B", b);

            later(Duration.ofHours(1));
            String c = toPacketReview("KPI C", null);
            cosign(c, Duration.ofMinutes(20), Duration.ofMinutes(40), true); // 1 h
            later(Duration.ofMinutes(5));
            drive.agent(c, Topics.PLAY_EXECUTE, step("Hello, shall we talk?"));
            drive.agent(c, Topics.PLAY_EXECUTE, step("Your results are guaranteed!"));
            drive.complete(
                    c,
                    Runbooks.Elements.VIOLATION_DECISION,
                    "gv",
                    Map.of(
                            Runbooks.Vars.VIOLATION_DECISION,
                            "rollback",
                            Runbooks.Vars.VIOLATION_NOTE,
                            "tone breach reached customers"));
            var undoSecond = drive.lock(c, Topics.PLAY_UNDO);
            engine.getExternalTaskService().complete(undoSecond.getId(), JourneyDriver.TEST_WORKER);
            var undoFirst = drive.lock(c, Topics.PLAY_UNDO);
            engine.getExternalTaskService()
                    .handleBpmnError(
                            undoFirst.getId(),
                            JourneyDriver.TEST_WORKER,
                            MissionJourney.ERROR_UNDO_FAILED,
                            "records changed since");
            drive.agent(c, Runbooks.Topics.ALTERNATE_ROLLBACK, Map.of());
            drive.complete(
                    c,
                    Runbooks.Elements.CONFIRM_RESTORATION,
                    "oc",
                    Map.of(
                            Runbooks.Vars.RESTORATION_CONFIRMED,
                            true,
                            Runbooks.Vars.RESTORATION_NOTE,
                            "restored from the nightly export"));
            reflect(c, true, "segment-template-2");
            ids.put("C", c);

            later(Duration.ofHours(1));
            ids.put("D", toPacketReview("KPI D (in review)", null));
        } finally {
            ClockUtil.reset();
        }
        return ids;
    }

    private String toPacketReview(String title, String libraryAssetId) {
        String id = drive.start("mo", JourneyDriver.brief(title));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        if (libraryAssetId != null) {
            // the planner may only reuse assets that are in the library
            jdbc.update("""
                    INSERT INTO library_assets (id, name, category, persona, impact, reversibility, mutating, source_mission_id,
                      source_play_id, created_by, created_at, reuse_count, rating_sum, rating_count)
                    SELECT :asset, 'KPI test asset', 'outreach', 'KPI test persona', 'low', 'reversible', FALSE, :mission,
                      'source', 'kc', CURRENT_TIMESTAMP, 0, 0, 0 FROM missions WHERE id = :mission
                      AND NOT EXISTS (SELECT 1 FROM library_assets WHERE id = :asset)""", new MapSqlParameterSource("asset", libraryAssetId).addValue("mission", id));
        }
        drive.agent(id, Topics.PLAY_RANK, plays(libraryAssetId));
        return id;
    }

    /** Two reversible plays; the second comes from the library when an asset id is given. */
    private Map<String, Object> plays(String libraryAssetId) {
        List<Map<String, Object>> plays = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("playId", "play-" + i);
            p.put("name", "Play " + i);
            p.put("impact", "medium");
            p.put("reversibility", "reversible");
            p.put("mutating", true);
            p.put("undoPlan", Map.of("label", "Undo play " + i, "windowMinutes", 15, "steps", List.of("revert")));
            if (i == 2 && libraryAssetId != null) {
                p.put("libraryAssetId", libraryAssetId);
            }
            plays.add(p);
        }
        return Map.of(Vars.RANKED_PLAYS, drive.json().variable(plays));
    }

    /** GV signs {@code gv} after the round opened (now), OC {@code oc} after that; TA verifies with OC. */
    private void cosign(String id, Duration gv, Duration oc, boolean approve) {
        later(gv);
        drive.complete(
                id,
                Elements.PACKET_REVIEW_GOVERNANCE,
                "gv",
                Map.of(Vars.GV_PACKET_DECISION, approve ? "approve" : "reject", Vars.GV_PACKET_COMMENT, "checked"));
        later(oc);
        drive.complete(id, Elements.PACKET_REVIEW_OPERATIONS, "oc", Map.of(Vars.OC_PACKET_DECISION, "approve"));
        drive.complete(
                id, Elements.TELEMETRY_HOOKS_VERIFICATION, "ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
    }

    private Map<String, Object> step(String text) {
        return drive.outcomeWithStep("sent outreach", NOON, "Etc/UTC", text);
    }

    private void executeCleanly(String id) {
        later(Duration.ofMinutes(5));
        drive.agent(id, Topics.PLAY_EXECUTE, step("Hello, shall we talk?"));
        drive.agent(id, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "segment updated"));
    }

    /** Feedback (or skipped, as an operator would in Cockpit), then the three retrospective signatures. */
    private void reflect(String id, boolean feedback, String reused) {
        later(Duration.ofMinutes(15));
        if (feedback) {
            Map<String, Object> answer = new LinkedHashMap<>(Map.of(
                    Vars.FEEDBACK_RATING, 4L, Vars.EFFORT_SAVED_HOURS, 3L, Vars.FEEDBACK_SATISFACTION, "satisfied"));
            if (reused != null) {
                answer.put(Vars.LIBRARY_ASSETS_REUSED, reused);
            }
            drive.complete(id, Elements.MISSION_FEEDBACK, "mo", answer);
        } else {
            engine.getRuntimeService()
                    .createProcessInstanceModification(drive.instance(id).getId())
                    .startBeforeActivity(Elements.RETRO_SIGN_OFF_OWNER)
                    .startBeforeActivity(Elements.RETRO_SIGN_OFF_CURATOR)
                    .startBeforeActivity(Elements.RETRO_SIGN_OFF_ANALYST)
                    .cancelAllForActivity(Elements.MISSION_FEEDBACK)
                    .execute();
        }
        drive.complete(id, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_CURATOR, "kc", Map.of(Vars.CURATOR_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
        if (drive.instance(id) != null) {
            throw new AssertionError("mission " + id + " did not complete");
        }
    }

    private KpiService.Report week() {
        return kpis.report(WEEK_FROM, WEEK_TO);
    }

    @Test
    void throughputCountsTheJourneysCompletedInTheWindowAgainstTheWeeklyTarget() {
        KpiService.Kpi k = week().kpi(KpiService.MISSION_THROUGHPUT);
        assertThat(k.value()).isEqualTo(3.0); // A, B, C; not E (week before), not D (in review)
        assertThat(k.numerator()).isEqualTo(3);
        assertThat(k.denominator()).isNull();
        assertThat(k.target()).isEqualTo(30.0);
        assertThat(k.comparator()).isEqualTo(">=");
        assertThat(k.met()).isFalse();
        // the target scales with the window: two weeks, 60; E now counts too
        KpiService.Kpi twoWeeks =
                kpis.report(WEEK_FROM.minus(Duration.ofDays(7)), WEEK_TO).kpi(KpiService.MISSION_THROUGHPUT);
        assertThat(twoWeeks.target()).isEqualTo(60.0);
        assertThat(twoWeeks.numerator()).isEqualTo(4);
    }

    @Test
    void approvalLatencyIsTheP95OfEveryRoundUntilItsLastCoSignature() {
        KpiService.Kpi k = week().kpi(KpiService.APPROVAL_LATENCY);
        // rounds 1 h (C), 2 h (A), 3 h (B, rejected), 6 h (B again); D's round has no co-signature yet
        // PERCENTILE_CONT(0.95) over 4 values: 3 + 0.85 * (6 - 3)
        assertThat(k.value()).isCloseTo(5.55, within(1e-6));
        assertThat(k.unit()).isEqualTo("hours");
        assertThat(k.denominator()).as("rounds").isEqualTo(4);
        assertThat(k.numerator()).as("rounds within 4 h").isEqualTo(3);
        assertThat(k.comparator()).isEqualTo("<=");
        assertThat(k.met()).isFalse();
    }

    @Test
    void escalationRateIsMissionsThatEscalatedAmongThoseThatReachedExecute() {
        KpiService.Kpi k = week().kpi(KpiService.VALIDATOR_ESCALATION_RATE);
        assertThat(k.numerator()).isEqualTo(1); // C (E escalated the week before)
        assertThat(k.denominator()).isEqualTo(3); // A, B, C
        assertThat(k.value()).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(k.met()).isFalse();
    }

    @Test
    void undoSuccessIsCompletedOverAttemptedUndoExecutions() {
        KpiService.Kpi k = week().kpi(KpiService.UNDO_EXECUTION_SUCCESS);
        assertThat(k.denominator()).as("attempted").isEqualTo(2);
        assertThat(k.numerator()).as("completed").isEqualTo(1);
        assertThat(k.value()).isEqualTo(50.0);
        assertThat(k.target()).isEqualTo(98.0);
        assertThat(k.met()).isFalse();
    }

    @Test
    void feedbackParticipationIsCompletedMissionsWithFeedback() {
        KpiService.Kpi k = week().kpi(KpiService.FEEDBACK_PARTICIPATION);
        assertThat(k.numerator()).isEqualTo(2); // A, C; B skipped it
        assertThat(k.denominator()).isEqualTo(3);
        assertThat(k.value()).isCloseTo(200.0 / 3, within(1e-9));
        assertThat(k.met()).isFalse();
    }

    @Test
    void libraryReuseCountsPlannedMissionsWithALibraryPlayOrReusedAssetsInFeedback() {
        KpiService.Kpi k = week().kpi(KpiService.LIBRARY_REUSE);
        assertThat(k.denominator()).isEqualTo(4); // A, B, C, D
        assertThat(k.numerator()).isEqualTo(2); // A (a play from the library), C (its feedback)
        assertThat(k.value()).isEqualTo(50.0);
        assertThat(k.met()).isTrue();
    }

    @Test
    void theWeekBeforeHoldsOnlyTheMissionOutsideTheWindow() {
        KpiService.Report before = kpis.report(WEEK_FROM.minus(Duration.ofDays(7)), WEEK_FROM);
        assertThat(before.kpi(KpiService.MISSION_THROUGHPUT).numerator()).isEqualTo(1);
        assertThat(before.kpi(KpiService.FEEDBACK_PARTICIPATION).value()).isEqualTo(100.0);
        assertThat(before.kpi(KpiService.VALIDATOR_ESCALATION_RATE).value()).isEqualTo(100.0);
        assertThat(before.kpi(KpiService.LIBRARY_REUSE).value()).isEqualTo(100.0);
        assertThat(before.kpi(KpiService.APPROVAL_LATENCY).value()).isCloseTo(1.0, within(1e-6));
        assertThat(before.kpi(KpiService.APPROVAL_LATENCY).met()).isTrue();
        KpiService.Kpi undo = before.kpi(KpiService.UNDO_EXECUTION_SUCCESS);
        assertThat(undo.value()).as("no undo: no data").isNull();
        assertThat(undo.met()).isNull();
        assertThat(undo.denominator()).isZero();
    }

    @Test
    void weeklyReportsIsoWeeksEndingWithTheCurrentOne() {
        at(WEEK_FROM.plus(Duration.ofHours(58)));
        List<KpiService.Week> weeks = kpis.weekly(3);
        assertThat(weeks)
                .extracting(KpiService.Week::week)
                .containsExactly(
                        isoWeek(WEEK_FROM.minus(WEEK.multipliedBy(2))),
                        isoWeek(WEEK_FROM.minus(WEEK)),
                        isoWeek(WEEK_FROM));
        assertThat(weeks.get(2).from()).isEqualTo(WEEK_FROM);
        assertThat(weeks.get(2).to()).isEqualTo(WEEK_TO);
        assertThat(weeks).extracting(w -> w.kpis().get(0).numerator()).containsExactly(0L, 1L, 3L);
        assertThat(weeks.get(0).kpis()).hasSize(6);
        assertThat(weeks.get(0).kpis())
                .filteredOn(k -> !k.key().equals(KpiService.MISSION_THROUGHPUT))
                .allSatisfy(k -> assertThat(k.met()).isNull());
        assertThat(weeks.get(2).kpis()).isEqualTo(week().kpis());
    }

    /**
     * The arithmetic buckets put every row where a window of its own would: a series of day windows (and the digests'
     * mixed windows) gives each day exactly what {@code report(day)} gives, with the boundaries on the scenario's
     * events, and the days add up to the week.
     */
    @Test
    void seriesBucketsAgreeWithSingleWindows() {
        Duration day = Duration.ofDays(1);
        List<KpiService.Report> days = kpis.series(WEEK_FROM.minus(WEEK), day, 14);
        assertThat(days).hasSize(14);
        long completions = 0;
        for (KpiService.Report d : days) {
            assertThat(d.kpis())
                    .as("day %s", d.from())
                    .isEqualTo(kpis.report(d.from(), d.to()).kpis());
            completions += d.kpi(KpiService.MISSION_THROUGHPUT).numerator();
        }
        assertThat(completions)
                .isEqualTo(kpis.report(WEEK_FROM.minus(WEEK), WEEK_TO)
                        .kpi(KpiService.MISSION_THROUGHPUT)
                        .numerator());
        // a fortnight, then four contiguous weeks (the governance council's digest), then a window of an odd length
        Instant oddFrom = WEEK_FROM.plus(Duration.ofMillis(1_234_567));
        List<KpiService.Window> mixed = List.of(
                new KpiService.Window(WEEK_FROM.minus(WEEK), WEEK_TO),
                new KpiService.Window(WEEK_TO.minus(WEEK.multipliedBy(4)), WEEK_TO.minus(WEEK.multipliedBy(3))),
                new KpiService.Window(WEEK_TO.minus(WEEK.multipliedBy(3)), WEEK_TO.minus(WEEK.multipliedBy(2))),
                new KpiService.Window(WEEK_TO.minus(WEEK.multipliedBy(2)), WEEK_FROM),
                new KpiService.Window(WEEK_FROM, WEEK_TO),
                new KpiService.Window(oddFrom, WEEK_TO.minusNanos(1000)));
        List<KpiService.Report> reports = kpis.reports(mixed);
        assertThat(reports).hasSize(mixed.size());
        for (int i = 0; i < mixed.size(); i++) {
            KpiService.Window w = mixed.get(i);
            assertThat(reports.get(i).from()).isEqualTo(w.from());
            assertThat(reports.get(i).to()).isEqualTo(w.to());
            assertThat(reports.get(i).kpis())
                    .as("window %d", i)
                    .isEqualTo(kpis.report(w.from(), w.to()).kpis());
        }
        assertThat(reports.get(4).kpis()).isEqualTo(week().kpis());
    }

    /**
     * The read model gives the same figures as the history it is made of (issue #13): every figure of the scenario's
     * fortnight, day by day and for the week, before and after the ended journeys' facts are materialized, and a
     * second run adds nothing. Afterwards the facts are dropped again, so the other tests (which move the engine clock
     * back and forth) read everything live.
     */
    @Test
    void materializedFactsGiveTheFiguresTheHistoryGives() {
        Duration day = Duration.ofDays(1);
        List<KpiService.Report> live = kpis.series(WEEK_FROM.minus(WEEK), day, 14);
        KpiService.Report liveWeek = week();
        try {
            int journeys = facts.catchUp();
            assertThat(journeys).as("ended journeys materialized").isGreaterThanOrEqualTo(scenario.size() - 1);
            Long rows = jdbc.getJdbcTemplate().queryForObject("SELECT COUNT(*) FROM kpi_facts", Long.class);
            assertThat(rows).as("facts").isGreaterThan((long) journeys);
            assertThat(kpis.series(WEEK_FROM.minus(WEEK), day, 14)).isEqualTo(live);
            assertThat(week()).isEqualTo(liveWeek);
            assertThat(facts.catchUp()).as("a second run").isZero();
            assertThat(jdbc.getJdbcTemplate().queryForObject("SELECT COUNT(*) FROM kpi_facts", Long.class))
                    .isEqualTo(rows);
        } finally {
            jdbc.getJdbcTemplate().update("DELETE FROM kpi_facts");
            jdbc.getJdbcTemplate().update("DELETE FROM kpi_fact_journeys");
            jdbc.getJdbcTemplate()
                    .update("UPDATE kpi_fact_progress SET materialized_to = TIMESTAMP '1970-01-01 00:00:00'");
        }
    }
}
