package io.controlplane.incident;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.springframework.stereotype.Component;

/**
 * The KPI miss investigations ({@code runbook-kpi-miss}) the monthly retrospective and the weekly audit start, one per
 * missed KPI and period, named {@code kpi-<kpi key>-<period>}. A meeting or audit run again for the same period asks
 * here first, so it does not open a second investigation (and a second incident) for a miss already being handled.
 */
@Component
public class KpiMissInvestigations {

    /** An investigation that has not ended. */
    public static final String OPEN = "open";
    /** An investigation that ran to its end (remediation planned). */
    public static final String DONE = "done";

    private final HistoryService history;

    KpiMissInvestigations(HistoryService history) {
        this.history = history;
    }

    /** The business key of the investigation of {@code kpiKey} for {@code period} (as both rhythm models set it). */
    public static String businessKey(String kpiKey, String period) {
        return "kpi-" + kpiKey + "-" + period;
    }

    /**
     * Of the given business keys, those with an investigation that is open or done, each with {@link #OPEN} or
     * {@link #DONE}. One that was cancelled (deleted in Cockpit) does not count: the miss is investigated again.
     * Read from the engine's history, which holds running and finished instances alike.
     */
    public Map<String, String> existing(List<String> businessKeys) {
        Map<String, String> out = new LinkedHashMap<>();
        if (businessKeys.isEmpty()) {
            return out;
        }
        for (HistoricProcessInstance pi : history.createHistoricProcessInstanceQuery()
                .processDefinitionKey(Runbooks.KPI_MISS)
                .processInstanceBusinessKeyIn(businessKeys.toArray(String[]::new))
                .list()) {
            String state = pi.getEndTime() == null
                    ? OPEN
                    : HistoricProcessInstance.STATE_COMPLETED.equals(pi.getState()) ? DONE : null;
            if (state != null && !OPEN.equals(out.get(pi.getBusinessKey()))) {
                out.put(pi.getBusinessKey(), state);
            }
        }
        return out;
    }
}
