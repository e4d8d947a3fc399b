package io.controlplane.library;

import static io.controlplane.mission.MissionJourney.Vars;

import java.util.Arrays;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/**
 * The knowledge curator's sign-off promotes the plays it names ({@code libraryPlays}) to library assets
 * ({@code journey.LibraryCuration} reads the form's fields).
 */
@Component
public class SignOffPromotions {
    private final Library library;
    private final IdentityService identity;

    SignOffPromotions(Library library, IdentityService identity) {
        this.library = library;
        this.identity = identity;
    }

    /**
     * @param plays the comma-separated play ids, null or blank for none
     * @param category as the form sent it: one of {@link Library#CATEGORIES} when plays are promoted
     * @param tags comma-separated, may be null
     */
    public void promote(String missionId, String plays, Object category, String tags) {
        if (plays == null || plays.isBlank()) {
            return;
        }
        if (!(category instanceof String c) || !Library.CATEGORIES.contains(c)) {
            throw new FormFieldValidationException(
                    Vars.LIBRARY_CATEGORY,
                    "Retrospective Sign-Off: libraryCategory must be one of " + String.join(", ", Library.CATEGORIES)
                            + " when plays are promoted.");
        }
        var auth = identity.getCurrentAuthentication();
        try {
            library.promote(
                    missionId,
                    list(plays),
                    c,
                    tags == null ? List.of() : list(tags),
                    auth == null ? "unknown" : auth.getUserId());
        } catch (IllegalArgumentException e) {
            throw new FormFieldValidationException(
                    Vars.LIBRARY_PLAYS, "Retrospective Sign-Off: " + e.getMessage() + ".");
        }
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
