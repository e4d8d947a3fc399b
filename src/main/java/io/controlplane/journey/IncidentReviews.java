package io.controlplane.journey;

import static io.controlplane.incident.Runbooks.Typed;

import io.controlplane.incident.HeldReviews;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/** End of the post-incident review task: the review's summary and follow-ups to {@link HeldReviews}. */
@Component("incidentReviews")
class IncidentReviews implements ExecutionListener {
    private final HeldReviews reviews;

    IncidentReviews(HeldReviews reviews) {
        this.reviews = reviews;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        reviews.record(
                Typed.INCIDENT_ID.orNull(execution),
                Typed.REVIEW_SUMMARY.orNull(execution),
                Typed.REVIEW_FOLLOW_UPS.orNull(execution));
    }
}
