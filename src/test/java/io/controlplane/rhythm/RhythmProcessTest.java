package io.controlplane.rhythm;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.backlog.BacklogRequest;
import io.controlplane.backlog.BacklogService;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.MissionStore;
import io.controlplane.rhythm.Rhythm.Meeting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The five rhythm processes, each started by its own timer with the engine's clock set, over a known history built in
 * an October (and the months before it) that no other test uses; and the daily standup's timer in a New York team
 * across both daylight-saving changes. The test profile's team zone is America/New_York.
 */
@IntegrationTest
class RhythmProcessTest {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Autowired
    ProcessEngine engine;

    @Autowired
    JourneyDriver drive;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @Autowired
    BacklogService backlog;

    @LocalServerPort
    int port;

    /** the first Monday of the scenario's October, and the missions of the known history */
    static LocalDate monday;

    static Map<String, String> missions;
    static long backlogTop;

    @BeforeEach
    void history() {
        if (missions == null) {
            monday = LocalDate.of(freeYear(), 10, 1).with(TemporalAdjusters.firstInMonth(DayOfWeek.MONDAY));
            missions = build();
        }
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    /** A year before anything any test (or an earlier run on the same database) recorded. */
    private int freeYear() {
        Timestamp earliest = jdbc.queryForObject(
                "SELECT MIN(START_TIME_) FROM ACT_HI_PROCINST", new MapSqlParameterSource(), Timestamp.class);
        int year = 2012;
        if (earliest != null) {
            year = Math.min(year, earliest.toInstant().atZone(NEW_YORK).getYear() - 2);
        }
        for (String table : List.of(
                "incidents:opened_at",
                "backlog_items:created_at",
                "telemetry_events:occurred_at",
                "library_assets:created_at",
                "meeting_notes:held_at")) {
            String[] t = table.split(":");
            OffsetDateTime min = jdbc.queryForObject(
                    "SELECT MIN(" + t[1] + ") FROM " + t[0], new MapSqlParameterSource(), OffsetDateTime.class);
            if (min != null) {
                year = Math.min(year, min.atZoneSameInstant(NEW_YORK).getYear() - 2);
            }
        }
        return year;
    }

    private static Instant at(LocalDate day, int hour) {
        return day.atTime(LocalTime.of(hour, 0)).atZone(NEW_YORK).toInstant();
    }

    private static void clock(Instant t) {
        ClockUtil.setCurrentTime(Date.from(t));
    }

    /**
     * The known history (New York time, M = the first Monday of October):
     * P "Rhythm plan": started M−24 d 10:00, its approval packet co-signed in 2 h (GV after 1 h, OC after 2 h) on
     * M−24 d (September), then in Execute &amp; Observe; R "Rhythm prepare": started M−11 d, intent confirmed, waiting
     * in Prepare; D "Rhythm define": started M−3 d 09:00, waiting in Define. One validator alert 2 h before the standup;
     * incidents: one open, one resolved 3 days before the standup and never reviewed (overdue), one resolved 20 h
     * before (not overdue). Backlog: three open Prepare items, one Define item.
     */
    private Map<String, String> build() {
        Map<String, String> ids = new LinkedHashMap<>();
        try {
            Instant t = at(monday.minusDays(24), 10);
            clock(t);
            String p = drive.start("mo", JourneyDriver.brief("Rhythm plan"));
            drive.confirmIntent(p);
            drive.agent(p, Topics.DATA_INSPECT, drive.coverage(95));
            drive.authorizeToolkits(p);
            drive.agent(p, Topics.PLAY_RANK, drive.ranking("medium/reversible"));
            clock(t.plus(Duration.ofHours(1)));
            drive.complete(p, Elements.PACKET_REVIEW_GOVERNANCE, "gv", Map.of(Vars.GV_PACKET_DECISION, "approve"));
            clock(t.plus(Duration.ofHours(2)));
            drive.complete(p, Elements.PACKET_REVIEW_OPERATIONS, "oc", Map.of(Vars.OC_PACKET_DECISION, "approve"));
            drive.complete(
                    p, Elements.TELEMETRY_HOOKS_VERIFICATION, "ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
            ids.put("P", p);

            clock(at(monday.minusDays(11), 10));
            String r = drive.start("mo", JourneyDriver.brief("Rhythm prepare"));
            drive.confirmIntent(r);
            ids.put("R", r);

            clock(at(monday.minusDays(3), 9));
            ids.put("D", drive.start("mo", JourneyDriver.brief("Rhythm define")));
        } finally {
            ClockUtil.reset();
        }
        Instant standup = at(monday, 9);
        jdbc.update(
                """
                INSERT INTO telemetry_events (name, mission_id, stage, agent, occurred_at, attributes)
                VALUES ('validator_alert_raised', :m, 'EXECUTE_OBSERVE', 'agent', :at, '{"safeguard":"tone","code":"forbidden_word"}')""",
                new MapSqlParameterSource("m", ids.get("P"))
                        .addValue("at", MissionStore.odt(standup.minus(Duration.ofHours(2)))));
        incident("INC-RHYTHM-OPEN-" + monday, ids.get("P"), standup.minus(Duration.ofHours(5)), null);
        incident(
                "INC-RHYTHM-OVERDUE-" + monday,
                ids.get("P"),
                standup.minus(Duration.ofDays(4)),
                standup.minus(Duration.ofDays(3)));
        incident(
                "INC-RHYTHM-RECENT-" + monday,
                ids.get("R"),
                standup.minus(Duration.ofHours(30)),
                standup.minus(Duration.ofHours(20)));

        List<Long> items = new ArrayList<>();
        items.add(backlog.create(new BacklogRequest(
                        "Rhythm: sample data faster",
                        null,
                        "PREPARE",
                        "data_sampling",
                        null,
                        null,
                        4,
                        2,
                        "telemetry-analyst"))
                .id());
        items.add(backlog.create(new BacklogRequest(
                        "Rhythm: refresh the toolkit catalog",
                        null,
                        "PREPARE",
                        "toolkit_catalog",
                        null,
                        null,
                        2,
                        2,
                        "operations-command"))
                .id());
        items.add(backlog.create(new BacklogRequest(
                        "Rhythm: automate OAuth scopes",
                        null,
                        "PREPARE",
                        "oauth_automation",
                        null,
                        null,
                        1,
                        4,
                        "operations-command"))
                .id());
        items.add(backlog.create(new BacklogRequest(
                        "Rhythm: intake prompts per persona",
                        null,
                        "DEFINE",
                        "intake_prompts",
                        null,
                        null,
                        5,
                        1,
                        "mission-owner"))
                .id());
        // ... PREPARE's fourth-best would not be listed: three per stage
        items.add(backlog.create(new BacklogRequest(
                        "Rhythm: least urgent prepare item",
                        null,
                        "PREPARE",
                        "data_sampling",
                        null,
                        null,
                        1,
                        5,
                        "mission-owner"))
                .id());
        jdbc.update(
                "UPDATE backlog_items SET created_at = :at WHERE id IN (:ids)",
                new MapSqlParameterSource("ids", items).addValue("at", MissionStore.odt(at(monday.minusDays(20), 12))));
        backlogTop = items.get(0);
        return ids;
    }

    private void incident(String id, String mission, Instant opened, Instant resolved) {
        jdbc.update(
                """
                INSERT INTO incidents (id, mission_id, kind, severity, status, stage, summary, opened_at, resolved_at, resolved_by, resolution)
                VALUES (:id, :m, 'safeguard_violation', 'high', :status, 'EXECUTE_OBSERVE', 'rhythm test incident', :opened,
                        :resolved, :by, :resolution)""",
                new MapSqlParameterSource("id", id)
                        .addValue("m", mission)
                        .addValue("status", resolved == null ? "OPEN" : "RESOLVED")
                        .addValue("opened", MissionStore.odt(opened))
                        .addValue("resolved", MissionStore.odt(resolved))
                        .addValue("by", resolved == null ? null : "oc")
                        .addValue("resolution", resolved == null ? null : "resumed"));
    }

    /** Fires the meeting's timer with the engine's clock at {@code t}; returns the process instance it started. */
    private ProcessInstance fire(Meeting meeting, Instant t) {
        clock(t);
        var management = engine.getManagementService();
        var timer = management
                .createJobQuery()
                .processDefinitionKey(meeting.processKey())
                .timers()
                .singleResult();
        assertThat(timer).as("the %s timer is scheduled", meeting.type()).isNotNull();
        management.executeJob(timer.getId());
        Long noteId = jdbc.queryForObject(
                "SELECT MAX(id) FROM meeting_notes WHERE meeting_type = :type AND held_at = :at",
                new MapSqlParameterSource("type", meeting.type()).addValue("at", MissionStore.odt(t)),
                Long.class);
        assertThat(noteId).as("meeting notes of the run").isNotNull();
        String pi = jdbc.queryForObject(
                "SELECT process_instance_id FROM meeting_notes WHERE id = :id",
                new MapSqlParameterSource("id", noteId),
                String.class);
        return engine.getHistoryService()
                                .createHistoricProcessInstanceQuery()
                                .processInstanceId(pi)
                                .singleResult()
                        == null
                ? null
                : engine.getRuntimeService()
                        .createProcessInstanceQuery()
                        .processInstanceId(pi)
                        .singleResult();
    }

    private long noteOf(Meeting meeting, Instant t) {
        return jdbc.queryForObject(
                "SELECT MAX(id) FROM meeting_notes WHERE meeting_type = :type AND held_at = :at",
                new MapSqlParameterSource("type", meeting.type()).addValue("at", MissionStore.odt(t)),
                Long.class);
    }

    /** Delivers the run's queued Slack post (Slack is not configured in tests: the log holds what was sent). */
    private String slackPost(long noteId) {
        String businessKey = engine.getHistoryService()
                .createHistoricProcessInstanceQuery()
                .processInstanceId(note(noteId).path("processInstanceId").asText())
                .singleResult()
                .getBusinessKey();
        assertThat(engine.getRuntimeService()
                        .createProcessInstanceQuery()
                        .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                        .processInstanceBusinessKey(businessKey)
                        .count())
                .as("Slack post queued")
                .isEqualTo(1);
        drive.runJobs(businessKey);
        return jdbc.queryForObject(
                "SELECT body FROM notification_log WHERE channel = 'slack' AND body LIKE :marker",
                new MapSqlParameterSource("marker", "%meeting notes #" + noteId + "\n%"),
                String.class);
    }

    private JsonNode note(long id) {
        Http.Response r = new Http(port).get("/api/meetings/" + id, "ta");
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    @Test
    void dailyStandupCountsActiveMissionsAlertsIncidentsAndOverdueReviewsAsOfNineInTheMorning() {
        Instant t = at(monday, 9);
        fire(Meeting.DAILY_STANDUP, t);
        long id = noteOf(Meeting.DAILY_STANDUP, t);
        JsonNode note = note(id);
        JsonNode f = note.path("figures");
        assertThat(f.path("activeMissionsByStage").toString())
                .isEqualTo(
                        "{\"DEFINE\":1,\"PREPARE\":1,\"PLAN_APPROVE\":0,\"EXECUTE_OBSERVE\":1,\"REFLECT_IMPROVE\":0}");
        assertThat(f.path("validatorAlerts24h").asLong()).isEqualTo(1);
        assertThat(f.path("openIncidents").asLong()).isEqualTo(1);
        assertThat(f.path("overduePostIncidentReviews").asLong()).isEqualTo(1);
        assertThat(note.path("date").asText()).isEqualTo(monday.toString());
        assertThat(note.path("attendees").toString()).isEqualTo("[\"operations-command\"]");
        assertThat(note.path("stageTags").toString()).isEqualTo("[\"DEFINE\",\"PREPARE\",\"EXECUTE_OBSERVE\"]");

        String slack = slackPost(id);
        System.out.println("Daily standup Slack post:\n" + slack);
        assertThat(slack)
                .contains(
                        "[LOW] daily_standup: Daily standup " + monday,
                        "• Define: 1",
                        "• Prepare: 1",
                        "• Plan &amp; Approve: 0",
                        "• Execute &amp; Observe: 1",
                        "1 validator alert(s) in the last 24 h",
                        "• tone / forbidden_word: 1",
                        "1 open incident(s)",
                        "• INC-RHYTHM-OPEN-" + monday,
                        "1 post-incident review(s) overdue (due 48 h after resolution)",
                        "• INC-RHYTHM-OVERDUE-" + monday,
                        "@ops-lead");
        assertThat(slack).doesNotContain("INC-RHYTHM-RECENT");
    }

    @Test
    void weeklyOpsSyncShowsStageThroughputBlockersRunbooksAndKpis() {
        Instant t = at(monday, 10);
        fire(Meeting.WEEKLY_OPS_SYNC, t);
        long id = noteOf(Meeting.WEEKLY_OPS_SYNC, t);
        JsonNode f = note(id).path("figures");
        assertThat(f.path("stageThroughput").path("DEFINE").toString()).isEqualTo("{\"entered\":1,\"leftForward\":0}");
        assertThat(f.path("stageThroughput").path("PREPARE").toString()).isEqualTo("{\"entered\":0,\"leftForward\":0}");
        assertThat(f.path("blockers").path("DEFINE").get(0).path("missionId").asText())
                .isEqualTo(missions.get("D"));
        assertThat(f.path("blockers").path("DEFINE").get(0).path("waitingHours").asDouble())
                .isEqualTo(73.0);
        assertThat(f.path("blockers").path("PREPARE").get(0).path("missionId").asText())
                .isEqualTo(missions.get("R"));
        assertThat(f.path("blockers")
                        .path("EXECUTE_OBSERVE")
                        .get(0)
                        .path("missionId")
                        .asText())
                .isEqualTo(missions.get("P"));
        assertThat(f.path("runbookRuns").size()).isZero();
        assertThat(f.path("kpis").size()).isEqualTo(6);

        String slack = slackPost(id);
        System.out.println("Weekly ops sync Slack post:\n" + slack);
        assertThat(slack)
                .contains(
                        "• Define: Entered 1 · Left forward 0",
                        "• Define: Rhythm define (" + missions.get("D") + ") waiting 73 h",
                        "• Prepare: Rhythm prepare (" + missions.get("R") + ") waiting 264 h",
                        "No runbook ran and no runbook model changed.",
                        "• Mission throughput: Value 0 missions · Target &gt;= 30 · Status missed",
                        "• Approval latency (P95): Value — · Target &lt;= 4 · Status no data",
                        "@mo-lead",
                        "@governance",
                        "@ops-lead",
                        "@analytics",
                        "@knowledge");
    }

    @Test
    void governanceCouncilShowsEscalationsTheApprovalLatencyTrendAndOverrides() {
        Instant t = at(monday, 14);
        fire(Meeting.GOVERNANCE_COUNCIL, t);
        long id = noteOf(Meeting.GOVERNANCE_COUNCIL, t);
        JsonNode f = note(id).path("figures");
        assertThat(f.path("escalations").asLong()).isZero();
        JsonNode trend = f.path("approvalLatencyTrend");
        assertThat(trend.size()).isEqualTo(4);
        // P's one round (2 h) was co-signed 24 days before: in the oldest of the four weeks
        assertThat(trend.get(0).path("p95Hours").asDouble()).isEqualTo(2.0);
        assertThat(trend.get(0).path("rounds").asLong()).isEqualTo(1);
        assertThat(trend.get(1).path("rounds").asLong()).isZero();
        assertThat(f.path("safeguardOverrides").asLong()).isZero();

        String slack = slackPost(id);
        System.out.println("Governance council Slack post:\n" + slack);
        assertThat(slack)
                .contains(
                        "0 safeguard escalation(s) to a Governance Validator in the last 14 days",
                        "• " + t.minus(Duration.ofDays(21)).atZone(NEW_YORK).toLocalDate()
                                + ": P95 hours 2 · Rounds 1 · Within 4 h 1",
                        "0 safeguard override decision(s)",
                        "@governance",
                        "@ops-lead",
                        "@analytics");
        assertThat(slack).doesNotContain("@mo-lead");
    }

    @Test
    void monthlyRetrospectiveComparesKpisWithThePreviousMonthAndInvestigatesEveryMiss() {
        Instant t = at(monday, 10).plusSeconds(1);
        ProcessInstance run = fire(Meeting.MONTHLY_RETROSPECTIVE, t);
        long id = noteOf(Meeting.MONTHLY_RETROSPECTIVE, t);
        JsonNode note = note(id);
        String september = monday.minusMonths(1).toString().substring(0, 7);
        assertThat(note.path("title").asText()).isEqualTo("Monthly retrospective " + monday + " (" + september + ")");
        JsonNode f = note.path("figures");
        assertThat(f.path("missedKpis").toString()).isEqualTo("[\"mission-throughput\",\"library-reuse\"]");
        JsonNode latency = f.path("kpiDeltas").get(1);
        assertThat(latency.path("key").asText()).isEqualTo("approval-latency");
        assertThat(latency.path("value").asDouble()).isEqualTo(2.0);
        assertThat(latency.hasNonNull("previous"))
                .as("no approval round in the month before")
                .isFalse();
        JsonNode throughput = f.path("kpiDeltas").get(0);
        assertThat(throughput.path("value").asDouble()).isZero();
        assertThat(throughput.path("delta").asDouble()).isZero();
        assertThat(f.path("libraryReuse").path("denominator").asLong()).isEqualTo(1);
        assertThat(f.path("libraryContributions").asLong()).isZero();

        // every missed KPI has its investigation, named after the KPI and the month
        assertThat(run).as("the retrospective waits for its investigations").isNotNull();
        List<String> investigations = engine
                .getRuntimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(Runbooks.KPI_MISS)
                .superProcessInstanceId(run.getId())
                .list()
                .stream()
                .map(ProcessInstance::getBusinessKey)
                .sorted()
                .toList();
        assertThat(investigations)
                .containsExactly("kpi-library-reuse-" + september, "kpi-mission-throughput-" + september);

        String slack = slackPost(id);
        System.out.println("Monthly retrospective Slack post:\n" + slack);
        assertThat(slack)
                .contains(
                        "Mission throughput missed (0 missions against &gt;= 128.6 missions): a KPI miss investigation has started",
                        "Library reuse missed (0 % against &gt;= 35 %)",
                        "• Approval latency (P95): " + september + " 2 hours · "
                                + monday.minusMonths(2).toString().substring(0, 7)
                                + " — · Delta — · Target &lt;= 4 · Status met",
                        "0 feedback submission(s)",
                        "0 play(s) contributed to the library",
                        "Library reuse: 0% (target &gt;= 35) — missed (0 of 1 planned missions)");
    }

    /**
     * A retrospective run again for a month whose misses are already investigated (open, then done) starts no second
     * investigation and says so. November's retrospective (period October, a month without work in the scenario), so
     * whichever order the tests run in, its first run is the first for that period.
     */
    @Test
    void aMonthlyRetrospectiveRunAgainStartsNoSecondInvestigationOfTheSameMonth() {
        LocalDate november = monday.plusMonths(1).with(TemporalAdjusters.firstInMonth(DayOfWeek.MONDAY));
        String october = monday.toString().substring(0, 7);
        Instant t = at(november, 10);
        fire(Meeting.MONTHLY_RETROSPECTIVE, t);
        JsonNode first = note(noteOf(Meeting.MONTHLY_RETROSPECTIVE, t)).path("figures");
        assertThat(first.path("missedKpis").size())
                .as("October misses at least mission throughput")
                .isPositive();
        String kpi = first.path("missedKpis").get(0).asText();
        String key = "kpi-" + kpi + "-" + october;
        assertThat(investigations(key)).isEqualTo(1);

        // run again the same day: the investigation is open
        Instant again = t.plus(Duration.ofHours(1));
        ProcessInstance rerun = fire(Meeting.MONTHLY_RETROSPECTIVE, again);
        assertThat(investigations(key)).as("no second investigation of " + key).isEqualTo(1);
        assertThat(first.path("kpiMissInvestigations")
                        .get(0)
                        .path("businessKey")
                        .asText())
                .isEqualTo(key);
        assertThat(first.path("kpiMissInvestigations").get(0).path("status").asText())
                .isEqualTo("started");
        long rerunNote = noteOf(Meeting.MONTHLY_RETROSPECTIVE, again);
        JsonNode second = note(rerunNote).path("figures");
        assertThat(second.path("missedKpis").toString())
                .isEqualTo(first.path("missedKpis").toString());
        assertThat(second.path("kpiMissInvestigations").findValuesAsText("status"))
                .containsOnly("already open");
        assertThat(rerun).as("nothing to wait for: the rerun has ended").isNull();
        assertThat(slackPost(rerunNote)).contains("its investigation " + key + " is already open, not started again");

        // the analyst finishes it; a third run still starts none
        drive.complete(
                key,
                Runbooks.Elements.KPI_MISS_ANALYSIS,
                "ta",
                Map.of(
                        Runbooks.Vars.ROOT_CAUSE,
                        "no missions in October",
                        Runbooks.Vars.REMEDIATION_OUTCOME,
                        "accept_miss",
                        Runbooks.Vars.REMEDIATION_PLAN,
                        "none: the team was on leave"));
        Instant third = t.plus(Duration.ofHours(2));
        fire(Meeting.MONTHLY_RETROSPECTIVE, third);
        JsonNode thirdFigures =
                note(noteOf(Meeting.MONTHLY_RETROSPECTIVE, third)).path("figures");
        assertThat(thirdFigures
                        .path("kpiMissInvestigations")
                        .get(0)
                        .path("status")
                        .asText())
                .isEqualTo("already done");
        assertThat(investigations(key)).isEqualTo(1);
    }

    /** KPI miss investigations with this business key, running or finished. */
    private long investigations(String businessKey) {
        return engine.getHistoryService()
                .createHistoricProcessInstanceQuery()
                .processDefinitionKey(Runbooks.KPI_MISS)
                .processInstanceBusinessKey(businessKey)
                .count();
    }

    @Test
    void quarterlyPlanningShowsTheQuartersKpiTrendAndTheBacklogsTopItemsPerStage() {
        Instant t = at(monday, 10).plusSeconds(2);
        fire(Meeting.QUARTERLY_PLANNING, t);
        long id = noteOf(Meeting.QUARTERLY_PLANNING, t);
        JsonNode note = note(id);
        assertThat(note.path("title").asText()).endsWith("(" + monday.getYear() + "-Q3)");
        JsonNode f = note.path("figures");
        assertThat(f.path("kpiTrendByMonth").path("approval-latency").toString())
                .isEqualTo("[null,null,2.0]");
        JsonNode prepare = f.path("backlogTopItems").path("PREPARE");
        assertThat(prepare.size()).isEqualTo(3);
        assertThat(prepare.get(0).path("id").asLong()).isEqualTo(backlogTop);
        assertThat(prepare.get(0).path("title").asText()).isEqualTo("Rhythm: sample data faster");
        assertThat(prepare.get(2).path("title").asText()).isEqualTo("Rhythm: automate OAuth scopes");
        assertThat(f.path("backlogTopItems").path("DEFINE").get(0).path("title").asText())
                .isEqualTo("Rhythm: intake prompts per persona");

        String slack = slackPost(id);
        System.out.println("Quarterly planning Slack post:\n" + slack);
        assertThat(slack)
                .contains(
                        "KPI trend of " + monday.getYear() + "-Q3",
                        "• Prepare: #" + backlogTop + " Rhythm: sample data faster (priority 2, open)",
                        "• Define: #",
                        "Plan &amp; Approve: no open item",
                        "• Approval latency (P95): " + monday.getYear() + "-07 — no data · " + monday.getYear()
                                + "-08 — no data · " + monday.getYear() + "-09 2 hours met · Target &lt;= 4");
        assertThat(slack).doesNotContain("least urgent prepare item");
    }

    @Test
    void meetingNotesAreListedByStageAndExportedAsMarkdownAndTheMeetingFillsInItsDecisions() throws Exception {
        Instant t = at(monday, 9).plusSeconds(3);
        fire(Meeting.DAILY_STANDUP, t);
        long id = noteOf(Meeting.DAILY_STANDUP, t);
        Http http = new Http(port);

        JsonNode byStage = http.get("/api/meetings?stage=PREPARE&type=daily-standup&size=200", "mo")
                .json()
                .path("items");
        assertThat(byStage.findValuesAsText("id")).contains(Long.toString(id));
        assertThat(http.get("/api/meetings?stage=PLAN_APPROVE&type=daily-standup&size=200", "mo")
                        .json()
                        .path("items")
                        .findValuesAsText("id"))
                .doesNotContain(Long.toString(id));
        Http.Response legacy = http.get("/api/meetings?stage=Data%20Inspect", "kc");
        assertThat(legacy.status()).isEqualTo(200);
        assertThat(legacy.header("Deprecation")).isEqualTo("true");
        Http.Response bad = http.get("/api/meetings?stage=Launch", "mo");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(http.get("/api/meetings?type=standup", "mo").status()).isEqualTo(400);
        assertThat(http.get("/api/meetings/999999999", "mo").status()).isEqualTo(404);
        assertThat(http.get("/api/meetings", "agent").status()).isEqualTo(403);

        HttpResponse<String> md = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/meetings/" + id))
                                .header("Accept", "text/markdown")
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString("oc:demo".getBytes(StandardCharsets.UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(md.statusCode()).isEqualTo(200);
        assertThat(md.headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
        assertThat(md.body())
                .startsWith("---\nmeeting: daily-standup\ndate: " + monday + "\ntime_zone: America/New_York\n")
                .contains(
                        "stage_tags: [DEFINE, PREPARE, EXECUTE_OBSERVE]",
                        "# Daily standup " + monday,
                        "- **Attendees (roles):** Operations Command (`operations-command`)",
                        "- **Stage tags:** #define #prepare #execute-observe",
                        "### Active missions by stage",
                        "| Stage | Active missions |",
                        "| Define | 1 |",
                        "## Decisions",
                        MeetingMarkdown.NO_DECISIONS);

        assertThat(http.send("PUT", "/api/meetings/" + id + "/decisions", "mo", Map.of("decisions", "x"))
                        .status())
                .isEqualTo(403);
        String notes = "/api/meetings/" + id;
        Http.Response blank = http.sendIfMatch("PUT", notes + "/decisions", notes, "oc", Map.of("decisions", "  "));
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.body()).contains("decisions");
        assertThat(http.sendIfMatch("PUT", notes + "/decisions", notes, "oc", Map.of("decisions", "y".repeat(8001)))
                        .status())
                .isEqualTo(400);
        assertThat(note(id).hasNonNull("decisions")).isFalse();
        Http.Response decided = http.sendIfMatch(
                "PUT",
                notes + "/decisions",
                notes,
                "oc",
                Map.of("decisions", "Page the data owner of " + missions.get("R") + " (owner: @ops-lead, due Friday)"));
        assertThat(decided.status()).isEqualTo(200);
        assertThat(decided.json().path("decisionsBy").asText()).isEqualTo("oc");
        String file = http.get("/api/meetings/" + id + "/markdown", "gv").body();
        assertThat(file).contains("## Decisions\n\nPage the data owner of " + missions.get("R"), "_Recorded by oc at ");
        System.out.println("Meeting notes export:\n" + file);
    }

    /** 9:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer: the timer follows the team, not the JVM. */
    @Test
    void theDailyStandupOfANewYorkTeamFiresAtNineNewYorkTimeAcrossDaylightSavingChanges() {
        var management = engine.getManagementService();
        // Friday before the March change (EST, UTC−5): the next standup is Monday 9:00 EDT (UTC−4)
        fire(Meeting.DAILY_STANDUP, Instant.parse("2027-03-12T14:00:00Z"));
        var next = management
                .createJobQuery()
                .processDefinitionKey(Meeting.DAILY_STANDUP.processKey())
                .timers()
                .singleResult();
        assertThat(next.getDuedate().toInstant()).isEqualTo(Instant.parse("2027-03-15T13:00:00Z"));
        assertThat(next.getDuedate().toInstant().atZone(NEW_YORK).toLocalTime()).isEqualTo(LocalTime.of(9, 0));

        fire(Meeting.DAILY_STANDUP, Instant.parse("2027-03-15T13:00:00Z"));
        assertThat(management
                        .createJobQuery()
                        .processDefinitionKey(Meeting.DAILY_STANDUP.processKey())
                        .timers()
                        .singleResult()
                        .getDuedate()
                        .toInstant())
                .isEqualTo(Instant.parse("2027-03-16T13:00:00Z"));
        assertThat(jdbc.queryForObject(
                        "SELECT MAX(meeting_date) FROM meeting_notes WHERE meeting_type = 'daily-standup' AND held_at = :at",
                        new MapSqlParameterSource("at", MissionStore.odt(Instant.parse("2027-03-15T13:00:00Z"))),
                        LocalDate.class))
                .isEqualTo(LocalDate.of(2027, 3, 15));

        // Friday before the November change (EDT): the next standup is Monday 9:00 EST
        fire(Meeting.DAILY_STANDUP, Instant.parse("2027-11-05T13:00:00Z"));
        assertThat(management
                        .createJobQuery()
                        .processDefinitionKey(Meeting.DAILY_STANDUP.processKey())
                        .timers()
                        .singleResult()
                        .getDuedate()
                        .toInstant())
                .isEqualTo(Instant.parse("2027-11-08T14:00:00Z"));
    }
}
