package io.controlplane.mission;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.platform.Roles;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Seeds a fresh demo database with missions at different stages, driven the way people and the agent would drive
 * them (real task completions by the demo users, real agent work), so Cockpit and Tasklist are not empty.
 * {@link #OWNER} and {@link #TITLES} mark them: the prod profile refuses a database holding them (DemoDataGuard).
 *
 * <p>The agent's work is done by the simulated agent for the seeded missions only (by their business keys: another
 * agent's missions are never touched), and only while {@code controlplane.agent.simulated.enabled} is on. With it
 * off, only the two missions that need no agent work are seeded (one in Define, one waiting in Prepare for the
 * agent's data inspection): a third-party agent finds every external task its own.
 */
@Component
@ConditionalOnProperty(name = "controlplane.demo.missions", havingValue = "true")
public class DemoMissions {
    private static final Logger log = LoggerFactory.getLogger(DemoMissions.class);

    /** The demo mission owner who starts every seeded mission. */
    public static final String OWNER = "mo";

    private static final String REVIVE = "Revive dormant accounts";
    private static final String TRIAGE = "Triage churn-risk tickets";
    private static final String PRS = "Review and merge dependency PRs";
    private static final String COMPLIANCE = "Weekly compliance review";
    /** The eight-stage mission in flight, seeded by the legacy package when it hears {@link Seeded}. */
    public static final String LEGACY = "Migrate the onboarding email sequence";
    /** The seeded missions' titles: with {@link #OWNER}, what tells demo missions in a database apart. */
    public static final List<String> TITLES = List.of(REVIVE, TRIAGE, PRS, COMPLIANCE, LEGACY);

    /**
     * Published once a fresh demo database holds its five-stage missions: features that seed demo data of their own
     * (the legacy package's eight-stage mission in flight) listen for it instead of being called from here.
     */
    public record Seeded(boolean agentWorked) {}

    private final MissionService missions;
    private final MissionStore store;
    private final TaskService tasks;
    private final IdentityService identity;
    private final DemoAgent agent;
    private final ApplicationEventPublisher events;

    DemoMissions(
            MissionService missions,
            MissionStore store,
            TaskService tasks,
            IdentityService identity,
            DemoAgent agent,
            ApplicationEventPublisher events) {
        this.missions = missions;
        this.store = store;
        this.tasks = tasks;
        this.identity = identity;
        this.agent = agent;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(3)
    public void seed() {
        if (store.count(null, null) > 0) {
            return;
        }
        start(
                REVIVE,
                "Re-engage accounts with no activity for 90 days",
                "Revenue operations",
                "reactivated accounts",
                40,
                "hubspot",
                "crm.objects.contacts.read",
                "crm.objects.contacts.write");
        String triage = start(
                TRIAGE,
                "Route churn-risk tickets to the right success manager within an hour",
                "Customer success",
                "tickets triaged within 1 h (%)",
                90,
                "zendesk",
                "tickets:read",
                "tickets:write");
        confirmIntent(triage);
        if (!agent.enabled()) {
            log.info(
                    "Seeded 2 demo missions (Define; Prepare, waiting for the agent's data inspection): the simulated"
                            + " agent is off (controlplane.agent.simulated.enabled), so the missions needing its work are not seeded");
            events.publishEvent(new Seeded(false));
            return;
        }
        String prs = start(
                PRS,
                "Review and merge low-risk dependency update PRs",
                "Engineering operations",
                "PRs merged",
                25,
                "github",
                "repo:read",
                "pull_requests:write");
        confirmIntent(prs);
        authorizeToolkits(prs);
        complete(
                prs,
                Elements.PACKET_REVIEW_GOVERNANCE,
                "gv",
                Roles.GOVERNANCE_VALIDATOR,
                Map.of(Vars.GV_PACKET_DECISION, "approve"));
        complete(
                prs,
                Elements.PACKET_REVIEW_OPERATIONS,
                "oc",
                Roles.OPERATIONS_COMMAND,
                Map.of(Vars.OC_PACKET_DECISION, "approve"));
        complete(
                prs,
                Elements.TELEMETRY_HOOKS_VERIFICATION,
                "ta",
                Roles.TELEMETRY_ANALYST,
                Map.of(Vars.TELEMETRY_HOOKS_DECISION, "verified"));
        while (agent.runOnce(prs) > 0) {
            // execute every approved play
        }
        complete(
                prs,
                Elements.MISSION_FEEDBACK,
                "mo",
                Roles.MISSION_OWNER,
                Map.of(
                        Vars.FEEDBACK_RATING,
                        5L,
                        Vars.EFFORT_SAVED_HOURS,
                        6.5,
                        Vars.FEEDBACK_SATISFACTION,
                        "very_satisfied",
                        Vars.LIBRARY_ASSETS_REUSED,
                        ""));
        complete(prs, Elements.RETRO_SIGN_OFF_OWNER, "mo", Roles.MISSION_OWNER, Map.of(Vars.OWNER_SIGN_OFF, true));
        // the curator promotes the segmentation play: the library offers it to later missions using these toolkits
        complete(
                prs,
                Elements.RETRO_SIGN_OFF_CURATOR,
                "kc",
                Roles.KNOWLEDGE_CURATOR,
                Map.of(
                        Vars.CURATOR_SIGN_OFF,
                        true,
                        Vars.LIBRARY_PLAYS,
                        "segment-audience",
                        Vars.LIBRARY_CATEGORY,
                        "segmentation",
                        Vars.LIBRARY_TAGS,
                        "github, gmail, hubspot, zendesk"));
        complete(
                prs,
                Elements.RETRO_SIGN_OFF_ANALYST,
                "ta",
                Roles.TELEMETRY_ANALYST,
                Map.of(Vars.ANALYST_SIGN_OFF, true));
        // planned after the library has an asset: its planner reuses it
        String compliance = start(
                COMPLIANCE,
                "Review the week's outbound messages against the tone policy",
                "Support leadership",
                "messages reviewed",
                500,
                "gmail",
                "gmail.readonly",
                "gmail.modify");
        confirmIntent(compliance);
        authorizeToolkits(compliance);
        log.info("Seeded 4 demo missions (Define, Prepare, Plan & Approve, completed) and 1 library asset");
        events.publishEvent(new Seeded(true));
    }

    private String start(
            String title,
            String objective,
            String persona,
            String metric,
            int target,
            String toolkit,
            String... scopes) {
        MissionRequest request = new MissionRequest(
                title,
                objective,
                persona,
                new MissionRequest.Kpi(metric, BigDecimal.valueOf(target)),
                List.of(
                        new MissionRequest.Safeguard("tone", null, null),
                                new MissionRequest.Safeguard("quiet_window", null, null),
                        new MissionRequest.Safeguard("rate_limit", null, null),
                                new MissionRequest.Safeguard("undo_required", null, null)),
                List.of(new MissionRequest.Toolkit(toolkit, List.of(scopes))));
        return missions.start(request, OWNER, List.of(Roles.MISSION_OWNER)).id();
    }

    private void confirmIntent(String id) {
        complete(
                id,
                Elements.INTENT_CONFIRMATION,
                "gv",
                Roles.GOVERNANCE_VALIDATOR,
                Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
        agentWorks(id);
    }

    private void authorizeToolkits(String id) {
        complete(
                id,
                Elements.TOOLKIT_AUTHORIZATION,
                "oc",
                Roles.OPERATIONS_COMMAND,
                Map.of(
                        Vars.TOOLKIT_DECISION,
                        "authorize",
                        Vars.SCOPES_VALIDATED,
                        true,
                        Vars.READ_ONLY_PATH_CONFIRMED,
                        true));
        agentWorks(id);
    }

    /** The simulated agent serves this mission's open external tasks, when it is on; never anyone else's. */
    private void agentWorks(String missionId) {
        if (agent.enabled()) {
            agent.runOnce(missionId);
        }
    }

    private void complete(String missionId, String taskKey, String user, String group, Map<String, Object> variables) {
        Task task = tasks.createTaskQuery()
                .processInstanceBusinessKey(missionId)
                .taskDefinitionKey(taskKey)
                .singleResult();
        if (task == null) {
            throw new IllegalStateException("Demo seeding expected " + taskKey + " on mission " + missionId);
        }
        identity.setAuthentication(user, List.of(group));
        try {
            tasks.complete(task.getId(), new HashMap<>(variables));
        } finally {
            identity.clearAuthentication();
        }
    }
}
