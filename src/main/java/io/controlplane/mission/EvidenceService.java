package io.controlplane.mission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.NotFoundException;
import io.controlplane.platform.PlainText;
import io.controlplane.platform.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Renders a stage's readiness artifact from its template in {@code docs/readiness/} (on the classpath under
 * {@code readiness/}), stores it with its SHA-256 and links the stage's checkpoint decisions to it.
 */
@Service
public class EvidenceService {

    private final MissionStore missions;
    private final EvidenceStore store;
    private final ApprovalStore approvals;
    private final PlayStore plays;
    private final JsonValues json;
    private final Map<Stage, Template> templates = new EnumMap<>(Stage.class);
    private final Set<Stage> showsPlays = EnumSet.noneOf(Stage.class);
    private final Set<Stage> showsFeedback = EnumSet.noneOf(Stage.class);
    private final Set<Stage> showsAgentRuns = EnumSet.noneOf(Stage.class);
    private final AgentRunStore agentRuns;
    private final AgentRuns ledger;
    private final Template legacyRecord;
    private final NamedParameterJdbcTemplate jdbc;

    /** The template of a stage a migrated mission ran on the eight-stage model (docs/readiness/legacy_stage_record.md). */
    public static final String LEGACY_RECORD_TEMPLATE = "legacy_stage_record.md";

    EvidenceService(
            MissionStore missions,
            EvidenceStore store,
            ApprovalStore approvals,
            PlayStore plays,
            JsonValues json,
            NamedParameterJdbcTemplate jdbc,
            AgentRunStore agentRuns,
            AgentRuns ledger) {
        this.jdbc = jdbc;
        this.agentRuns = agentRuns;
        this.ledger = ledger;
        this.missions = missions;
        this.store = store;
        this.approvals = approvals;
        this.plays = plays;
        this.json = json;
        Mustache.Compiler compiler = Mustache.compiler().escapeHTML(false).defaultValue("—");
        for (Stage stage : Stage.values()) {
            String source = source(stage.evidenceTemplate());
            templates.put(stage, compiler.compile(source));
            // read only what the stage's template shows: no plays for Define/Prepare, feedback only for the retro
            if (shows(source, "plays") || shows(source, "redPlayCount")) {
                showsPlays.add(stage);
            }
            if (shows(source, "feedback")) {
                showsFeedback.add(stage);
            }
            if (shows(source, "agentRuns")) {
                showsAgentRuns.add(stage);
            }
        }
        legacyRecord = compiler.compile(source(LEGACY_RECORD_TEMPLATE));
    }

    private static String source(String name) {
        ClassPathResource resource = new ClassPathResource("readiness/" + name);
        try (var in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Evidence template missing: " + resource.getPath(), e);
        }
    }

    /** A rendered artifact as the API shows it. */
    public record Artifact(long id, Stage stage, String template, String sha256, Instant renderedAt, String content) {}

    /** How a stage ended, as its artifact's "Stage ended" row says. */
    public static final String COMPLETED = "completed";

    public static final String ROLLED_BACK = "rolled back";
    public static final String ABORTED = "aborted";

    /** What the journey knows about a stage beyond the tables: the inspection's report and the approval round. */
    public record StageFigures(Number dataCoveragePercent, String dataPreviewSummary, Integer approvalRound) {}

