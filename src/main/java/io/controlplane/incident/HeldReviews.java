package io.controlplane.incident;

import io.controlplane.backlog.BacklogRequest;
import io.controlplane.backlog.BacklogService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * Records a held post-incident review on its incident (after {@code checkpointDecisions} validated it;
 * {@code journey.IncidentReviews} reads the form's fields).
 */
@Component
public class HeldReviews {
    private final IncidentService incidents;
    private final IdentityService identity;
    private final BacklogService backlog;

    HeldReviews(IncidentService incidents, IdentityService identity, BacklogService backlog) {
        this.incidents = incidents;
        this.identity = identity;
        this.backlog = backlog;
    }

    public void record(String incidentId, String summary, String followUps) {
        Authentication auth = identity.getCurrentAuthentication();
        incidents.recordReview(
                incidentId,
                auth == null ? null : auth.getUserId(),
                followUps == null || followUps.isBlank() ? summary : summary + "\n\nFollow-ups: " + followUps);
        if (followUps != null && !followUps.isBlank()) {
            // the review's follow-ups go to the operations backlog, once per incident
            IncidentService.Incident incident = incidents.get(incidentId);
            backlog.fromSource(
                    "POST_INCIDENT_REVIEW",
                    incidentId,
                    new BacklogRequest(
                            abbreviate(
                                    "Follow-ups of " + incidentId + " ("
                                            + incident.kind().replace('_', ' ') + ")",
                                    200),
                            abbreviate(followUps.strip(), 4000),
                            "EXECUTE_OBSERVE",
                            "incident_tooling",
                            null,
                            "execute_observe_runlog.md",
                            3,
                            2,
                            "operations-command"),
                    incident.missionId());
        }
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
