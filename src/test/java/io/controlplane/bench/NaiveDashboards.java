package io.controlplane.bench;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Vars;

import io.controlplane.mission.MissionJourney;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;

/**
 * The KPIs and the windowed stage rollup the best way a Camunda 7 developer would compute them with
 * {@code HistoryService} alone: set-based queries (a window's process, task and activity instances, then the batched
 * {@code processInstanceIds(...)}, {@code processInstanceBusinessKeyIn(...)}, {@code processInstanceIdIn(...)},
 * {@code taskDefinitionKeyIn(...)}, {@code variableName(...)} and {@code executedActivityIdIn(...)} look-ups, in
 * chunks of {@value #CHUNK} ids), no query per row, aggregation and percentiles in Java. Same definitions as
 * {@code KpiService} and {@code GET /api/stages/rollup} (docs/domain.md), so every figure must agree.
 *
 * <p>The engine's {@code finishedAfter}/{@code startedBefore} bounds are inclusive; the queries ask for one
 * millisecond more on each side and the window [from, to) is applied exactly in Java.
 */
final class NaiveDashboards {
    static final int CHUNK = 1000;
    static final List<String> STAGES = List.of(
            Elements.SUB_DEFINE,
            Elements.SUB_PREPARE,
            Elements.SUB_PLAN_APPROVE,
            Elements.SUB_EXECUTE_OBSERVE,
            Elements.SUB_REFLECT_IMPROVE);
    /** {@code stageCode} of {@code GET /api/stages/rollup} → the journey's stage sub-process. */
    static final Map<String, String> STAGE_CODES = Map.of(
            "DEFINE",
            Elements.SUB_DEFINE,
            "PREPARE",
            Elements.SUB_PREPARE,
            "PLAN_APPROVE",
            Elements.SUB_PLAN_APPROVE,
            "EXECUTE_OBSERVE",
            Elements.SUB_EXECUTE_OBSERVE,
            "REFLECT_IMPROVE",
            Elements.SUB_REFLECT_IMPROVE);
    /** The history variables this side reads: the generator copies only these rows of ACT_HI_VARINST. */
    static final List<String> VARIABLES_READ = List.of(Vars.FEEDBACK_RATING, Vars.LIBRARY_ASSETS_REUSED);

    /** One KPI: value, numerator, denominator (null where the service has none). */
    record Figure(Double value, Long numerator, Long denominator) {}

    /** One stage's rollup, the fields of the service's {@code StageRollup}. */
    record StageFigures(
            long missionsEntered,
            long inStageNow,
            Double dwellMean,
            Double dwellP50,
            Double dwellP95,
            long leftForward,
            long leftTotal,
            Double successRate) {}

    private final HistoryService history;
    private final String definitionId;

    NaiveDashboards(HistoryService history, String definitionId) {
        this.history = history;
        this.definitionId = definitionId;
    }