    public void render(String missionId, Stage stage, StageFigures figures, String ending) {
        MissionStore.Mission m = missions.find(missionId)
                .orElseThrow(() -> new IllegalStateException("Mission " + missionId + " is not registered"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> model = briefModel(m, stage, now, ending);

        model.put(
                "approvals",
                approvals.unlinked(missionId, stage).stream()
                        .map(a -> {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("checkpointName", md(a.checkpointName()));
                            row.put("decidedBy", md(a.decidedBy()));
                            row.put("role", md(a.role()));
                            row.put("decision", md(a.decision()));
                            row.put("comment", a.comment() == null ? "—" : md(a.comment()));
                            row.put(
                                    "decidedAt",
                                    a.decidedAt()
                                            .truncatedTo(ChronoUnit.SECONDS)
                                            .toString());
                            return row;
                        })
                        .toList());
        Number n = figures.dataCoveragePercent();
        if (n != null) {
            model.put("dataCoveragePercent", n);
            model.put("coverageStatus", n.doubleValue() >= 85 ? "green" : n.doubleValue() >= 60 ? "amber" : "red");
        }
        String preview = figures.dataPreviewSummary();
        model.put("dataPreviewSummary", preview == null ? null : PlainText.markdownBlock(preview));
        model.put("approvalRound", figures.approvalRound());
        List<PlayStore.Play> latest = showsPlays.contains(stage) ? plays.latest(missionId) : List.of();
        model.put(
                "plays",
                latest.stream()
                        .map(p -> {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("rank", p.rank());
                            row.put("name", md(p.name()));
                            row.put("impact", md(p.impact()));
                            row.put("reversibility", md(p.reversibility()));
                            row.put("riskGrade", md(p.riskGrade()));
                            row.put("mutating", p.mutating() ? "yes" : "no");
                            row.put("undoPlan", md(undoLine(p.undoPlanJson())));
                            row.put("status", md(p.status().toLowerCase()));
                            row.put("resultSummary", p.resultSummary() == null ? "—" : md(p.resultSummary()));
                            row.put("resultSha256", p.resultSha256() == null ? "—" : p.resultSha256());
                            row.put(
                                    "executedAt",
                                    p.executedAt() == null
                                            ? "—"
                                            : p.executedAt()
                                                    .truncatedTo(ChronoUnit.SECONDS)
                                                    .toString());
                            return row;
                        })
                        .toList());
        model.put(
                "redPlayCount",
                latest.stream().filter(p -> "red".equals(p.riskGrade())).count());
        (showsFeedback.contains(stage) ? missions.feedback(missionId) : Optional.<MissionStore.Feedback>empty())
                .ifPresent(f -> model.put(
                        "feedback",
                        Map.of(
                                "rating",
                                f.rating(),
                                "effortSavedHours",
                                MissionSummaries.plain(f.effortSavedHours()),
                                "satisfaction",
                                md(f.satisfaction()),
                                "libraryAssetsReused",
                                f.libraryAssetsReused() == null ? "none" : md(f.libraryAssetsReused()),
                                "blockers",
                                f.blockers() == null ? "none" : md(f.blockers()))));

        if (showsAgentRuns.contains(stage)) {
            agentLedger(m, now, model);
        }

        String content = templates.get(stage).execute(model);
        long id = store.insert(missionId, stage, content, Sha256.hex(content), now);
        approvals.linkEvidence(missionId, stage, id);
    }

    /** The agent ledger's section: per agent (the authenticated worker, shown as text) and the total against the budget. */
    private void agentLedger(MissionStore.Mission m, Instant now, Map<String, Object> model) {
        model.put(
                "agentRuns",
                agentRuns.perAgent(m.id(), null).stream()
                        .map(a -> Map.of(
                                "agent",
                                md(a.agent()),
                                "runs",
                                a.runs(),
                                "tokensIn",
                                a.tokensIn(),
                                "tokensOut",
                                a.tokensOut(),
                                "costCents",
                                a.costCents().toPlainString()))
                        .toList());
        AgentRunStore.Totals t = agentRuns.totals(m.id());
        AgentRuns.Budget b = ledger.budget(m, now);
        model.put(
                "agentTotals",
                Map.of(
                        "runs",
                        t.runs(),
                        "tokensIn",
                        t.tokensIn(),
                        "tokensOut",
                        t.tokensOut(),
                        "costCents",
                        t.costCents().toPlainString(),
                        "budget",
                        b.centsPerDay() == null
                                ? "no budget_cap safeguard"
                                : b.spentCents().toPlainString() + " of " + b.centsPerDay() + " cents on " + b.day()
                                        + " (UTC)" + (b.exceeded() ? ": over the cap" : ": within the cap")));
    }

    /** Whether a Mustache template uses {@code name} as a value or section ({@code {{name}}}, {@code {{#name}}}). */
    static boolean shows(String template, String name) {
        return Pattern.compile("\\{\\{[#^/&]?\\s*" + Pattern.quote(name) + "\\s*}}")
                .matcher(template)
                .find();
    }

    /** The mission's brief, the stage and the rendering: what every artifact's header shows. */
    private Map<String, Object> briefModel(MissionStore.Mission m, Stage stage, Instant now, String ending) {
        Map<String, Object> model = new LinkedHashMap<>();
        // everything a person or an agent wrote is escaped (md, block): text in the sealed document, never markup
        model.put(
                "mission",
                Map.of(
                        "id",
                        PlainText.codeSpan(m.id()),
                        "title",
                        md(m.title()),
                        "objective",
                        PlainText.markdownBlock(m.objective()),
                        "persona",
                        md(m.persona()),
                        "kpiMetric",
                        md(m.kpiMetric()),
                        "kpiTarget",
                        MissionSummaries.plain(m.kpiTarget()),
                        "owner",
                        md(m.owner()),
                        "createdAt",
                        m.createdAt().truncatedTo(ChronoUnit.SECONDS).toString(),
                        "processInstanceId",
                        PlainText.codeSpan(String.valueOf(m.processInstanceId()))));
        model.put("stage", Map.of("code", stage.name(), "name", stage.displayName()));
        model.put("renderedAt", now.toString());
        model.put("stageEnded", ending);
        List<MissionRequest.Safeguard> safeguards =
                json.mapper().convertValue(readTree(m.safeguardsJson()), new TypeReference<>() {});
        model.put(
                "safeguards",
                safeguards.stream()
                        .map(s -> Map.of("line", md(SafeguardPolicy.describe(s))))
                        .toList());
        List<MissionRequest.Toolkit> toolkits =
                json.mapper().convertValue(readTree(m.toolkitsJson()), new TypeReference<>() {});
        model.put(
                "toolkits",
                toolkits.stream()
                        .map(t -> Map.of("slug", md(t.slug()), "scopes", md(String.join(", ", t.scopes()))))
                        .toList());
        return model;
    }

    /**
     * A mission migrated from the eight-stage model ran its earlier stages there, where no readiness artifact was
     * rendered. On entering a five-stage stage, each earlier stage without evidence that the engine's history shows
     * completed on the legacy model (its legacy sub-processes, not cancelled) gets its legacy record: rendered from that
     * history — the legacy stages and steps with their times and assignees — and hashed like any artifact. Nothing is
     * rendered for a stage the legacy model did not complete, so a five-stage mission never gets one.
     */
    public void renderLegacyRecords(String missionId, String processInstanceId, Stage entered) {
        if (entered.ordinal() == 0 || processInstanceId == null) {
            return;
        }
        Set<Stage> withEvidence = EnumSet.noneOf(Stage.class);
        store.forMission(missionId).forEach(e -> withEvidence.add(e.stage()));
        Map<Stage, List<Map<String, Object>>> stages = new EnumMap<>(Stage.class);
        Map<Stage, List<Map<String, Object>>> steps = new EnumMap<>(Stage.class);
        Set<String> seen = new HashSet<>();
        // the engine's own history (no caller writes it); stage_labels maps each legacy sub-process to its stage
        jdbc.query(
                """
                SELECT s.stage_code, s.stage_legacy, sub.ID_ AS sub_id, sub.ACT_ID_ AS sub_act, sub.START_TIME_ AS sub_start,
                       sub.END_TIME_ AS sub_end, step.ACT_ID_ AS step_act, step.ACT_NAME_ AS step_name,
                       step.ASSIGNEE_ AS step_assignee, step.END_TIME_ AS step_end
                FROM ACT_HI_ACTINST sub
                JOIN stage_labels s ON s.legacy_sub_process_id = sub.ACT_ID_
                LEFT JOIN ACT_HI_ACTINST step ON step.PARENT_ACT_INST_ID_ = sub.ID_ AND step.END_TIME_ IS NOT NULL
                     AND step.ACT_TYPE_ IN ('userTask', 'serviceTask')
                WHERE sub.PROC_INST_ID_ = :pi AND sub.PROC_DEF_KEY_ = :legacy AND sub.ACT_TYPE_ = 'subProcess'
                  AND sub.END_TIME_ IS NOT NULL AND (sub.ACT_INST_STATE_ IS NULL OR sub.ACT_INST_STATE_ <> 2)
                ORDER BY sub.START_TIME_, sub.ID_, step.END_TIME_
                """, new MapSqlParameterSource("pi", processInstanceId).addValue("legacy", LEGACY_PROCESS_KEY), rs -> {
                    Stage stage = Stage.valueOf(rs.getString("stage_code"));
                    if (stage.ordinal() >= entered.ordinal() || withEvidence.contains(stage)) {
                        return;
                    }
                    String legacyName = rs.getString("stage_legacy");
                    if (seen.add(rs.getString("sub_id"))) {
                        stages.computeIfAbsent(stage, k -> new ArrayList<>())
                                .add(Map.of(
                                        "name",
                                        md(legacyName),
                                        "activityId",
                                        rs.getString("sub_act"),
                                        "enteredAt",
                                        instant(rs, "sub_start"),
                                        "leftAt",
                                        instant(rs, "sub_end")));
                    }
                    if (rs.getString("step_act") != null) {
                        String assignee = rs.getString("step_assignee");
                        String name = rs.getString("step_name");
                        steps.computeIfAbsent(stage, k -> new ArrayList<>())
                                .add(Map.of(
                                        "stage",
                                        md(legacyName),
                                        "name",
                                        name == null ? "—" : md(name),
                                        "activityId",
                                        rs.getString("step_act"),
                                        "assignee",
                                        assignee == null ? "— (none)" : md(assignee),
                                        "completedAt",
                                        instant(rs, "step_end")));
                    }
                });
        if (stages.isEmpty()) {
            return;
        }
        MissionStore.Mission m = missions.find(missionId)
                .orElseThrow(() -> new IllegalStateException("Mission " + missionId + " is not registered"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        stages.forEach((stage, visits) -> {
            Map<String, Object> model = briefModel(m, stage, now, "completed on the eight-stage model");
            model.put("legacyStages", visits);
            model.put("legacySteps", steps.getOrDefault(stage, List.of()));
            String content = legacyRecord.execute(model);
            store.insert(missionId, stage, LEGACY_RECORD_TEMPLATE, content, Sha256.hex(content), now);
        });
    }

    /** bpmn/legacy/mission-journey-legacy.bpmn (the legacy package's LegacyJourney.PROCESS_KEY, which depends on this one) */
    static final String LEGACY_PROCESS_KEY = "mission-journey-legacy";

    private static String instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? "—" : t.toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public List<Artifact> artifacts(String missionId) {
        return store.forMission(missionId).stream()
                .map(EvidenceService::artifact)
                .toList();
    }

    public Artifact latest(String missionId, Stage stage) {
        return store.latest(missionId, stage)
                .map(EvidenceService::artifact)
                .orElseThrow(() -> new NotFoundException(
                        "Mission " + missionId + " has no " + stage.displayName() + " evidence yet"));
    }

    private static Artifact artifact(EvidenceStore.Evidence e) {
        return new Artifact(e.id(), e.stage(), e.template(), e.sha256(), e.renderedAt(), e.content());
    }

    /** One line of Markdown text: a table cell, a list item, a heading (null stays null: the template says "—"). */
    private static String md(String text) {
        return PlainText.markdown(text);
    }

    /** "Discard drafts (window 15 min): 1. Delete the generated drafts" */
    private String undoLine(String undoJson) {
        if (undoJson == null) {
            return "— (read-only)";
        }
        JsonNode undo = readTree(undoJson);
        StringBuilder b = new StringBuilder(undo.path("label").asText("Undo plan"));
        if (undo.hasNonNull("windowMinutes")) {
            b.append(" (window ").append(undo.path("windowMinutes").asInt()).append(" min)");
        }
        b.append(":");
        int i = 1;
        for (JsonNode step : undo.path("steps")) {
            b.append(" ").append(i++).append(". ").append(step.asText());
        }
        return b.toString();
    }

    private JsonNode readTree(String text) {
        try {
            return json.read(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored mission JSON is unreadable", e);
        }
    }
}
