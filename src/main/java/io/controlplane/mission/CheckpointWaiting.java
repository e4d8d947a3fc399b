package io.controlplane.mission;

/**
 * A person's step began to wait: a user task of the journey or a runbook was created. Published by the journey's
 * BPMN glue inside the engine transaction that creates the task, for the features that page people about it (Slack's
 * decision posts, notify.SlackCheckpointOffers); they decide which tasks concern them.
 *
 * @param taskId    the user task
 * @param taskKey   its task definition key
 * @param missionId the process's business key (the mission, for the journey and its runbooks), or {@code null}
 * @param incidentId the incident a runbook's task belongs to, or {@code null}
 * @param detail    what the task is about beyond its name (a runbook's incident summary), or {@code null}
 */
public record CheckpointWaiting(String taskId, String taskKey, String missionId, String incidentId, String detail) {}
