package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Typed;

import io.controlplane.library.SignOffPromotions;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/** End of the knowledge curator's sign-off: the plays it names, their category and tags to the library. */
@Component("libraryCuration")
class LibraryCuration implements ExecutionListener {
    private final SignOffPromotions promotions;

    LibraryCuration(SignOffPromotions promotions) {
        this.promotions = promotions;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        promotions.promote(
                execution.getProcessBusinessKey(),
                Typed.LIBRARY_PLAYS.orNull(execution),
                Typed.LIBRARY_CATEGORY.orNull(execution),
                Typed.LIBRARY_TAGS.orNull(execution));
    }
}
