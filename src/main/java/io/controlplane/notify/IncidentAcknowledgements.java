package io.controlplane.notify;

/** Where a Slack "Acknowledge" button press goes: implemented by the incident feature. */
public interface IncidentAcknowledgements {

    /**
     * Acknowledges an open incident: escalation stops, PagerDuty is told, the acknowledgement is recorded.
     *
     * @param incidentId the incident id from the button's value
     * @param by         who acknowledged: a person (Camunda user id), for Slack the one the Slack user is mapped to
     * @param via        the channel, e.g. {@code slack}
     * @return false when no open incident has that id
     */
    boolean acknowledge(String incidentId, String by, String via);
}