    /** KPI key → figure, for [from, to); {@code approvalTargetSeconds} decides the latency KPI's numerator. */
    Map<String, Figure> kpis(Instant from, Instant to, double approvalTargetSeconds) {
        Date f = Date.from(from.minusMillis(1));
        Date t = Date.from(to.plusMillis(1));
        Map<String, Figure> out = new LinkedHashMap<>();
        // throughput and feedback: journeys completed in the window, then their feedback variables in batches
        List<HistoricProcessInstance> completed = history
                .createHistoricProcessInstanceQuery()
                .processDefinitionKey(MissionJourney.PROCESS_KEY)
                .finishedAfter(f)
                .finishedBefore(t)
                .list()
                .stream()
                .filter(p -> Elements.END.equals(p.getEndActivityId()) && in(p.getEndTime(), from, to))
                .toList();
        Set<String> withFeedback = new HashSet<>();
        for (List<String> ids :
                chunks(completed.stream().map(HistoricProcessInstance::getId).toList())) {
            history.createHistoricVariableInstanceQuery()
                    .processInstanceIdIn(ids.toArray(String[]::new))
                    .variableName(Vars.FEEDBACK_RATING)
                    .list()
                    .forEach(v -> withFeedback.add(v.getProcessInstanceId()));
        }
        out.put("mission-throughput", new Figure((double) completed.size(), (long) completed.size(), null));
        out.put(
                "feedback-participation",
                new Figure(pct(withFeedback.size(), completed.size()), (long) withFeedback.size(), (long)
                        completed.size()));

        // approval latency: journeys with a packet review that ended in the window, then all their review tasks at once
        Set<String> reviewed = history
                .createHistoricTaskInstanceQuery()
                .processDefinitionKey(MissionJourney.PROCESS_KEY)
                .taskDefinitionKeyIn(Elements.PACKET_REVIEW_GOVERNANCE, Elements.PACKET_REVIEW_OPERATIONS)
                .finishedAfter(f)
                .finishedBefore(t)
                .list()
                .stream()
                .filter(k -> in(k.getEndTime(), from, to))
                .map(HistoricTaskInstance::getProcessInstanceId)
                .collect(Collectors.toSet());
        List<String> keys = new ArrayList<>();
        for (List<String> ids : chunks(reviewed)) {
            history.createHistoricProcessInstanceQuery()
                    .processInstanceIds(new HashSet<>(ids))
                    .list()
                    .forEach(p -> keys.add(p.getBusinessKey()));
        }
        List<HistoricTaskInstance> reviews = new ArrayList<>();
        for (List<String> ks : chunks(keys)) {
            reviews.addAll(history.createHistoricTaskInstanceQuery()
                    .processDefinitionKey(MissionJourney.PROCESS_KEY)
                    .processInstanceBusinessKeyIn(ks.toArray(String[]::new))
                    .taskDefinitionKeyIn(Elements.PACKET_REVIEW_GOVERNANCE, Elements.PACKET_REVIEW_OPERATIONS)
                    .list());
        }
        List<Double> latencies = new ArrayList<>();
        Map<String, List<HistoricTaskInstance>> byJourney = reviews.stream()
                .filter(k -> reviewed.contains(k.getProcessInstanceId()))
                .collect(Collectors.groupingBy(HistoricTaskInstance::getProcessInstanceId));
        for (List<HistoricTaskInstance> tasks : byJourney.values()) {
            Map<String, List<HistoricTaskInstance>> byKey = tasks.stream()
                    .sorted(Comparator.comparing(HistoricTaskInstance::getStartTime))
                    .collect(Collectors.groupingBy(HistoricTaskInstance::getTaskDefinitionKey));
            List<HistoricTaskInstance> gov = byKey.getOrDefault(Elements.PACKET_REVIEW_GOVERNANCE, List.of());
            List<HistoricTaskInstance> ops = byKey.getOrDefault(Elements.PACKET_REVIEW_OPERATIONS, List.of());
            for (int round = 0; round < Math.min(gov.size(), ops.size()); round++) {
                HistoricTaskInstance g = gov.get(round);
                HistoricTaskInstance o = ops.get(round);
                if (g.getEndTime() == null
                        || o.getEndTime() == null
                        || !"completed".equals(g.getDeleteReason())
                        || !"completed".equals(o.getDeleteReason())) {
                    continue;
                }
                Date opened = g.getStartTime().before(o.getStartTime()) ? g.getStartTime() : o.getStartTime();
                Date signed = g.getEndTime().after(o.getEndTime()) ? g.getEndTime() : o.getEndTime();
                if (in(signed, from, to)) {
                    latencies.add((signed.getTime() - opened.getTime()) / 1000.0);
                }
            }
        }
        Collections.sort(latencies);
        long withinTarget =
                latencies.stream().filter(s -> s <= approvalTargetSeconds).count();
        out.put(
                "approval-latency",
                new Figure(latencies.isEmpty() ? null : interpolated(latencies, 0.95) / 3600, withinTarget, (long)
                        latencies.size()));

        // escalation rate: journeys that entered Execute & Observe, then which of them called the violation runbook
        Set<String> reached = started(Elements.SUB_EXECUTE_OBSERVE, from, to);
        long escalated = 0;
        for (List<String> ids : chunks(reached)) {
            escalated += history.createHistoricProcessInstanceQuery()
                    .processInstanceIds(new HashSet<>(ids))
                    .executedActivityIdIn(Elements.SAFEGUARD_VIOLATION_RUNBOOK)
                    .count();
        }
        out.put("validator-escalation-rate", new Figure(pct(escalated, reached.size()), escalated, (long)
                reached.size()));

        // undo success: undo executions that ended in the window, and the failed ones (the error boundary fired)
        long attempted = ended(Elements.UNDO_PLAY, from, to).size();
        long failed = ended("boundary_undoFailed", from, to).size();
        out.put(
                "undo-execution-success",
                new Figure(pct(attempted - failed, attempted), attempted - failed, attempted));

        // library reuse: journeys that entered Plan & Approve, then their reuse variables in batches. The reused
        // asset id of a ranked play is inside the serialized rankedPlays JSON, which the engine fetches one byte array
        // per variable: the reuse the feedback form records (a string variable) is what HistoryService offers as a set
        Set<String> planned = started(Elements.SUB_PLAN_APPROVE, from, to);
        Set<String> reused = new HashSet<>();
        for (List<String> ids : chunks(planned)) {
            for (HistoricVariableInstance v : history.createHistoricVariableInstanceQuery()
                    .processInstanceIdIn(ids.toArray(String[]::new))
                    .variableName(Vars.LIBRARY_ASSETS_REUSED)
                    .list()) {
                if (v.getValue() != null && !v.getValue().toString().isBlank()) {
                    reused.add(v.getProcessInstanceId());
                }
            }
        }
        out.put("library-reuse", new Figure(pct(reused.size(), planned.size()), (long) reused.size(), (long)
                planned.size()));
        return out;
    }

