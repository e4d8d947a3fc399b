package io.controlplane.mission;

import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.EngineCalls;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.NotFoundException;
import io.controlplane.platform.Page;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Starting missions and reading them back: the service behind {@code /api/missions}. */
@Service
public class MissionService {

    private final MissionBriefs briefs;
    private final MissionStore store;
    private final ApprovalStore approvals;
    private final EvidenceService evidence;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final IdentityService identity;
    private final JsonValues json;

    MissionService(
            MissionBriefs briefs,
            MissionStore store,
            ApprovalStore approvals,
            EvidenceService evidence,
            RuntimeService runtime,
            TaskService tasks,
            IdentityService identity,
            JsonValues json) {
        this.briefs = briefs;
        this.store = store;
        this.approvals = approvals;
        this.evidence = evidence;
        this.runtime = runtime;
        this.tasks = tasks;
        this.identity = identity;
        this.json = json;
    }

    public record Kpi(String metric, BigDecimal target) {}

    public record OpenTask(
            String id,
            String name,
            String checkpoint,
            List<String> candidateGroups,
            String assignee,
            Instant created) {}

    public record EvidenceLink(String stage, String template, String sha256, Instant renderedAt, String link) {}

    public record Approval(
            String checkpoint,
            String checkpointName,
            String stage,
            String decidedBy,
            String role,
            String decision,
            String comment,
            Instant decidedAt,
            String evidence) {}

    public record MissionView(
            String id,
            String title,
            String objective,
            String persona,
            Kpi kpi,
            JsonNode safeguards,
            JsonNode toolkits,
            String owner,
            String stage,
            String stageName,
            String status,
            String processInstanceId,
            Instant createdAt,
            Instant updatedAt,
            Instant completedAt,
            List<OpenTask> openTasks,
            List<Approval> approvals,
            List<EvidenceLink> evidence) {}

    public record MissionSummary(
            String id,
            String title,
            String owner,
            String stage,
            String stageName,
            String status,
            Instant createdAt,
            Instant updatedAt,
            String link) {}

    /**
     * Validates the brief and starts the journey as {@code user}, so the engine's authorizations apply and the
     * user becomes the mission owner. Mission row and process instance commit together or not at all.
     */
    @Transactional
    public MissionView start(MissionRequest request, String user, List<String> groups) {
        MissionRequest brief = briefs.validate(request);
        String id = UUID.randomUUID().toString();
        identity.setAuthentication(user, groups);
        try {
            // the service's own start (validated brief, a business key it chose): not a caller's start-form start
            EngineCalls.asService(() -> runtime.createProcessInstanceByKey(MissionJourney.PROCESS_KEY)
                    .businessKey(id)
                    .setVariable(Vars.MISSION_TITLE, brief.title())
                    .setVariable(Vars.OBJECTIVE, brief.objective())
                    .setVariable(Vars.PERSONA, brief.persona())
                    .setVariable(Vars.KPI_METRIC, brief.kpi().metric())
                    .setVariable(Vars.KPI_TARGET, brief.kpi().target().doubleValue())
                    .setVariable(Vars.SAFEGUARDS, json.variable(brief.safeguards()))
                    .setVariable(Vars.TOOLKITS, json.variable(brief.toolkits()))
                    .execute());
        } finally {
            identity.clearAuthentication();
        }
        return view(id);
    }

    public MissionView view(String id) {
        MissionStore.Mission m = store.find(id).orElseThrow(() -> new NotFoundException("No mission with id " + id));
        List<Task> openTasks = tasks.createTaskQuery()
                .processInstanceBusinessKey(id)
                .initializeFormKeys()
                .list();
        Map<String, List<String>> groups =
                store.candidateGroups(openTasks.stream().map(Task::getId).toList());
        List<OpenTask> open = openTasks.stream()
                .sorted(Comparator.comparing(Task::getCreateTime).thenComparing(Task::getId))
                .map(t -> new OpenTask(
                        t.getId(),
                        t.getName(),
                        t.getTaskDefinitionKey(),
                        groups.getOrDefault(t.getId(), List.of()),
                        t.getAssignee(),
                        t.getCreateTime().toInstant()))
                .toList();
        List<EvidenceService.Artifact> artifacts = evidence.artifacts(id);
        List<EvidenceLink> links = artifacts.stream()
                .map(a -> new EvidenceLink(
                        a.stage().name(), a.template(), a.sha256(), a.renderedAt(), evidenceLink(id, a.stage())))
                .toList();
        List<Approval> decisions = approvals.forMission(id).stream()
                .map(a -> new Approval(
                        a.checkpoint(),
                        a.checkpointName(),
                        a.stage().name(),
                        a.decidedBy(),
                        a.role(),
                        a.decision(),
                        a.comment(),
                        a.decidedAt(),
                        a.evidenceId() == null ? null : evidenceLink(id, a.stage())))
                .toList();
        return new MissionView(
                m.id(),
                m.title(),
                m.objective(),
                m.persona(),
                new Kpi(m.kpiMetric(), m.kpiTarget()),
                tree(m.safeguardsJson()),
                tree(m.toolkitsJson()),
                m.owner(),
                m.stage().name(),
                m.stage().displayName(),
                m.status().name(),
                m.processInstanceId(),
                m.createdAt(),
                m.updatedAt(),
                m.completedAt(),
                open,
                decisions,
                links);
    }

    public Page<MissionSummary> list(Stage stage, MissionStore.Status status, int page, int size) {
        return list(stage, status, null, page, size);
    }

    /** A page of missions, only {@code owner}'s when an owner is given. */
    public Page<MissionSummary> list(Stage stage, MissionStore.Status status, String owner, int page, int size) {
        List<MissionSummary> items = store.list(stage, status, owner, page, size).stream()
                .map(m -> new MissionSummary(
                        m.id(),
                        m.title(),
                        m.owner(),
                        m.stage().name(),
                        m.stage().displayName(),
                        m.status().name(),
                        m.createdAt(),
                        m.updatedAt(),
                        "/api/missions/" + m.id()))
                .toList();
        return new Page<>(items, page, size, store.count(stage, status, owner));
    }

    /** The owner of mission {@code id}; 404 when there is no such mission. */
    public String owner(String id) {
        return store.find(id)
                .orElseThrow(() -> new NotFoundException("No mission with id " + id))
                .owner();
    }

    public String evidence(String id, Stage stage) {
        store.find(id).orElseThrow(() -> new NotFoundException("No mission with id " + id));
        return evidence.latest(id, stage).content();
    }

    static String evidenceLink(String id, Stage stage) {
        return "/api/missions/" + id + "/evidence/" + stage.name();
    }

    private JsonNode tree(String text) {
        try {
            return json.read(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored mission JSON is unreadable", e);
        }
    }
}
