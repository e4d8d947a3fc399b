package io.controlplane;

import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionRequest;
import io.controlplane.mission.MissionService;
import io.controlplane.platform.JsonValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

/**
 * Drives missions in tests the way people and agents do: task completions by named users with their groups, and
 * agent steps through fetch-and-lock and complete, always scoped to one mission.
 */
@Component
public class JourneyDriver {
    public static final String TEST_WORKER = "test-agent";

    /** user → groups, for the users the tests act as (demo users plus two with two roles for SoD cases). */
    public static final Map<String, List<String>> GROUPS = Map.of(
            "mo", List.of("mission-owner"),
            "gv", List.of("governance-validator"),
            "gv2", List.of("governance-validator"),
            "oc", List.of("operations-command"),
            "oc2", List.of("operations-command"),
            "ta", List.of("telemetry-analyst"),
            "kc", List.of("knowledge-curator"),
            "dual", List.of("governance-validator", "operations-command"),
            "mogv", List.of("mission-owner", "governance-validator"));

    private final MissionService missions;
    private final TaskService tasks;
    private final ExternalTaskService externalTasks;
    private final IdentityService identity;
    private final RuntimeService runtime;
    private final JsonValues json;
    private final ProcessEngine engineServices;

    JourneyDriver(
            MissionService missions,
            TaskService tasks,
            ExternalTaskService externalTasks,
            IdentityService identity,
            RuntimeService runtime,
            JsonValues json,
            ProcessEngine engineServices) {
        this.engineServices = engineServices;
        this.missions = missions;
        this.tasks = tasks;
        this.externalTasks = externalTasks;
        this.identity = identity;
        this.runtime = runtime;
        this.json = json;
    }

    public static MissionRequest brief(String title, String... scopes) {
        return new MissionRequest(
                title,
                "Re-engage accounts with no activity for 90 days",
                "Revenue operations",
                new MissionRequest.Kpi("reactivated accounts", BigDecimal.valueOf(40)),
                List.of(
                        new MissionRequest.Safeguard("tone", null, null),
                        new MissionRequest.Safeguard("quiet_window", "high", Map.of("start", "21:00")),
                        new MissionRequest.Safeguard("rate_limit", null, Map.of("perHour", 30, "burst", 10))),
                List.of(new MissionRequest.Toolkit(
                        "hubspot",
                        scopes.length == 0
                                ? List.of("crm.objects.contacts.read", "crm.objects.contacts.write")
                                : List.of(scopes))));
    }

    /** Starts a mission as {@code owner} through the same service the REST API uses; returns the mission id. */
    public String start(String owner, MissionRequest request) {
        return missions.start(request, owner, GROUPS.get(owner)).id();
    }

    public ProcessInstance instance(String missionId) {
        return runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(missionId)
                .processDefinitionKey(MissionJourney.PROCESS_KEY)
                .singleResult();
    }

    public Task task(String missionId, String taskKey) {
        return tasks.createTaskQuery()
                .processInstanceBusinessKey(missionId)
                .taskDefinitionKey(taskKey)
                .singleResult();
    }

