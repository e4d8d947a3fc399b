package io.controlplane.notify;

import java.util.List;

/**
 * One message about a mission or an incident, channel-neutral: each channel renders what it needs
 * (Slack blocks, a PagerDuty event, an e-mail).
 *
 * @param kind         what happened, e.g. {@code safeguard_violation}, {@code undo_failure}, {@code review_overdue}
 * @param incidentId   the incident it belongs to (PagerDuty's dedup key), or {@code null}
 * @param missionId    the mission, or {@code null} (e.g. a KPI miss)
 * @param missionTitle for people to recognise the mission
 * @param stage        stage code, e.g. {@code EXECUTE_OBSERVE}
 * @param severity     low, medium, high or critical
 * @param summary      one or two sentences
 * @param safeguard    the safeguard involved, or {@code null}
 * @param mentions     Slack handles to mention (whoever is on call), may be empty
 * @param emailTo      e-mail recipients, may be empty
 * @param offer        a checkpoint waiting for a decision that Slack offers as buttons, or {@code null}
 */
public record Notification(
        String kind,
        String incidentId,
        String missionId,
        String missionTitle,
        String stage,
        String severity,
        String summary,
        String safeguard,
        List<String> mentions,
        List<String> emailTo,
        DecisionOffer offer) {

    public Notification(
            String kind,
            String incidentId,
            String missionId,
            String missionTitle,
            String stage,
            String severity,
            String summary,
            String safeguard,
            List<String> mentions,
            List<String> emailTo) {
        this(kind, incidentId, missionId, missionTitle, stage, severity, summary, safeguard, mentions, emailTo, null);
    }

    /**
     * A waiting checkpoint's decisions, for Slack's buttons. The buttons carry the task id and the decision only;
     * everything else is read again from the engine when someone presses (notify.SlackDecisions).
     *
     * @param taskId     the user task
     * @param checkpoint its task definition key
     * @param decisions  the values it accepts, in the form's order
     */
    public record DecisionOffer(String taskId, String checkpoint, List<String> decisions) {}
}
