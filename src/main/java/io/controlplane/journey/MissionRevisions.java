package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Typed;
import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.backlog.BacklogRequest;
import io.controlplane.backlog.BacklogService;
import io.controlplane.library.Library;
import io.controlplane.mission.MissionBriefs;
import io.controlplane.mission.MissionInputException;
import io.controlplane.mission.MissionRequest;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.MissionSummaries;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.PlainText;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * What the mission owner's own tasks change in the mission: a revised brief, an adjusted toolkit selection, the
 * Stage 5 feedback. Runs when the task completes (an execution listener on its end, like
 * {@code checkpointDecisions}, after it), in the same transaction.
 */
@Component("missionRevisions")
class MissionRevisions implements ExecutionListener {

    private static final Set<String> SATISFACTION =
            Set.of("very_dissatisfied", "dissatisfied", "neutral", "satisfied", "very_satisfied");

    private final MissionStore store;
    private final MissionBriefs briefs;
    private final JsonValues json;
    private final Validator validator;
    private final IdentityService identityService;
    private final BacklogService backlog;
    private final Library library;

    MissionRevisions(
            MissionStore store,
            MissionBriefs briefs,
            JsonValues json,
            Validator validator,
            IdentityService identityService,
            BacklogService backlog,
            Library library) {
        this.library = library;
        this.backlog = backlog;
        this.store = store;
        this.briefs = briefs;
        this.json = json;
        this.validator = validator;
        this.identityService = identityService;
    }

    @Override
    public void notify(DelegateExecution task) {
        if (task.isCanceled()) {
            return;
        }
        String missionId = task.getProcessBusinessKey();
        switch (task.getCurrentActivityId()) {
            case Elements.BRIEF_REVISION -> reviseBrief(task, missionId);
            case Elements.TOOLKIT_ADJUSTMENT -> adjustToolkits(task, missionId);
            case Elements.MISSION_FEEDBACK -> recordFeedback(task, missionId);
            default ->
                throw new IllegalStateException("missionRevisions is not meant for " + task.getCurrentActivityId());
        }
    }

    private void reviseBrief(DelegateExecution task, String missionId) {
        MissionRequest.Kpi kpi;
        try {
            kpi = new MissionRequest.Kpi(
                    Typed.KPI_METRIC.orNull(task), MissionBriefs.decimal(Typed.KPI_TARGET.orNull(task)));
        } catch (InvalidInputException | IllegalArgumentException e) {
            throw new MissionInputException(Vars.KPI_TARGET, "Revise Mission Brief: kpiTarget must be a number.");
        }
        Object objective = task.getVariable(Vars.OBJECTIVE);
        if (!(objective instanceof String o) || o.isBlank() || o.length() > 4000) {
            throw new MissionInputException(
                    Vars.OBJECTIVE, "Revise Mission Brief: objective is required (at most 4000 characters).");
        }
        for (ConstraintViolation<MissionRequest.Kpi> v : validator.validate(kpi)) {
            String field = "target".equals(v.getPropertyPath().toString()) ? Vars.KPI_TARGET : Vars.KPI_METRIC;
            throw new MissionInputException(field, "Revise Mission Brief: " + field + " " + v.getMessage() + ".");
        }
        store.reviseBrief(missionId, o.strip(), kpi.metric().strip(), kpi.target());
        MissionStore.Mission m = store.find(missionId).orElseThrow();
        task.setVariable(Vars.OBJECTIVE, m.objective());
        task.setVariable(Vars.KPI_METRIC, m.kpiMetric());
        task.setVariable(Vars.KPI_TARGET, m.kpiTarget().doubleValue());
        task.setVariable(
                Vars.MISSION_BRIEF,
                MissionSummaries.brief(m.title(), m.objective(), m.persona(), m.kpiMetric(), m.kpiTarget(), m.owner()));
    }

