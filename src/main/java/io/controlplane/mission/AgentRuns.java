package io.controlplane.mission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.NotFoundException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The agent ledger as people read it: {@code GET /api/missions/{id}/agent-runs} (a page of runs with the mission's
 * totals, per agent and against its budget), the Execute &amp; Observe evidence and the Cockpit board. Every figure is
 * summed from {@link AgentRunStore}'s rows.
 */
@Service
public class AgentRuns {

    /** One run as the API shows it; {@code toolCalls} as the JSON array that was stored. */
    public record Run(
            long id,
            String playId,
            String activityId,
            String topic,
            String agent,
            String model,
            long tokensIn,
            long tokensOut,
            JsonNode toolCalls,
            BigDecimal costCents,
            Long durationMs,
            Instant reportedAt) {}

    /**
     * The mission's budget_cap (null without one) and what its agents cost on {@code day} (UTC, today): the figures
     * the safeguard compares.
     */
    public record Budget(Long centsPerDay, LocalDate day, BigDecimal spentCents, Boolean exceeded) {}

    /** The list envelope every /api list answers ({@code items, page, size, total}), with the ledger's sums. */
    public record Page(
            List<Run> items,
            int page,
            int size,
            long total,
            AgentRunStore.Totals totals,
            List<AgentRunStore.AgentTotals> agents,
            Budget budget) {}

    /** One mission's sums on one UTC day, against its daily cap (null without a budget_cap). */
    public record Day(
            LocalDate day,
            String missionId,
            String title,
            long runs,
            long tokensIn,
            long tokensOut,
            BigDecimal costCents,
            Long centsPerDay,
            boolean overBudget) {}

    /** One mission's sums over the board's days, with its daily cap. */
    public record MissionTotals(
            String missionId,
            String title,
            long runs,
            long tokensIn,
            long tokensOut,
            BigDecimal costCents,
            Long centsPerDay) {}

    /** The Cockpit board: cost and tokens per mission and per day, from {@code from} to {@code to} (UTC days). */
    public record Board(LocalDate from, LocalDate to, List<MissionTotals> missions, List<Day> days) {}

    private final AgentRunStore store;
    private final MissionStore missions;
    private final JsonValues json;

    AgentRuns(AgentRunStore store, MissionStore missions, JsonValues json) {
        this.store = store;
        this.missions = missions;
        this.json = json;
    }

    public Page page(String missionId, int page, int size) {
        MissionStore.Mission m =
                missions.find(missionId).orElseThrow(() -> new NotFoundException("No mission with id " + missionId));
        AgentRunStore.Totals totals = store.totals(missionId);
        List<Run> items = store.list(missionId, page, size).stream()
                .map(r -> new Run(
                        r.id(),
                        r.playId(),
                        r.activityId(),
                        r.topic(),
                        r.agent(),
                        r.model(),
                        r.tokensIn(),
                        r.tokensOut(),
                        tree(r.toolCallsJson()),
                        r.costCents(),
                        r.durationMs(),
                        r.reportedAt()))
                .toList();
        return new Page(
                items, page, size, totals.runs(), totals, store.perAgent(missionId, null), budget(m, Instant.now()));
    }

    public Board board(LocalDate from, LocalDate to) {
        List<AgentRunStore.MissionDay> rows = store.perMissionAndDay(from, to);
        Map<String, MissionStore.Mission> byId = new HashMap<>();
        Map<String, MissionTotals> sums = new LinkedHashMap<>();
        List<Day> days = new ArrayList<>();
        for (AgentRunStore.MissionDay r : rows) {
            MissionStore.Mission m =
                    byId.computeIfAbsent(r.missionId(), id -> missions.find(id).orElseThrow());
            Long cap = centsPerDay(m.safeguardsJson());
            days.add(new Day(
                    r.day(),
                    m.id(),
                    m.title(),
                    r.runs(),
                    r.tokensIn(),
                    r.tokensOut(),
                    r.costCents(),
                    cap,
                    cap != null && r.costCents().compareTo(BigDecimal.valueOf(cap)) > 0));
            sums.merge(
                    m.id(),
                    new MissionTotals(m.id(), m.title(), r.runs(), r.tokensIn(), r.tokensOut(), r.costCents(), cap),
                    (a, b) -> new MissionTotals(
                            a.missionId(),
                            a.title(),
                            a.runs() + b.runs(),
                            a.tokensIn() + b.tokensIn(),
                            a.tokensOut() + b.tokensOut(),
                            a.costCents().add(b.costCents()),
                            a.centsPerDay()));
        }
        List<MissionTotals> missionTotals = sums.values().stream()
                .sorted(Comparator.comparing(MissionTotals::costCents).reversed())
                .toList();
        return new Board(from, to, missionTotals, days);
    }

    /** The mission's budget on the UTC day of {@code at}. */
    public Budget budget(MissionStore.Mission m, Instant at) {
        LocalDate day = AgentRunStore.day(at);
        Long cap = centsPerDay(m.safeguardsJson());
        BigDecimal spent = store.totalsOn(m.id(), day).costCents();
        return new Budget(cap, day, spent, cap == null ? null : spent.compareTo(BigDecimal.valueOf(cap)) > 0);
    }

    /** {@code centsPerDay} of the mission's budget_cap safeguard (stored with the template's defaults), or null. */
    public Long centsPerDay(String safeguardsJson) {
        for (JsonNode s : tree(safeguardsJson)) {
            if ("budget_cap".equals(s.path("type").asText())
                    && s.path("parameters").path("centsPerDay").canConvertToLong()) {
                return s.path("parameters").path("centsPerDay").asLong();
            }
        }
        return null;
    }

    private JsonNode tree(String text) {
        try {
            JsonNode node = json.read(text);
            return node == null ? json.mapper().createArrayNode() : node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }
}
