package io.controlplane.rhythm;

import io.controlplane.incident.KpiMissInvestigations;
import io.controlplane.mission.Stage;
import io.controlplane.rhythm.Figures.Investigation;
import io.controlplane.rhythm.RhythmDigests.MissedKpi;
import io.controlplane.telemetry.KpiService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The KPIs a month missed and the investigation of each: a retrospective run again for the same month starts no
 * second investigation of a miss already open or done.
 */
@Component
class KpiMisses {
    /** the stage each KPI is aligned with (operations guide, "Business KPIs &amp; Review Cadence") */
    static final Map<String, Stage> KPI_STAGES = Map.of(
            "mission-throughput",
            Stage.REFLECT_IMPROVE,
            "approval-latency",
            Stage.PLAN_APPROVE,
            "validator-escalation-rate",
            Stage.EXECUTE_OBSERVE,
            "undo-execution-success",
            Stage.EXECUTE_OBSERVE,
            "feedback-participation",
            Stage.REFLECT_IMPROVE,
            "library-reuse",
            Stage.REFLECT_IMPROVE);

    /** The misses, in KPI order, and the investigation of each (same index). */
    record Misses(List<MissedKpi> missed, List<Investigation> investigations) {
        List<String> keys() {
            return missed.stream().map(MissedKpi::key).toList();
        }

        /** Only the misses without an investigation for the period yet. */
        List<MissedKpi> toInvestigate() {
            List<MissedKpi> out = new ArrayList<>();
            for (int i = 0; i < missed.size(); i++) {
                if (investigations.get(i).started()) {
                    out.add(missed.get(i));
                }
            }
            return out;
        }

        /** The retrospective's stage tags: Reflect &amp; Improve and the stage of each missed KPI. */
        Set<Stage> stages() {
            Set<Stage> tags = EnumSet.of(Stage.REFLECT_IMPROVE);
            missed.forEach(m -> tags.add(KPI_STAGES.getOrDefault(m.key(), Stage.REFLECT_IMPROVE)));
            return tags;
        }
    }

    private final KpiMissInvestigations investigations;

    KpiMisses(KpiMissInvestigations investigations) {
        this.investigations = investigations;
    }

    Misses of(KpiService.Report month, String period) {
        List<MissedKpi> missed = month.kpis().stream()
                .filter(k -> Boolean.FALSE.equals(k.met()))
                .map(MissedKpi::of)
                .toList();
        List<String> keys = missed.stream()
                .map(m -> KpiMissInvestigations.businessKey(m.key(), period))
                .toList();
        Map<String, String> existing = investigations.existing(keys);
        List<Investigation> out = new ArrayList<>();
        for (int i = 0; i < missed.size(); i++) {
            String state = existing.get(keys.get(i));
            out.add(new Investigation(
                    missed.get(i).key(), keys.get(i), state == null ? Investigation.STARTED : "already " + state));
        }
        return new Misses(missed, out);
    }
}
