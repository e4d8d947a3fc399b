package io.controlplane.incident;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/** Records a held post-incident review on its incident (after {@code checkpointDecisions} validated it). */
@Component("incidentReviews")
class IncidentReviews implements ExecutionListener {
    private final IncidentService incidents;
    private final IdentityService identity;

    IncidentReviews(IncidentService incidents, IdentityService identity) {
        this.incidents = incidents;
        this.identity = identity;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        Authentication auth = identity.getCurrentAuthentication();
        String summary = (String) execution.getVariable(Runbooks.Vars.REVIEW_SUMMARY);
        String followUps = (String) execution.getVariable(Runbooks.Vars.REVIEW_FOLLOW_UPS);
        incidents.recordReview((String) execution.getVariable(Runbooks.Vars.INCIDENT_ID), auth == null ? null : auth.getUserId(),
                followUps == null || followUps.isBlank() ? summary : summary + "\n\nFollow-ups: " + followUps);
    }
}
