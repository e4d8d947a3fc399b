package io.controlplane.bench;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.execution.SimulatedAgent;
import io.controlplane.incident.Runbooks;
import io.controlplane.mission.MissionJourney;
import io.controlplane.mission.MissionRequest;
import io.controlplane.mission.MissionService;
import io.controlplane.platform.EngineCalls;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;

/**
 * One completed journey of each kind, start to end, with the same simulated people: the service's mission (started
 * through {@link MissionService}, its agent steps worked by the {@link SimulatedAgent}) and the bare baseline
 * ({@code bench/baseline-journey.bpmn}, the engine alone, its external tasks answered by a bare worker with payloads
 * of the same shape and size). Used by {@link JourneyCostTest} to count statements and by the benchmark to drive
 * throughput.
 */
public class JourneyRuns {
    public static final String BASELINE_KEY = "bench-baseline";
    public static final String BASELINE_RESOURCE = "bench/baseline-journey.bpmn";
    public static final String BASELINE_WORKER = "baseline-agent";
    /** user → groups of the simulated people. */
    public static final Map<String, List<String>> GROUPS = Map.of(
            "mo",
            List.of("mission-owner"),
            "gv",
            List.of("governance-validator"),
            "gv2",
            List.of("governance-validator"),
            "oc",
            List.of("operations-command"),
            "ta",
            List.of("telemetry-analyst"),
            "kc",
            List.of("knowledge-curator"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProcessEngine engine;
    private final MissionService missions;
    private final SimulatedAgent agent;
    /** whether the driver runs due jobs itself (tests, where the job executor is off) or waits for the executor. */
    private final boolean runJobs;

    private final Map<String, String> payloads = new HashMap<>();

    public JourneyRuns(ProcessEngine engine, MissionService missions, SimulatedAgent agent, boolean runJobs) {
        this.engine = engine;
        this.missions = missions;
        this.agent = agent;
        this.runJobs = runJobs;
        payloads();
    }

    /** Deploys the baseline model unless it is deployed already. */
    public void deployBaseline() {
        if (engine.getRepositoryService()
                        .createProcessDefinitionQuery()
                        .processDefinitionKey(BASELINE_KEY)
                        .count()
                == 0) {
            engine.getRepositoryService()
                    .createDeployment()
                    .name(BASELINE_KEY)
                    .addClasspathResource(BASELINE_RESOURCE)
                    .deploy();
        }
    }

    public static MissionRequest brief() {
        return new MissionRequest(
                "Benchmark mission",
                "Re-engage accounts with no activity for 90 days",
                "Revenue operations",
                new MissionRequest.Kpi("reactivated accounts", BigDecimal.valueOf(40)),
                List.of(
                        new MissionRequest.Safeguard("tone", null, null),
                        new MissionRequest.Safeguard("quiet_window", "high", Map.of("start", "21:00")),
                        new MissionRequest.Safeguard("rate_limit", null, Map.of("perHour", 30, "burst", 10))),
                List.of(new MissionRequest.Toolkit(
                        "hubspot", List.of("crm.objects.contacts.read", "crm.objects.contacts.write"))));
    }

    /** One mission through the service, start to *Mission completed*; returns its id. */
    public String serviceJourney() {
        String id = missions.start(brief(), "mo", GROUPS.get("mo")).id();
        drive(id, MissionJourney.PROCESS_KEY, () -> agent.runOnce(id));
        return id;
    }

    /** One instance of the bare baseline process, start to end; returns its business key. */
    public String baselineJourney() {
        String id = "b-" + UUID.randomUUID();
        MissionRequest brief = brief();
        engine.getRuntimeService()
                .createProcessInstanceByKey(BASELINE_KEY)
                .businessKey(id)
                .setVariable(Vars.MISSION_TITLE, brief.title())
                .setVariable(Vars.OBJECTIVE, brief.objective())
                .setVariable(Vars.PERSONA, brief.persona())
                .setVariable(Vars.KPI_METRIC, brief.kpi().metric())
                .setVariable(Vars.KPI_TARGET, brief.kpi().target().doubleValue())
                .setVariable(Vars.SAFEGUARDS, payloads.get("safeguards"))
                .setVariable(Vars.TOOLKITS, payloads.get("toolkits"))
                .execute();
        drive(id, BASELINE_KEY, () -> baselineWorker(id));
        return id;
    }

    private void drive(String id, String key, Supplier<Integer> agentStep) {
        var tasks = engine.getTaskService();
        var runtime = engine.getRuntimeService();
        int idle = 0;
        while (true) {
            boolean progressed = false;
            for (Task task :
                    tasks.createTaskQuery().processInstanceBusinessKey(id).list()) {
                Decision d = decide(task.getTaskDefinitionKey());
                if (d == null) {
                    continue;
                }
                Runnable complete = () -> tasks.complete(task.getId(), new HashMap<>(d.variables()));
                // the bare baseline is the engine alone: no step contract, so no engine guard
                as(
                        d.user(),
                        BASELINE_KEY.equals(key)
                                ? () -> EngineCalls.asService(() -> {
                                    complete.run();
                                    return null;
                                })
                                : complete);
                progressed = true;
            }
            if (agentStep.get() > 0) {
                progressed = true;
            }
            if (progressed) {
                idle = 0;
                continue;
            }
            if (runtime.createProcessInstanceQuery()
                            .processInstanceBusinessKey(id)
                            .processDefinitionKey(key)
                            .count()
                    == 0) {
                return;
            }
            if (runJobs && runDueJobs(id) > 0) {
                continue;
            }
            if (++idle > 500) {
                throw new IllegalStateException("journey " + id + " makes no progress");
            }
            try {
                Thread.sleep(10); // a job is due for the job executor
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private int runDueJobs(String businessKey) {
        var management = engine.getManagementService();
        int ran = 0;
        for (var pi : engine.getRuntimeService()
                .createProcessInstanceQuery()
                .processInstanceBusinessKey(businessKey)
                .list()) {
            for (Job job : management
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

    record Decision(String user, Map<String, Object> variables) {}

    /** What the people decide in a completed journey: every checkpoint approved, feedback given, retro signed. */
    static Decision decide(String taskKey) {
        return switch (taskKey) {
            case Elements.INTENT_CONFIRMATION ->
                new Decision("gv", Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
            case Elements.TOOLKIT_AUTHORIZATION ->
                new Decision(
                        "oc",
                        Map.of(
                                Vars.TOOLKIT_DECISION,
                                "authorize",
                                Vars.SCOPES_VALIDATED,
                                true,
                                Vars.READ_ONLY_PATH_CONFIRMED,
                                true));
            case Elements.PACKET_REVIEW_GOVERNANCE ->
                new Decision("gv", Map.of(Vars.GV_PACKET_DECISION, "approve", Vars.GV_PACKET_COMMENT, "checked"));
            case Elements.PACKET_REVIEW_OPERATIONS -> new Decision("oc", Map.of(Vars.OC_PACKET_DECISION, "approve"));
            case Elements.TELEMETRY_HOOKS_VERIFICATION ->
                new Decision("ta", Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
            case Elements.RED_PLAY_CONFIRMATION -> new Decision("gv2", Map.of(Vars.RED_PLAY_DECISION, "confirm"));
            case Elements.MISSION_FEEDBACK ->
                new Decision(
                        "mo",
                        Map.of(
                                Vars.FEEDBACK_RATING,
                                4L,
                                Vars.EFFORT_SAVED_HOURS,
                                3L,
                                Vars.FEEDBACK_SATISFACTION,
                                "satisfied"));
            case Elements.RETRO_SIGN_OFF_OWNER -> new Decision("mo", Map.of(Vars.OWNER_SIGN_OFF, true));
            case Elements.RETRO_SIGN_OFF_CURATOR -> new Decision("kc", Map.of(Vars.CURATOR_SIGN_OFF, true));
            case Elements.RETRO_SIGN_OFF_ANALYST -> new Decision("ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
            case Runbooks.Elements.VIOLATION_DECISION ->
                new Decision(
                        "gv",
                        Map.of(
                                Runbooks.Vars.VIOLATION_DECISION,
                                "resume",
                                Runbooks.Vars.VIOLATION_NOTE,
                                "wording approved by legal for this campaign"));
            default -> null; // live oversight stays open while the plays run; a post-incident review is due days later
        };
    }

    private void as(String user, Runnable action) {
        IdentityService identity = engine.getIdentityService();
        identity.setAuthentication(user, GROUPS.get(user));
        try {
            action.run();
        } finally {
            identity.clearAuthentication();
        }
    }

    /** The baseline's worker: the same answers in shape and size as the simulated agent's, without its logic. */
    public int baselineWorker(String businessKey) {
        ExternalTaskService external = engine.getExternalTaskService();
        List<LockedExternalTask> locked = external.fetchAndLock(10, BASELINE_WORKER)
                .topic("bench.baseline.inspect", 60_000)
                .businessKey(businessKey)
                .topic("bench.baseline.rank", 60_000)
                .businessKey(businessKey)
                .topic("bench.baseline.execute", 60_000)
                .businessKey(businessKey)
                .execute();
        for (LockedExternalTask task : locked) {
            Map<String, Object> result = switch (task.getTopicName()) {
                case "bench.baseline.inspect" ->
                    Map.of(Vars.DATA_COVERAGE_PERCENT, 91.0, Vars.DATA_PREVIEW_SUMMARY, payloads.get("preview"));
                case "bench.baseline.rank" -> Map.of(Vars.RANKED_PLAYS, payloads.get("plays"), Vars.PLAY_COUNT, 3);
                default -> Map.of(Vars.PLAY_OUTCOME, payloads.get("outcome"), "playOutcomeStatus", "succeeded");
            };
            external.complete(task.getId(), BASELINE_WORKER, result);
        }
        return locked.size();
    }

    private void payloads() {
        try {
            MissionRequest brief = brief();
            payloads.put("safeguards", JSON.writeValueAsString(brief.safeguards()));
            payloads.put("toolkits", JSON.writeValueAsString(brief.toolkits()));
            payloads.put(
                    "preview", "Read-only sample of 500 records from hubspot: 91.0 % have every field the plays need.");
            List<Map<String, Object>> plays = new ArrayList<>();
            for (String id : List.of("segment-audience", "draft-outreach", "update-records")) {
                plays.add(Map.of(
                        "playId",
                        id,
                        "name",
                        "Play " + id,
                        "description",
                        "What " + id + " does",
                        "impact",
                        "medium",
                        "reversibility",
                        "reversible",
                        "mutating",
                        true,
                        "undoPlan",
                        Map.of(
                                "label",
                                "Undo " + id,
                                "windowMinutes",
                                15,
                                "steps",
                                List.of("Revert"),
                                "impactSummary",
                                "Reverts what the play changed",
                                "riskAssessment",
                                "low")));
            }
            payloads.put("plays", JSON.writeValueAsString(plays));
            payloads.put(
                    "outcome",
                    JSON.writeValueAsString(Map.of(
                            "status",
                            "succeeded",
                            "summary",
                            "Play: 120 records touched",
                            "recordsTouched",
                            120,
                            "agent",
                            BASELINE_WORKER,
                            "steps",
                            List.of(Map.of(
                                    "action",
                                    "send_message",
                                    "at",
                                    Instant.now().toString(),
                                    "recipient",
                                    "contact-1@example.org",
                                    "recipientTimeZone",
                                    "Europe/Berlin",
                                    "text",
                                    "Hello!",
                                    "spendCents",
                                    25,
                                    "reversible",
                                    true)))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
