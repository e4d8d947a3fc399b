package io.controlplane.governance;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.controlplane.mission.Stage;
import java.time.Instant;
import java.util.List;

/**
 * What {@link GovernanceCheck} found: the period it covers, one result per mission checked and a summary. A check of
 * the active missions covers them and the missions that ended in [{@code from}, {@code to}); {@code from} and
 * {@code to} are null when the check was not bounded by a window (one mission, or the whole history).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record GovernanceReport(Instant from, Instant to, Summary summary, List<MissionResult> missions) {

    /** {@code missions} checked, how many {@code passed} and {@code failed}. */
    public record Summary(Instant checkedAt, int missions, int passed, int failed) {}

    /** A broken (failure) or not-yet-satisfied (warning) governance rule, and what exactly is wrong. */
    public record Finding(String rule, String detail) {}

    /** A mission passes when it has no failures; warnings (e.g. a pending escalation decision) do not fail it. */
    public record MissionResult(
            String missionId,
            String title,
            Stage stage,
            boolean passed,
            List<Finding> failures,
            List<Finding> warnings) {}

    public boolean passed() {
        return summary.failed() == 0;
    }

    public MissionResult mission(String missionId) {
        return missions.stream()
                .filter(m -> m.missionId().equals(missionId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Mission " + missionId + " was not checked"));
    }
}
