package io.controlplane.incident;

import io.controlplane.mission.MissionStore;
import io.controlplane.notify.Notification;
import io.controlplane.platform.Roles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/** Builds a runbook's notifications from its variables: the mission, the incident, who is on call, who to mail. */
@Component
class RunbookNotices {
    private final MissionStore missions;
    private final OnCallSchedule onCall;
    private final IdentityService identity;

    RunbookNotices(MissionStore missions, OnCallSchedule onCall, IdentityService identity) {
        this.missions = missions;
        this.onCall = onCall;
        this.identity = identity;
    }

    Notification notice(DelegateExecution execution, String kind, List<String> mentions, List<String> emailTo) {
        String missionId = text(execution, "missionId");
        String stage = missionId == null
                ? null
                : missions.find(missionId).map(m -> m.stage().name()).orElse(null);
        String summary = firstText(execution, Runbooks.Vars.INCIDENT_SUMMARY, Runbooks.Vars.INCIDENT_RESOLUTION);
        return new Notification(
                kind,
                text(execution, Runbooks.Vars.INCIDENT_ID),
                missionId,
                text(execution, "missionTitle"),
                stage,
                severity(execution),
                summary == null ? kind.replace('_', ' ') : summary,
                text(execution, "safeguardFindingSummary"),
                mentions,
                emailTo);
    }

    List<String> onCallMentions() {
        return List.of(onCall.onCallAt(Instant.now()).slack());
    }

    List<String> leadMentions() {
        return List.of(onCall.lead().slack());
    }

    String onCallEmail() {
        return onCall.onCallAt(Instant.now()).email();
    }

    String leadEmail() {
        return onCall.lead().email();
    }

    /** The mission owner and the members of the given groups, by their Camunda e-mail addresses. */
    List<String> emailsOf(String owner, List<String> groups) {
        Set<String> out = new LinkedHashSet<>();
        if (owner != null) {
            User u = identity.createUserQuery().userId(owner).singleResult();
            if (u != null && u.getEmail() != null) {
                out.add(u.getEmail());
            }
        }
        for (String group : groups) {
            identity.createUserQuery().memberOfGroup(group).list().stream()
                    .map(User::getEmail)
                    .filter(e -> e != null && !e.isBlank())
                    .forEach(out::add);
        }
        return new ArrayList<>(out);
    }

    static List<String> stakeholderGroups() {
        return List.of(Roles.GOVERNANCE_VALIDATOR, Roles.OPERATIONS_COMMAND);
    }

    private static String severity(DelegateExecution execution) {
        String s = text(execution, Runbooks.Vars.INCIDENT_SEVERITY);
        return s == null ? "medium" : s;
    }

    static String text(DelegateExecution execution, String name) {
        Object v = execution.getVariable(name);
        return v == null ? null : v.toString();
    }

    private static String firstText(DelegateExecution execution, String... names) {
        for (String n : names) {
            String v = text(execution, n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
