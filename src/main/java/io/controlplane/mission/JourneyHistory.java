package io.controlplane.mission;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    /**
     * The journey's variables with no {@code ACT_HI_VARINST} row: copies made for display or by the engine's
     * bookkeeping, whose sources keep their history. The form summaries are text rendered from the brief, the
     * safeguards, the toolkits, the plays, the steps and the feedback (all in the control plane's tables and in their
     * own variables' history) for Tasklist, which reads the running value; {@code play} is the execute task's copy of
     * one element of {@code rankedPlays}; the multi-instance counters are the engine's. Each saves its history insert,
     * the select and update of each later write, and for {@code play} the history copy of its JSON byte array
     * (docs/performance.md). Nothing reads them from history: not the KPIs, the rollup, the evidence or the governance
     * check.
     */
    static final Set<String> DERIVED = Set.of(
            MissionJourney.Vars.MISSION_BRIEF,
            MissionJourney.Vars.SAFEGUARD_SUMMARY,
            MissionJourney.Vars.TOOLKIT_SUMMARY,
            MissionJourney.Vars.PLAN_SUMMARY,
            MissionJourney.Vars.EXECUTION_SUMMARY,
            MissionJourney.Vars.FEEDBACK_SUMMARY,
            MissionJourney.Vars.PLAY,
            "loopCounter",
            "nrOfInstances",
            "nrOfActiveInstances",
            "nrOfCompletedInstances");

    /** journey/FormText's suffix of the task-local display copies it sets ({@code missionTitle} → {@code missionTitleText}) */
    static final String DISPLAY_COPY_SUFFIX = "Text";

    /**
     * Camunda's database history handler, writing no variable-update details of the mission journey and no variable
     * history of its {@link #DERIVED} variables and of the task-local display copies FormText makes.
     */
    static final class WithoutJourneyDetails extends DbHistoryEventHandler {
        @Override
        protected boolean shouldWriteHistoricDetail(HistoricVariableUpdateEventEntity event) {
            return !MissionJourney.PROCESS_KEY.equals(event.getProcessDefinitionKey())
                    && super.shouldWriteHistoricDetail(event);
        }

        @Override
        protected void insertHistoricVariableUpdateEntity(HistoricVariableUpdateEventEntity event) {
            if (MissionJourney.PROCESS_KEY.equals(event.getProcessDefinitionKey()) && derived(event)) {
                return;
            }
            super.insertHistoricVariableUpdateEntity(event);
        }

        private static boolean derived(HistoricVariableUpdateEventEntity event) {
            String name = event.getVariableName();
            return DERIVED.contains(name) || event.getTaskId() != null && name.endsWith(DISPLAY_COPY_SUFFIX);
        }
    }
}
