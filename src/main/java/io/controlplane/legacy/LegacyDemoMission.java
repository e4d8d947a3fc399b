package io.controlplane.legacy;

import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.mission.DemoMissions;
import io.controlplane.mission.MissionRequest.Safeguard;
import io.controlplane.mission.MissionRequest.Toolkit;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.Roles;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The demo's eight-stage mission in flight (issue #15, defect 8: a fresh demo had no legacy mission, so the migration
 * commands of the README answered "nothing to migrate"). Started as the legacy start did, intake and brief signed
 * off on the legacy model, it waits at Toolkits Connect: the migration's dry run shows it moving to Toolkit
 * Authorization, and the migrated mission keeps the legacy stage records of the two stages it ran there. Seeded once,
 * with the five-stage demo missions ({@link DemoMissions.Seeded}); it needs no agent work.
 */
@Component
class LegacyDemoMission {
    private static final Logger log = LoggerFactory.getLogger(LegacyDemoMission.class);

    private final RuntimeService runtime;
    private final TaskService tasks;
    private final IdentityService identity;
    private final JsonValues json;

    LegacyDemoMission(RuntimeService runtime, TaskService tasks, IdentityService identity, JsonValues json) {
        this.runtime = runtime;
        this.tasks = tasks;
        this.identity = identity;
        this.json = json;
    }

    @EventListener
    void seed(DemoMissions.Seeded seeded) {
        String id = UUID.randomUUID().toString();
        runtime.createProcessInstanceByKey(LegacyJourney.PROCESS_KEY)
                .businessKey(id)
                .setVariable(Vars.MISSION_OWNER, DemoMissions.OWNER)
                .setVariable(Vars.MISSION_TITLE, DemoMissions.LEGACY)
                .setVariable(Vars.OBJECTIVE, "Move the onboarding email sequence onto the new lifecycle templates")
                .setVariable(Vars.PERSONA, "Lifecycle marketing")
                .setVariable(Vars.KPI_METRIC, "onboarding emails migrated")
                .setVariable(Vars.KPI_TARGET, 12.0)
                .setVariable(
                        Vars.SAFEGUARDS,
                        json.variable(
                                List.of(new Safeguard("tone", null, null), new Safeguard("undo_required", null, null))))
                .setVariable(
                        Vars.TOOLKITS,
                        json.variable(List.of(
                                new Toolkit("hubspot", List.of("marketing-emails.read", "marketing-emails.write")))))
                .execute();
        complete(id, LegacyJourney.Elements.INTAKE_COMPLETION, DemoMissions.OWNER, Roles.MISSION_OWNER, Map.of());
        complete(
                id,
                LegacyJourney.Elements.MISSION_BRIEF_SIGN_OFF,
                "gv",
                Roles.GOVERNANCE_VALIDATOR,
                Map.of(Vars.INTENT_DECISION, "approve", Vars.SAFEGUARDS_ACKNOWLEDGED, true));
        log.info(
                "Seeded 1 eight-stage demo mission waiting at Toolkits Connect ({}): POST /api/admin/legacy/migrations"
                        + "?dryRun=true shows where it would move",
                id);
    }

    private void complete(String missionId, String taskKey, String user, String group, Map<String, Object> variables) {
        Task task = tasks.createTaskQuery()
                .processInstanceBusinessKey(missionId)
                .taskDefinitionKey(taskKey)
                .singleResult();
        if (task == null) {
            throw new IllegalStateException("Demo seeding expected " + taskKey + " on legacy mission " + missionId);
        }
        identity.setAuthentication(user, List.of(group));
        try {
            tasks.complete(task.getId(), Map.copyOf(variables));
        } finally {
            identity.clearAuthentication();
        }
    }
}
