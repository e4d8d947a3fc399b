package io.controlplane.library;

import static io.controlplane.mission.MissionJourney.Vars;

import java.util.Arrays;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/** The knowledge curator's sign-off promotes the plays it names ({@code libraryPlays}) to library assets. */
@Component("libraryCuration")
class LibraryCuration implements ExecutionListener {
    private final Library library;
    private final IdentityService identity;

    LibraryCuration(Library library, IdentityService identity) {
        this.library = library;
        this.identity = identity;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        Object plays = execution.getVariable(Vars.LIBRARY_PLAYS);
        if (plays == null || plays.toString().isBlank()) {
            return;
        }
        List<String> playIds = Arrays.stream(plays.toString().split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        Object category = execution.getVariable(Vars.LIBRARY_CATEGORY);
        if (!(category instanceof String c) || !Library.CATEGORIES.contains(c)) {
            throw new FormFieldValidationException(
                    Vars.LIBRARY_CATEGORY,
                    "Retrospective Sign-Off: libraryCategory must be one of " + String.join(", ", Library.CATEGORIES)
                            + " when plays are promoted.");
        }
        Object tags = execution.getVariable(Vars.LIBRARY_TAGS);
        List<String> tagList = tags == null
                ? List.of()
                : Arrays.stream(tags.toString().split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
        var auth = identity.getCurrentAuthentication();
        try {
            library.promote(
                    execution.getProcessBusinessKey(),
                    playIds,
                    c,
                    tagList,
                    auth == null ? "unknown" : auth.getUserId());
        } catch (IllegalArgumentException e) {
            throw new FormFieldValidationException(
                    Vars.LIBRARY_PLAYS, "Retrospective Sign-Off: " + e.getMessage() + ".");
        }
    }
}
