package io.controlplane.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.controlplane.mission.PlayStore;
import io.controlplane.platform.JsonValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.stereotype.Component;

/** Expressions of the Execute & Observe stage: which plays run, in which order, and what an agent is told of each. */
@Component("missionPlays")
public class MissionPlays {
    private final PlayStore plays;
    private final JsonValues json;

    MissionPlays(PlayStore plays, JsonValues json) {
        this.plays = plays;
        this.json = json;
    }

    /** The approved plays (the latest approval round) in rank order: the multi-instance collection. */
    public List<String> executionOrder(String missionId) {
        return plays.latest(missionId).stream().map(PlayStore.Play::playId).toList();
    }

    /** What a rollback undoes: the executed plays that changed something, newest first. */
    public List<String> undoOrder(String missionId) {
        List<PlayStore.Play> executed = plays.latest(missionId).stream()
                .filter(p -> p.mutating() && p.executedAt() != null && p.undoPlanJson() != null)
                .toList();
        List<String> ids =
                new ArrayList<>(executed.stream().map(PlayStore.Play::playId).toList());
        Collections.reverse(ids);
        return ids;
    }

    /** The play an agent executes, as a Json variable {@code play}. */
    public TypedValue describe(String missionId, String playId) {
        PlayStore.Play p = plays.find(missionId, playId)
                .orElseThrow(
                        () -> new IllegalStateException("Mission " + missionId + " has no approved play " + playId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("playId", p.playId());
        out.put("rank", p.rank());
        out.put("name", p.name());
        out.put("description", p.description());
        out.put("impact", p.impact());
        out.put("reversibility", p.reversibility());
        out.put("riskGrade", p.riskGrade());
        out.put("mutating", p.mutating());
        try {
            out.put("undoPlan", p.undoPlanJson() == null ? null : json.read(p.undoPlanJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored undo plan of " + playId + " is not JSON", e);
        }
        out.put("libraryAssetId", p.libraryAssetId());
        return json.variable(out);
    }
}
