package io.controlplane.notify;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Who pressed a button in Slack: the person (Camunda user id) a Slack user id is mapped to by
 * {@code controlplane.notify.slack.users} ({@code U012ABC: oc}), their groups (a checkpoint decision runs as them),
 * and whether that person may acknowledge incidents — the groups {@code POST /api/incidents/{id}/acknowledge} admits. A Slack user nobody mapped is nobody here: Slack
 * vouches for the workspace, not for a role in the control plane.
 */
final class SlackPeople {
    private final Map<String, String> personBySlackId = new HashMap<>();
    private final Function<String, Collection<String>> groupsOfPerson;
    private final Set<String> mayAcknowledge;

    /**
     * @param slackUsers     Slack user id → Camunda user id (ids compared case-insensitively: environment variables
     *                       arrive lower-cased)
     * @param groupsOfPerson the person's groups; empty for a user that does not exist
     * @param mayAcknowledge the groups that may acknowledge an incident
     */
    SlackPeople(
            Map<String, String> slackUsers,
            Function<String, Collection<String>> groupsOfPerson,
            Set<String> mayAcknowledge) {
        slackUsers.forEach((slack, person) -> {
            if (slack != null && person != null && !person.isBlank()) {
                personBySlackId.put(slack.strip().toUpperCase(Locale.ROOT), person.strip());
            }
        });
        this.groupsOfPerson = groupsOfPerson;
        this.mayAcknowledge = Set.copyOf(mayAcknowledge);
    }

    Optional<String> person(String slackUserId) {
        return slackUserId == null
                ? Optional.empty()
                : Optional.ofNullable(personBySlackId.get(slackUserId.strip().toUpperCase(Locale.ROOT)));
    }

    /** The person's Camunda groups (empty for a user that does not exist): what a decision runs with. */
    List<String> groups(String person) {
        return List.copyOf(groupsOfPerson.apply(person));
    }

    boolean mayAcknowledge(String person) {
        return groupsOfPerson.apply(person).stream().anyMatch(mayAcknowledge::contains);
    }

    Set<String> acknowledgingGroups() {
        return mayAcknowledge;
    }

    int mapped() {
        return personBySlackId.size();
    }
}
