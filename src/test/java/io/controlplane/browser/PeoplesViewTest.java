package io.controlplane.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.JourneyDriver;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionJourney.Elements;
import io.controlplane.mission.MissionJourney.Vars;
import io.controlplane.mission.MissionRequest;
import io.controlplane.telemetry.WeeklyAudit;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The people's view in a real browser: the demo users work a mission through Camunda Tasklist from the start form to
 * the signed-off retrospective, and an operations lead reads the Cockpit dashboard and a provoked safeguard violation.
 * The service runs with its job executor and simulated agent on (profile {@code browser}); the test only reads the
 * engine to know which task to expect, every decision of the first mission is made in the browser.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeoplesViewTest {
    private static final String TITLE =
            "Browser tour: revive dormant accounts " + Instant.now().getEpochSecond();
    private static final String OBJECTIVE = "Re-engage EMEA accounts idle for 90 days with a personal check-in";
    private static final String KPI = "reactivated accounts";

    @LocalServerPort
    int port;

    @Autowired
    TaskService tasks;

    @Autowired
    RuntimeService runtime;

    @Autowired
    HistoryService history;

    @Autowired
    JourneyDriver drive;

    private Browser browser;
    private Tasklist tasklist;
    private String processInstanceId;
    private String violationMissionId;
    private long started;
    /** The forms (file names without .form) this suite has seen rendered in Tasklist. */
    private final Set<String> formsSeen = new TreeSet<>();

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @Autowired
    ManagementService management;

    @BeforeAll
    void openBrowser() {
        started = System.nanoTime();
        browser = new Browser(port);
        tasklist = new Tasklist(browser);
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        System.out.printf("Browser suite wall time: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("Timed out waiting for " + what);
    }

    private Task awaitTask(String taskKey) {
        return await(
                taskKey,
                () -> tasks.createTaskQuery()
                        .processInstanceId(processInstanceId)
                        .taskDefinitionKey(taskKey)
                        .singleResult());
    }

    private void awaitGone(Task task) {
        await(
                task.getTaskDefinitionKey() + " completed",
                () -> tasks.createTaskQuery().taskId(task.getId()).count() == 0);
    }

    /** Opens the task from the user's list, lets {@code fill} fill the form, completes it and checks it is done. */
    private void work(String user, String taskKey, Runnable fill) {
        Task task = awaitTask(taskKey);
        browser.login("tasklist", user);
        tasklist.open(task.getId());
        opened(task);
        tasklist.claim();
        fill.run();
        tasklist.complete();
        awaitGone(task);
        browser.assertNoConsoleErrors("Tasklist, " + taskKey + " as " + user);
    }

    @Test
    @Order(1)
    void aMissionOwnerStartsAMissionFromTheTasklistStartForm() {
        browser.login("tasklist", "mo");
        browser.click(By.cssSelector(".start-process-action a"));
        browser.click(By.xpath(
                "//a[@ng-click='selectProcessDefinition(processDefinition)'][normalize-space()='Mission Journey']"));
        tasklist.rendered();
        tasklist.type("field_missionTitle", TITLE);
        tasklist.type("field_objective", OBJECTIVE);
        tasklist.type("field_persona", "Revenue operations");
        tasklist.type("field_kpiMetric", KPI);
        tasklist.type("field_kpiTarget", "40");
        tasklist.check("field_safeguardTemplates-1");
        tasklist.check("field_safeguardTemplates-2");
        tasklist.type("field_toolkitRequest", "hubspot: crm.objects.contacts.read, crm.objects.contacts.write");
        formsSeen.add("missionRequest");
        browser.fullScreenshot("tasklist-start-form");
        browser.click(By.cssSelector("button[ng-click='startProcessInstance()']"));
        ProcessInstance mission = await(
                "the mission started from Tasklist",
                () -> runtime.createProcessInstanceQuery()
                        .processDefinitionKey(MissionJourney.PROCESS_KEY)
                        .variableValueEquals(Vars.MISSION_TITLE, TITLE)
                        .singleResult());
        processInstanceId = mission.getId();
        assertThat(runtime.getVariable(processInstanceId, Vars.MISSION_OWNER)).isEqualTo("mo");
        browser.assertNoConsoleErrors("Tasklist start form");
    }

    @Test
    @Order(2)
    void aUserOfAnotherGroupDoesNotSeeIntentConfirmation() {
        Task task = awaitTask(Elements.INTENT_CONFIRMATION);
        browser.login("tasklist", "ta");
        assertThat(tasklist.listedTaskIds()).doesNotContain(task.getId());
        // not even by its address: Tasklist cannot load the task, so no form and no Complete button
        browser.get("/camunda/app/tasklist/default/#/?task=" + task.getId());
        browser.find(By.cssSelector(".page-notifications .alert, .task-details .alert, [notifications-panel] .alert"));
        assertThat(browser.all(Tasklist.FORM)).isEmpty();
        assertThat(tasks.createTaskQuery().taskId(task.getId()).count()).isEqualTo(1);
        browser.assertNoConsoleErrors(
                "Tasklist, a task of another group",
                List.of(m -> m.contains("/task/" + task.getId()) && (m.contains("404") || m.contains("403"))));
    }

    @Test
    @Order(3)
    void theValidatorSeesTheBriefAndARequiredDecisionLeftEmptyCompletesNothing() {
        Task task = awaitTask(Elements.INTENT_CONFIRMATION);
        browser.login("tasklist", "gv");
        WebElement form = tasklist.open(task.getId());
        opened(task);
        assertThat(form.getText()).contains(TITLE, OBJECTIVE, KPI + " — target 40", "quiet_window", "rate_limit");
        tasklist.claim();
        tasklist.check("field_safeguardsAcknowledged");
        tasklist.complete();
        browser.waiting(10).until(d -> !tasklist.validationErrors().isEmpty());
        assertThat(tasklist.validationErrors()).contains("Field is required.");
        assertThat(tasks.createTaskQuery().taskId(task.getId()).count())
                .as("nothing completed")
                .isEqualTo(1);
        browser.fullScreenshot("checkpoint-intent-confirmation-required");

        tasklist.dismissNotifications();
        tasklist.choose("field_intentDecision", 0);
        browser.fullScreenshot("checkpoint-intent-confirmation");
        tasklist.complete();
        awaitGone(task);
        browser.assertNoConsoleErrors("Tasklist, Intent Confirmation");
    }

    @Test
    @Order(4)
    void operationsCommandAuthorizesTheToolkits() {
        work("oc", Elements.TOOLKIT_AUTHORIZATION, () -> {
            assertThat(tasklist.formText()).contains("hubspot", "crm.objects.contacts.write", "Coverage");
            tasklist.check("field_scopesValidated");
            tasklist.check("field_readOnlyPathConfirmed");
            tasklist.choose("field_toolkitDecision", 0);
        });
    }

    @Test
    @Order(5)
    void bothCoSignersSignTheApprovalPacketAndTheAnalystVerifiesTheHooks() {
        work("gv", Elements.PACKET_REVIEW_GOVERNANCE, () -> {
            assertThat(tasklist.formText()).contains("Risk", "GREEN", "Undo plans", "min window");
            tasklist.choose("field_gvPacketDecision", 0);
            browser.fullScreenshot("cosign-governance");
        });
        work("oc2", Elements.PACKET_REVIEW_OPERATIONS, () -> {
            tasklist.choose("field_ocPacketDecision", 0);
            browser.fullScreenshot("cosign-operations");
        });
        work("ta", Elements.TELEMETRY_HOOKS_VERIFICATION, () -> tasklist.choose("field_telemetryHooksDecision", 0));
    }

    @Test
    @Order(6)
    void theMissionReachesReflectAndImproveAndIsSignedOff() {
        work("mo", Elements.MISSION_FEEDBACK, () -> {
            tasklist.type("field_feedbackRating", "5");
            tasklist.type("field_effortSavedHours", "6");
            tasklist.select("field_feedbackSatisfaction", "Satisfied");
        });
        work("mo", Elements.RETRO_SIGN_OFF_OWNER, () -> tasklist.check("field_ownerSignOff"));
        work("kc", Elements.RETRO_SIGN_OFF_CURATOR, () -> tasklist.check("field_curatorSignOff"));
        work("ta", Elements.RETRO_SIGN_OFF_ANALYST, () -> tasklist.check("field_analystSignOff"));
        await(
                "the journey ended",
                () -> history.createHistoricProcessInstanceQuery()
                        .processInstanceId(processInstanceId)
                        .finished()
                        .singleResult());
    }

    private Task awaitMissionTask(String missionId, String taskKey) {
        return await(taskKey + " of " + missionId, () -> drive.task(missionId, taskKey));
    }

    private Task awaitRunbookTask(String processKey, String businessKey, String taskKey) {
        return await(
                taskKey,
                () -> tasks.createTaskQuery()
                        .processDefinitionKey(processKey)
                        .processInstanceBusinessKey(businessKey)
                        .taskDefinitionKey(taskKey)
                        .singleResult());
    }

    private static MissionRequest request(String title, String objective, String toolkit, String... scopes) {
        return new MissionRequest(
                title,
                objective,
                "Revenue operations",
                new MissionRequest.Kpi(KPI, BigDecimal.valueOf(40)),
                List.of(
                        new MissionRequest.Safeguard("tone", "high", null),
                        new MissionRequest.Safeguard("rate_limit", null, Map.of("perHour", 30, "burst", 10)),
                        new MissionRequest.Safeguard("budget_cap", null, null)),
                List.of(new MissionRequest.Toolkit(toolkit, List.of(scopes))));
    }

    /** Takes a mission started through the service to its approved plan; the browser part of this was shown above. */
    private void toExecution(String missionId) {
        awaitMissionTask(missionId, Elements.INTENT_CONFIRMATION);
        drive.confirmIntent(missionId);
        awaitMissionTask(missionId, Elements.TOOLKIT_AUTHORIZATION);
        drive.authorizeToolkits(missionId);
        awaitMissionTask(missionId, Elements.TELEMETRY_HOOKS_VERIFICATION);
        drive.coSign(missionId, "gv", "oc");
    }

    @Test
    @Order(7)
    void anOperationsLeadSeesTheDashboardAndTheIncidentOfAProvokedSafeguardViolation() {
        violationMissionId = drive.start(
                "mo",
                request(
                        "Browser tour: guaranteed reactivation " + Instant.now().getEpochSecond(),
                        "Reactivation guaranteed for every dormant account",
                        "hubspot",
                        "crm.objects.contacts.read",
                        "crm.objects.contacts.write"));
        toExecution(violationMissionId);
        awaitRunbookTask(Runbooks.SAFEGUARD_VIOLATION, violationMissionId, Runbooks.Elements.VIOLATION_DECISION);

        browser.login("cockpit", "oc");
        browser.get("/camunda/app/cockpit/default/#/dashboard");
        WebElement boards = browser.find(By.cssSelector(".cp-boards table"));
        browser.waiting(30)
                .until(d -> d.findElements(By.cssSelector(".cp-incidents td")).stream()
                        .anyMatch(td -> td.getText().equals(violationMissionId)));
        List<WebElement> kpiRows = boards.findElements(By.cssSelector("tr"));
        assertThat(kpiRows).as("a header and the six KPIs").hasSize(7);
        String kpiText = boards.getText();
        assertThat(kpiText)
                .contains(
                        "Mission throughput",
                        "Approval latency",
                        "Validator escalation rate",
                        "Undo execution success",
                        "Feedback participation",
                        "Library reuse");
        for (WebElement row : kpiRows.subList(1, kpiRows.size())) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertThat(cells.get(2).getText())
                    .as("target of " + cells.get(0).getText())
                    .matches("(>=|<=|≥|≤)\\s*\\d+.*");
            assertThat(cells.get(4).getText())
                    .as("counts of " + cells.get(0).getText())
                    .matches("\\d+ / (\\d+|—)");
        }
        assertThat(kpiRows.stream().map(r -> r.getText()).filter(t -> t.contains(" / ") && !t.contains("0 / 0")))
                .as("figures, not only empty counts")
                .isNotEmpty();
        String rollup = browser.text(By.cssSelector(".cp-boards svg"));
        assertThat(rollup)
                .contains("Define", "Prepare", "Plan", "Execute", "Reflect")
                .contains("entered");
        browser.fullScreenshot("cockpit-dashboard");
        browser.assertNoConsoleErrors("Cockpit dashboard");

        // the agent ledger: what the simulated agent reported for the violation mission, per mission and per day
        browser.waiting(30)
                .until(d -> d.findElements(By.cssSelector(".cp-ledger-missions td")).stream()
                        .anyMatch(td -> td.getText().equals(violationMissionId)));
        WebElement ledger = browser.find(By.cssSelector(".cp-ledger-missions"));
        String mine = ledger.findElements(By.tagName("tr")).stream()
                .map(WebElement::getText)
                .filter(t -> t.contains(violationMissionId))
                .findFirst()
                .orElseThrow();
        assertThat(mine)
                .as("runs, tokens in / out, cost in cents, budget")
                .matches(".*\\s\\d+\\s\\d+ / \\d+\\s\\d+\\.\\d{2}\\s5000 / day.*");
        assertThat(browser.text(By.cssSelector(".cp-ledger-days")))
                .contains(violationMissionId, "of budget")
                .doesNotContain("NaN", "undefined");
        ((JavascriptExecutor) browser.driver)
                .executeScript("document.querySelector('.cp-boards h3:last-of-type').scrollIntoView({block: 'start'})");
        browser.screenshot("cockpit-agent-ledger");

        // the incident's runbook instance, from the dashboard's link
        browser.click(
                By.xpath("//table[contains(@class,'cp-incidents')]//tr[td[text()='" + violationMissionId + "']]//a"));
        browser.find(By.cssSelector(".djs-container [data-element-id='" + Runbooks.Elements.VIOLATION_DECISION + "']"));
        browser.waiting(30)
                .until(d -> !d.findElements(By.cssSelector(".djs-overlays[data-container-id='"
                                + Runbooks.Elements.VIOLATION_DECISION + "'] .badge"))
                        .isEmpty());
        // the runbook's variables name the incident and the finding
        browser.waiting(30)
                .until(d -> d.findElement(By.tagName("body")).getText().contains("incidentId"));
        assertThat(browser.text(By.tagName("body"))).contains("safeguardFindingSummary");
        browser.screenshot("cockpit-incident");
        browser.assertNoConsoleErrors("Cockpit runbook instance");
    }

    @Test
    @Order(8)
    void theValidatorDecidesTheViolationWithTheFindingInFrontOfThem() {
        Task oversight = awaitMissionTask(violationMissionId, Elements.LIVE_OVERSIGHT);
        browser.login("tasklist", "oc");
        tasklist.open(oversight.getId());
        opened(oversight);
        assertThat(tasklist.formText()).contains("Execution so far");
        browser.assertNoConsoleErrors("Tasklist, Live Execution Oversight");

        // the toolkit side reports drifted scopes while execution is held: operations command re-authorises them
        io.controlplane.Http.Response drift = new io.controlplane.Http(port)
                .post(
                        "/api/missions/" + violationMissionId + "/scope-drift",
                        "agent",
                        Map.of(
                                "toolkit",
                                "hubspot",
                                "scopes",
                                List.of(
                                        "crm.objects.contacts.read",
                                        "crm.objects.contacts.write",
                                        "crm.objects.deals.write"),
                                "detail",
                                "deals.write appeared in the grant"));
        assertThat(drift.status()).as(drift.body()).isLessThan(300);
        show(
                "oc",
                awaitRunbookTask(Runbooks.OAUTH_DRIFT, violationMissionId, Runbooks.Elements.SCOPE_REAUTHORIZATION),
                "scopeReauthorization",
                "deals.write");

        Task decision = awaitRunbookTask(
                Runbooks.SAFEGUARD_VIOLATION, violationMissionId, Runbooks.Elements.VIOLATION_DECISION);
        browser.login("tasklist", "gv");
        tasklist.open(decision.getId());
        opened(decision);
        assertThat(tasklist.formText()).contains("guaranteed", "tone", "Evidence");
        tasklist.claim();
        tasklist.choose("field_violationDecision", 2);
        tasklist.complete();
        browser.waiting(10).until(d -> !tasklist.validationErrors().isEmpty());
        assertThat(tasks.createTaskQuery().taskId(decision.getId()).count())
                .as("a decision without its note")
                .isEqualTo(1);
        tasklist.type("field_violationNote", "Outreach promised guaranteed results; the brief must be rewritten.");
        tasklist.dismissNotifications();
        browser.fullScreenshot("violation-decision");
        tasklist.complete();
        awaitGone(decision);
        browser.assertNoConsoleErrors("Tasklist, Safeguard Violation Decision");

        Task review =
                awaitRunbookTask(Runbooks.INCIDENT_REVIEW, violationMissionId, Runbooks.Elements.POST_INCIDENT_REVIEW);
        browser.login("tasklist", "oc");
        tasklist.open(review.getId());
        opened(review);
        assertThat(tasklist.formText()).contains("safeguard_violation");
        browser.assertNoConsoleErrors("Tasklist, Post-Incident Review");
    }

    /** Notes which form the task's Camunda Form reference names (form_x is forms/x.form). */
    private void opened(Task task) {
        Task withForm = tasks.createTaskQuery()
                .taskId(task.getId())
                .initializeFormKeys()
                .singleResult();
        formsSeen.add(withForm.getCamundaFormRef().getKey().replaceFirst("^form_", ""));
    }

    /** Logs in as {@code user}, opens the task from their list and checks its form shows {@code expected}. */
    private void show(String user, Task task, String form, String... expected) {
        browser.login("tasklist", user);
        tasklist.open(task.getId());
        assertThat(tasklist.formText()).contains(expected);
        opened(task);
        assertThat(formsSeen).contains(form);
        browser.assertNoConsoleErrors("Tasklist, " + form + " as " + user);
    }

    @Test
    @Order(9)
    void everyOtherCheckpointAndRunbookFormRendersInTasklist() throws Exception {
        long now = Instant.now().getEpochSecond();
        // Define: the validator requests changes, the owner revises
        String revise = drive.start(
                "mo", request("Browser tour: revise " + now, OBJECTIVE, "hubspot", "crm.objects.contacts.read"));
        awaitMissionTask(revise, Elements.INTENT_CONFIRMATION);
        drive.complete(
                revise,
                Elements.INTENT_CONFIRMATION,
                "gv",
                Map.of(
                        Vars.INTENT_DECISION,
                        "request_changes",
                        Vars.INTENT_COMMENT,
                        "Name the EMEA segment in the objective"));
        show("mo", awaitMissionTask(revise, Elements.BRIEF_REVISION), "briefRevision", "Name the EMEA segment");

        // Prepare: a legacy toolkit covers 72 %; override requested in the browser, refused by the second approver
        String gap =
                drive.start("mo", request("Browser tour: legacy CRM " + now, OBJECTIVE, "legacy-crm", "contacts.read"));
        awaitMissionTask(gap, Elements.INTENT_CONFIRMATION);
        drive.confirmIntent(gap);
        Task gapDecision = awaitRunbookTask(Runbooks.DATA_GAP, gap, Runbooks.Elements.GAP_DECISION);
        show("gv", gapDecision, "coverageOverride", "72");
        tasklist.claim();
        tasklist.choose("field_coverageDecision", 0);
        tasklist.type("field_coverageComment", "The 28 % missing are archived accounts the mission does not contact");
        tasklist.complete();
        awaitGone(gapDecision);
        Task second = awaitRunbookTask(Runbooks.DATA_GAP, gap, Runbooks.Elements.OVERRIDE_SECOND_APPROVAL);
        show("gv2", second, "overrideSecondApproval", "archived accounts");
        tasklist.claim();
        tasklist.choose("field_overrideApproval", 1);
        tasklist.complete();
        browser.waiting(10).until(d -> !tasklist.validationErrors().isEmpty());
        tasklist.type("field_overrideApprovalComment", "Add the marketing CRM toolkit instead");
        tasklist.complete();
        awaitGone(second);
        browser.assertNoConsoleErrors("Tasklist, Approve Coverage Override");
        show("mo", awaitMissionTask(gap, Elements.TOOLKIT_ADJUSTMENT), "toolkitAdjustment", "legacy-crm");

        // Plan & Approve: a delete scope makes a red play, which needs a third person's confirmation
        String red = drive.start(
                "mo",
                request(
                        "Browser tour: red play " + now,
                        OBJECTIVE,
                        "hubspot",
                        "crm.objects.contacts.read",
                        "crm.objects.contacts.delete"));
        toExecution(red);
        show("gv2", awaitMissionTask(red, Elements.RED_PLAY_CONFIRMATION), "redPlayConfirmation", "RED");

        // Execute & Observe: an undo that failed (its runbook, started as the journey starts it, for one of the
        // mission's own plays: the alternate rollback is handed the stored play with its undo plan)
        String redPlay = jdbc.queryForObject(
                "SELECT MIN(play_id) FROM mission_plays WHERE mission_id = :m", Map.of("m", red), String.class);
        runtime.createProcessInstanceByKey(Runbooks.UNDO_FAILURE)
                .businessKey(red)
                .setVariable(Vars.MISSION_ID, red)
                .setVariable(Vars.MISSION_TITLE, "Browser tour: red play " + now)
                .setVariable(Vars.MISSION_OWNER, "mo")
                .setVariable(Vars.PLAY_ID, redPlay)
                .setVariable(Runbooks.Vars.UNDO_ERROR_MESSAGE, "records changed since the play ran")
                .execute();
        show(
                "oc",
                awaitRunbookTask(Runbooks.UNDO_FAILURE, red, Runbooks.Elements.CONFIRM_RESTORATION),
                "confirmRestoration",
                "records changed since the play ran");

        // the weekly audit: a telemetry gap of the legacy mission and the KPIs a fresh service misses
        jdbc.update(
                "DELETE FROM telemetry_events WHERE mission_id = :m AND name = 'mission_brief_locked'",
                new MapSqlParameterSource("m", gap));
        var timer = management
                .createJobQuery()
                .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                .timers()
                .singleResult();
        management.executeJob(timer.getId());
        Task gapTask = await(
                "the telemetry gap task",
                () -> tasks
                        .createTaskQuery()
                        .processDefinitionKey(WeeklyAudit.PROCESS_KEY)
                        .taskDefinitionKey(WeeklyAudit.Elements.TELEMETRY_GAP)
                        .list()
                        .stream()
                        .filter(t -> String.valueOf(tasks.getVariable(t.getId(), WeeklyAudit.Vars.GAP_DETAIL))
                                .contains("legacy CRM " + now))
                        .findFirst()
                        .orElse(null));
        show("ta", gapTask, "telemetryGap", "mission_brief_locked");
        Task kpiMiss = await(
                "a KPI miss task",
                () -> tasks
                        .createTaskQuery()
                        .processDefinitionKey(Runbooks.KPI_MISS)
                        .taskDefinitionKey(Runbooks.Elements.KPI_MISS_ANALYSIS)
                        .list()
                        .stream()
                        .findFirst()
                        .orElse(null));
        show("ta", kpiMiss, "kpiMissAnalysis", "target");
    }

    @Test
    @Order(10)
    void everyFormWasOpenedInTasklist() throws Exception {
        List<String> all;
        try (var files = Files.list(Path.of("forms"))) {
            all = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".form"))
                    .map(n -> n.replace(".form", ""))
                    .toList();
        }
        assertThat(formsSeen).containsExactlyInAnyOrderElementsOf(all);
    }
}
