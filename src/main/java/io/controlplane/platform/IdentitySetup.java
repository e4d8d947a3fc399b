package io.controlplane.platform;

import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import io.controlplane.incident.Runbooks;
import io.controlplane.legacy.LegacyJourney;
import io.controlplane.mission.MissionJourney;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.task.TaskQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The operating model in Camunda's identity and authorization tables, created at every start (idempotently):
 * one group per role, what each group may see and do (least privilege, docs/security.md), and the Tasklist filters
 * people work from. Task-level access needs no grant here: the engine gives a task's candidate groups and assignee
 * TASK_WORK on it (default-user-permission-name-for-task), so people see and complete only their groups' tasks.
 */
@Component
class IdentitySetup {
    private static final Logger log = LoggerFactory.getLogger(IdentitySetup.class);

    /** Agent runtimes that fetch and complete external tasks through /engine-rest. */
    static final String AGENT_GROUP = Roles.AGENT;
    /** The processes whose external tasks agents serve. */
    // the legacy journey until its in-flight missions are migrated (docs/legacy-migration.md); nobody is granted
    // CREATE_INSTANCE on it: no new eight-stage missions
    static final List<String> AGENT_PROCESSES =
            List.of(MissionJourney.PROCESS_KEY, Runbooks.UNDO_FAILURE, LegacyJourney.PROCESS_KEY);

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final FilterService filters;
    private final TaskService tasks;

    IdentitySetup(
            IdentityService identity, AuthorizationService authorizations, FilterService filters, TaskService tasks) {
        this.identity = identity;
        this.authorizations = authorizations;
        this.filters = filters;
        this.tasks = tasks;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(1)
    public void setUp() {
        for (String role : Roles.OPERATING_ROLES) {
            group(role, Roles.displayName(role), "WORKFLOW");
        }
        group(AGENT_GROUP, "AI agent runtimes", "SYSTEM");

        String journey = MissionJourney.PROCESS_KEY;
        for (String role : Roles.OPERATING_ROLES) {
            grant(role, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
        }
        for (String role : List.of(Roles.GOVERNANCE_VALIDATOR, Roles.OPERATIONS_COMMAND, Roles.TELEMETRY_ANALYST)) {
            // Cockpit: watch missions, incidents and history
            grant(role, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
            grant(
                    role,
                    Resources.PROCESS_DEFINITION,
                    "*",
                    ProcessDefinitionPermissions.READ,
                    ProcessDefinitionPermissions.READ_INSTANCE,
                    ProcessDefinitionPermissions.READ_HISTORY);
            grant(role, Resources.DECISION_DEFINITION, "*", Permissions.READ, Permissions.READ_HISTORY);
            // the deployments holding those definitions: Cockpit's start page counts them ("Deployments 0" otherwise)
            grant(role, Resources.DEPLOYMENT, "*", Permissions.READ);
        }
        // operations command handles incidents: Retry in Cockpit (set job retries), e.g. notifications after an outage
        grant(Roles.OPERATIONS_COMMAND, Resources.PROCESS_DEFINITION, "*", ProcessDefinitionPermissions.RETRY_JOB);
        // ... and Retry on a failed agent step: Cockpit sends PUT external-task/{id}/retries, which Camunda 7.24 checks
        // as UPDATE on the process instance or UPDATE_INSTANCE on its definition (RETRY_JOB counts only for jobs and
        // the batch retries). Only on the processes with agent steps; the allow-list and the engine guard take away
        // everything else UPDATE_INSTANCE would allow (variables, modification, completing external tasks).
        for (String key : AGENT_PROCESSES) {
            grant(
                    Roles.OPERATIONS_COMMAND,
                    Resources.PROCESS_DEFINITION,
                    key,
                    ProcessDefinitionPermissions.UPDATE_INSTANCE);
        }
        // mission owners start missions (REST API and Tasklist start form)
        grant(
                Roles.MISSION_OWNER,
                Resources.PROCESS_DEFINITION,
                journey,
                ProcessDefinitionPermissions.READ,
                ProcessDefinitionPermissions.CREATE_INSTANCE);
        grant(Roles.MISSION_OWNER, Resources.PROCESS_INSTANCE, "*", Permissions.CREATE);
        // agents fetch, lock and complete the external tasks of the journey, of the undo-failure runbook (the
        // alternate rollback) and of legacy missions still in flight, nothing else: fetch-and-lock needs READ_INSTANCE,
        // complete / failure UPDATE_INSTANCE
        for (String key : AGENT_PROCESSES) {
            grant(
                    AGENT_GROUP,
                    Resources.PROCESS_DEFINITION,
                    key,
                    ProcessDefinitionPermissions.READ,
                    ProcessDefinitionPermissions.READ_INSTANCE,
                    ProcessDefinitionPermissions.UPDATE_INSTANCE);
        }
        // Deployments, users, groups, authorizations, batches (migration) and tenants: no grant to any group here.
        // Only camunda-admin (Camunda's administrators group, ALL on every resource) deploys, migrates or changes
        // users.

        Filter mine = filter(
                "My checkpoints",
                -10,
                tasks.createTaskQuery()
                        .taskCandidateGroupInExpression("${currentUserGroups()}")
                        .includeAssignedTasks(),
                "Open checkpoints of my groups, and tasks assigned to me");
        Filter assigned = filter(
                "Assigned to me",
                0,
                tasks.createTaskQuery().taskAssigneeExpression("${currentUser()}"),
                "Tasks assigned to me");
        for (String role : Roles.OPERATING_ROLES) {
            grant(role, Resources.FILTER, mine.getId(), Permissions.READ);
            grant(role, Resources.FILTER, assigned.getId(), Permissions.READ);
        }
    }

    private void group(String id, String name, String type) {
        if (identity.createGroupQuery().groupId(id).count() == 0) {
            Group g = identity.newGroup(id);
            g.setName(name);
            g.setType(type);
            identity.saveGroup(g);
            log.info("Created group {}", id);
        }
    }

    private void grant(String group, Resource resource, String resourceId, Permission... permissions) {
        Authorization existing = authorizations
                .createAuthorizationQuery()
                .groupIdIn(group)
                .resourceType(resource)
                .resourceId(resourceId)
                .authorizationType(AUTH_TYPE_GRANT)
                .singleResult();
        Authorization a = existing != null ? existing : authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
        a.setGroupId(group);
        a.setResource(resource);
        a.setResourceId(resourceId);
        for (Permission p : permissions) {
            a.addPermission(p);
        }
        authorizations.saveAuthorization(a);
    }

    private Filter filter(String name, int priority, TaskQuery query, String description) {
        Filter existing = filters.createFilterQuery().filterName(name).singleResult();
        if (existing != null) {
            return existing;
        }
        Filter f = filters.newTaskFilter(name)
                .setQuery(query)
                .setProperties(Map.of("priority", priority, "description", description, "refresh", true));
        return filters.saveFilter(f);
    }
}
