package io.controlplane.mission;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.handler.DbHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.springframework.stereotype.Component;

/**
 * The engine's history of the mission journey, chosen deliberately (docs/performance.md, "History of the journey"):
 * history level {@code full} everywhere (job log, incidents, decisions, the user operation log of who completed which
 * checkpoint, task and activity history, the last value of every variable), except the per-change variable log
 * ({@code ACT_HI_DETAIL}, one row and, for JSON, one byte array for every write of every variable) of the mission
 * journey ({@link MissionJourney#PROCESS_KEY}).
 * <p>
 * Why that one: about 94 of a mission's ~1,150 statements were those rows, and nothing reads them. The KPIs, the stage
 * rollup, the evidence and the governance check read task, activity, process and variable-instance history and the
 * control plane's own tables; every checkpoint decision, with its round, person and comment, is in
 * {@code mission_approvals} (ApprovalStore) and the user operation log; the final value of every variable stays in
 * {@code ACT_HI_VARINST}. Other processes (runbooks, rhythm meetings, notification deliveries) keep their details.
 * The stored history level stays {@code full}, so existing databases start unchanged.
 */
@Component
public class JourneyHistory extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        // replaces the engine's default database handler by the same handler without the journey's variable details;
        // handlers other plugins registered stay, after it
        List<HistoryEventHandler> handlers = new ArrayList<>();
        handlers.add(new WithoutJourneyDetails());
        if (configuration.getCustomHistoryEventHandlers() != null) {
            handlers.addAll(configuration.getCustomHistoryEventHandlers());
        }
        configuration.setCustomHistoryEventHandlers(handlers);
        configuration.setEnableDefaultDbHistoryEventHandler(false);
    }

    /** Camunda's database history handler, writing no variable-update details of the mission journey. */
    static final class WithoutJourneyDetails extends DbHistoryEventHandler {
        @Override
        protected boolean shouldWriteHistoricDetail(HistoricVariableUpdateEventEntity event) {
            return !MissionJourney.PROCESS_KEY.equals(event.getProcessDefinitionKey())
                    && super.shouldWriteHistoricDetail(event);
        }
    }
}