    /**
     * Per stage sub-process, in journey order: over [from, to) as the contract of {@code GET /api/stages/rollup}
     * defines it, or over all history when {@code from} is null (the rollup before issue #13, which had no window).
     */
    Map<String, StageFigures> rollup(Instant from, Instant to) {
        Map<String, StageFigures> out = new LinkedHashMap<>();
        for (String sub : STAGES) {
            Set<String> entered;
            List<HistoricActivityInstance> left;
            if (from == null) {
                List<HistoricActivityInstance> all = history.createHistoricActivityInstanceQuery()
                        .processDefinitionId(definitionId)
                        .activityId(sub)
                        .list();
                entered = all.stream()
                        .map(HistoricActivityInstance::getProcessInstanceId)
                        .collect(Collectors.toSet());
                left = all.stream().filter(a -> a.getEndTime() != null).toList();
            } else {
                entered = started(sub, from, to);
                left = ended(sub, from, to);
            }
            long inStage = history.createHistoricActivityInstanceQuery()
                    .processDefinitionId(definitionId)
                    .activityId(sub)
                    .unfinished()
                    .count();
            List<Double> dwell = left.stream()
                    .map(a -> (a.getEndTime().getTime() - a.getStartTime().getTime()) / 1000.0)
                    .sorted()
                    .toList();
            long forward = left.stream().filter(a -> !a.isCanceled()).count();
            out.put(
                    sub,
                    new StageFigures(
                            entered.size(),
                            inStage,
                            dwell.isEmpty()
                                    ? null
                                    : dwell.stream()
                                            .mapToDouble(Double::doubleValue)
                                            .average()
                                            .orElseThrow(),
                            dwell.isEmpty() ? null : interpolated(dwell, 0.5),
                            dwell.isEmpty() ? null : interpolated(dwell, 0.95),
                            forward,
                            dwell.size(),
                            dwell.isEmpty() ? null : (double) forward / dwell.size()));
        }
        return out;
    }

    /** Process instances with an instance of {@code activityId} that started in [from, to). */
    private Set<String> started(String activityId, Instant from, Instant to) {
        return history
                .createHistoricActivityInstanceQuery()
                .processDefinitionId(definitionId)
                .activityId(activityId)
                .startedAfter(Date.from(from.minusMillis(1)))
                .startedBefore(Date.from(to.plusMillis(1)))
                .list()
                .stream()
                .filter(a -> in(a.getStartTime(), from, to))
                .map(HistoricActivityInstance::getProcessInstanceId)
                .collect(Collectors.toSet());
    }

    /** Instances of {@code activityId} that ended in [from, to). */
    private List<HistoricActivityInstance> ended(String activityId, Instant from, Instant to) {
        return history
                .createHistoricActivityInstanceQuery()
                .processDefinitionId(definitionId)
                .activityId(activityId)
                .finishedAfter(Date.from(from.minusMillis(1)))
                .finishedBefore(Date.from(to.plusMillis(1)))
                .list()
                .stream()
                .filter(a -> in(a.getEndTime(), from, to))
                .toList();
    }

    private static boolean in(Date d, Instant from, Instant to) {
        return d != null && !d.toInstant().isBefore(from) && d.toInstant().isBefore(to);
    }

    static <T> List<List<T>> chunks(Collection<T> all) {
        List<T> list = new ArrayList<>(all);
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += CHUNK) {
            out.add(list.subList(i, Math.min(list.size(), i + CHUNK)));
        }
        return out;
    }

    private static Double pct(long numerator, long denominator) {
        return denominator == 0 ? null : 100.0 * numerator / denominator;
    }

    /** PERCENTILE_CONT: linear interpolation between the closest ranks. */
    static double interpolated(List<Double> sorted, double p) {
        double rank = p * (sorted.size() - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (rank - lo);
    }
}