    private void adjustToolkits(DelegateExecution task, String missionId) {
        List<MissionRequest.Toolkit> toolkits;
        try {
            toolkits = briefs.parseToolkits(Vars.TOOLKIT_REQUEST, Typed.TOOLKIT_REQUEST.orNull(task));
        } catch (InvalidInputException e) {
            throw new MissionInputException(Vars.TOOLKIT_REQUEST, "Adjust Toolkit Selection: " + e.summary());
        }
        store.reviseToolkits(missionId, json.write(toolkits));
        task.setVariable(Vars.TOOLKITS, json.variable(toolkits));
        task.setVariable(Vars.TOOLKIT_SUMMARY, MissionSummaries.toolkits(toolkits));
    }

    private void recordFeedback(DelegateExecution task, String missionId) {
        Object rating = task.getVariable(Vars.FEEDBACK_RATING);
        if (!(rating instanceof Number r)
                || r.doubleValue() != Math.rint(r.doubleValue())
                || r.intValue() < 1
                || r.intValue() > 5) {
            throw new MissionInputException(
                    Vars.FEEDBACK_RATING, "Mission Feedback: feedbackRating must be a whole number from 1 to 5.");
        }
        Object effort = task.getVariable(Vars.EFFORT_SAVED_HOURS);
        if (!(effort instanceof Number e) || e.doubleValue() < 0 || e.doubleValue() > 100_000) {
            throw new MissionInputException(
                    Vars.EFFORT_SAVED_HOURS,
                    "Mission Feedback: effortSavedHours must be a number of hours, 0 or more.");
        }
        Object satisfaction = task.getVariable(Vars.FEEDBACK_SATISFACTION);
        if (!(satisfaction instanceof String s) || !SATISFACTION.contains(s)) {
            throw new MissionInputException(
                    Vars.FEEDBACK_SATISFACTION,
                    "Mission Feedback: feedbackSatisfaction must be one of "
                            + String.join(", ", SATISFACTION.stream().sorted().toList()) + ".");
        }
        String reused = text(task, Vars.LIBRARY_ASSETS_REUSED, 1000);
        String blockers = text(task, Vars.FEEDBACK_BLOCKERS, 2000);
        Authentication auth = identityService.getCurrentAuthentication();
        MissionStore.Feedback feedback = new MissionStore.Feedback(
                r.intValue(),
                BigDecimal.valueOf(e.doubleValue()),
                s,
                reused,
                blockers,
                auth == null ? "unknown" : auth.getUserId(),
                Instant.now());
        store.saveFeedback(missionId, feedback);
        library.rate(missionId, r.intValue());
        if (blockers != null) {
            // blockers the owner names are Reflect & Improve follow-ups for the operations backlog
            MissionStore.Mission m = store.find(missionId).orElseThrow();
            backlog.fromSource(
                    "REFLECT_FOLLOWUP",
                    missionId,
                    new BacklogRequest(
                            ("Blockers of mission " + m.title()).length() > 200
                                    ? ("Blockers of mission " + m.title()).substring(0, 200)
                                    : "Blockers of mission " + m.title(),
                            blockers,
                            "REFLECT_IMPROVE",
                            "training_content",
                            null,
                            "reflect_improve_retro.md",
                            3,
                            3,
                            "mission-owner"),
                    missionId);
        }
        // Markdown in a form: what the owner typed shows as text (PlainText)
        task.setVariable(
                Vars.FEEDBACK_SUMMARY,
                "Rating " + r.intValue() + "/5, " + MissionSummaries.plain(feedback.effortSavedHours()) + " h saved, "
                        + PlainText.markdown(s.replace('_', ' '))
                        + (reused == null ? "" : ", reused: " + PlainText.markdown(reused))
                        + (blockers == null ? "" : "\n\nBlockers: " + PlainText.markdownBlock(blockers)));
    }

    private static String text(DelegateExecution task, String var, int max) {
        Object v = task.getVariable(var);
        if (v == null || v.toString().isBlank()) {
            return null;
        }
        if (!(v instanceof String s) || s.length() > max) {
            throw new MissionInputException(var, var + " must be text of at most " + max + " characters.");
        }
        return s.strip();
    }
}