    /** Intent Confirmation approved by {@code gv}, safeguards acknowledged. */
    public void confirmIntent(String missionId) {
        complete(
                missionId,
                MissionJourney.Elements.INTENT_CONFIRMATION,
                "gv",
                Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
    }

    /** Toolkit Authorization granted by {@code oc}, scopes validated and read-only path confirmed. */
    public void authorizeToolkits(String missionId) {
        complete(
                missionId,
                MissionJourney.Elements.TOOLKIT_AUTHORIZATION,
                "oc",
                Map.of(
                        Vars.TOOLKIT_DECISION,
                        "authorize",
                        Vars.SCOPES_VALIDATED,
                        true,
                        Vars.READ_ONLY_PATH_CONFIRMED,
                        true));
    }

    /** The approval packet co-signed by {@code governance} and {@code operations}, telemetry hooks verified by {@code ta}. */
    public void coSign(String missionId, String governance, String operations) {
        complete(
                missionId,
                MissionJourney.Elements.PACKET_REVIEW_GOVERNANCE,
                governance,
                Map.of(Vars.GV_PACKET_DECISION, "approve"));
        complete(
                missionId,
                MissionJourney.Elements.PACKET_REVIEW_OPERATIONS,
                operations,
                Map.of(Vars.OC_PACKET_DECISION, "approve"));
        complete(
                missionId,
                MissionJourney.Elements.TELEMETRY_HOOKS_VERIFICATION,
                "ta",
                Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
    }

    /** Completes the mission's open task {@code taskKey} as {@code user}, with that user's groups. */
    public void complete(String missionId, String taskKey, String user, Map<String, Object> variables) {
        Task task = task(missionId, taskKey);
        if (task == null) {
            throw new AssertionError("Mission " + missionId + " has no open task " + taskKey);
        }
        as(user, () -> tasks.complete(task.getId(), new HashMap<>(variables)));
    }

    public void as(String user, Runnable action) {
        identity.setAuthentication(user, GROUPS.get(user));
        try {
            action.run();
        } finally {
            identity.clearAuthentication();
        }
    }

    /** Acts as the agent on one topic of one mission; fails if the mission has no such task. */
    public void agent(String missionId, String topic, Map<String, Object> result) {
        List<LockedExternalTask> locked = externalTasks
                .fetchAndLock(1, TEST_WORKER)
                .topic(topic, 60_000)
                .businessKey(missionId)
                .execute();
        if (locked.isEmpty()) {
            throw new AssertionError("Mission " + missionId + " has no open external task on " + topic);
        }
        try {
            externalTasks.complete(locked.get(0).getId(), TEST_WORKER, result);
        } catch (RuntimeException refused) {
            externalTasks.unlock(locked.get(0).getId()); // as a real agent's lock would expire
            throw refused;
        }
    }

    /** Completes a locked external task as the test agent. */
    public void engineComplete(String externalTaskId, Map<String, Object> variables) {
        externalTasks.complete(externalTaskId, TEST_WORKER, variables);
    }

    public LockedExternalTask lock(String missionId, String topic) {
        List<LockedExternalTask> locked = externalTasks
                .fetchAndLock(1, TEST_WORKER)
                .topic(topic, 60_000)
                .businessKey(missionId)
                .execute();
        if (locked.isEmpty()) {
            throw new AssertionError("Mission " + missionId + " has no open external task on " + topic);
        }
        return locked.get(0);
    }

    public Map<String, Object> coverage(double percent) {
        return Map.of(Vars.DATA_COVERAGE_PERCENT, percent, Vars.DATA_PREVIEW_SUMMARY, "sampled 500 records");
    }

    /** A ranking with the given (impact, reversibility) pairs; all but read-only low/reversible plays mutate. */
    public Map<String, Object> ranking(String... impactReversibility) {
        List<Map<String, Object>> plays = new ArrayList<>();
        for (int i = 0; i < impactReversibility.length; i++) {
            String[] ir = impactReversibility[i].split("/");
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("playId", "play-" + (i + 1));
            p.put("name", "Play " + (i + 1));
            p.put("impact", ir[0]);
            p.put("reversibility", ir[1]);
            p.put("mutating", true);
            p.put("undoPlan", Map.of("label", "Undo play " + (i + 1), "windowMinutes", 15, "steps", List.of("revert")));
            plays.add(p);
        }
        return Map.of(Vars.RANKED_PLAYS, json.variable(plays));
    }

    public Map<String, Object> outcome(String status, String summary) {
        return Map.of(Vars.PLAY_OUTCOME, json.variable(Map.of("status", status, "summary", summary)));
    }

    /** A play outcome with one step: what the agent did, to whom (in which zone), at which instant, with what text. */
    public Map<String, Object> outcomeWithStep(String summary, Instant at, String recipientZone, String text) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("action", "send_message");
        step.put("at", at.toString());
        if (recipientZone != null) {
            step.put("recipient", "contact@example.org");
            step.put("recipientTimeZone", recipientZone);
        }
        if (text != null) {
            step.put("text", text);
        }
        step.put("spendCents", 10);
        step.put("reversible", true);
        return Map.of(
                Vars.PLAY_OUTCOME,
                json.variable(Map.of("status", "succeeded", "summary", summary, "steps", List.of(step))));
    }

    /** Executes every job of the process instances with this business key that is due now (timers, async steps). */
    public int runJobs(String businessKey) {
        var management = engineServices.getManagementService();
        int ran = 0;
        for (var pi : runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(businessKey)
                .list()) {
            for (var job : management
                    .createJobQuery()
                    .processInstanceId(pi.getId())
                    .executable()
                    .list()) {
                management.executeJob(job.getId());
                ran++;
            }
        }
        return ran;
    }

    public JsonValues json() {
        return json;
    }
}
