package io.controlplane;

import io.controlplane.mission.ApprovalStore;
import io.controlplane.mission.MissionStore;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.stereotype.Component;

/**
 * Everything a refused request must leave as it was, for the adversarial tests: per mission its position,
 * variables, owner, stage, approvals, tasks (assignee, delegation, task-local variables, identity links) and agent
 * locks; globally jobs (retries, suspension, due dates), instances, batches, missions and users.
 */
@Component
public class EngineSnapshot {
    private final JourneyDriver drive;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final ManagementService management;
    private final ExternalTaskService externalTasks;
    private final IdentityService identity;
    private final ApprovalStore approvals;
    private final MissionStore missions;

    EngineSnapshot(
            JourneyDriver drive,
            RuntimeService runtime,
            TaskService tasks,
            ManagementService management,
            ExternalTaskService externalTasks,
            IdentityService identity,
            ApprovalStore approvals,
            MissionStore missions) {
        this.drive = drive;
        this.runtime = runtime;
        this.tasks = tasks;
        this.management = management;
        this.externalTasks = externalTasks;
        this.identity = identity;
        this.approvals = approvals;
        this.missions = missions;
    }

    public Map<String, Object> of(List<String> missionIds) {
        Map<String, Object> s = new TreeMap<>();
        for (String id : missionIds) {
            var instance = drive.instance(id);
            s.put(id + ".suspended", instance.isSuspended());
            s.put(id + ".activities", new TreeSet<>(runtime.getActiveActivityIds(instance.getId())));
            Map<String, String> variables = new TreeMap<>();
            runtime.getVariables(instance.getId()).forEach((k, v) -> variables.put(k, String.valueOf(v)));
            s.put(id + ".variables", variables);
            s.put(id + ".owner", missions.find(id).orElseThrow().owner());
            s.put(id + ".stage", missions.find(id).orElseThrow().stage());
            s.put(
                    id + ".approvals",
                    approvals.forMission(id).stream()
                            .map(a -> a.checkpoint() + "/" + a.decidedBy() + "/" + a.decision())
                            .toList());
            var open = tasks.createTaskQuery().processInstanceBusinessKey(id).list();
            s.put(
                    id + ".tasks",
                    open.stream()
                            .map(t -> t.getTaskDefinitionKey() + "@" + t.getAssignee() + "/" + t.getName() + "/"
                                    + t.getDelegationState())
                            .sorted()
                            .toList());
            s.put(
                    id + ".taskLocals",
                    open.stream()
                            .map(t -> String.valueOf(tasks.getVariablesLocal(t.getId())))
                            .sorted()
                            .toList());
            s.put(
                    id + ".links",
                    open.stream()
                            .flatMap(t -> tasks.getIdentityLinksForTask(t.getId()).stream())
                            .map(l -> l.getType() + ":" + l.getUserId() + ":" + l.getGroupId())
                            .sorted()
                            .toList());
            s.put(
                    id + ".externalTasks",
                    externalTasks.createExternalTaskQuery().processInstanceId(instance.getId()).list().stream()
                            .map(t -> t.getTopicName() + "@" + t.getWorkerId() + "/" + t.getRetries() + "/"
                                    + t.getPriority())
                            .sorted()
                            .toList());
        }
        s.put(
                "standaloneTasks",
                tasks.createTaskQuery().list().stream()
                        .filter(t -> t.getProcessInstanceId() == null)
                        .count());
        s.put("instances", runtime.createProcessInstanceQuery().count());
        s.put(
                "suspendedInstances",
                runtime.createProcessInstanceQuery().suspended().count());
        s.put(
                "jobs",
                management.createJobQuery().list().stream()
                        .map(j -> j.getId() + "/" + j.getRetries() + "/" + j.isSuspended() + "/" + j.getDuedate())
                        .sorted()
                        .toList());
        s.put("batches", management.createBatchQuery().count());
        s.put("missions", missions.count(null, null));
        s.put("users", identity.createUserQuery().count());
        return s;
    }
}
