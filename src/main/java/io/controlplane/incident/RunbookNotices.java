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

    Notification notice(RunbookFacts facts, String kind, List<String> mentions, List<String> emailTo) {
        String missionId = facts.missionId();
        String stage = missionId == null
                ? null
                : missions.find(missionId).map(m -> m.stage().name()).orElse(null);
        String summary = firstText(facts.incidentSummary(), facts.incidentResolution());
        return new Notification(
                kind,
                facts.incidentId(),
                missionId,
                facts.missionTitle(),
                stage,
                facts.incidentSeverity() == null ? "medium" : facts.incidentSeverity(),
                summary == null ? kind.replace('_', ' ') : summary,
                facts.safeguardFindingSummary(),
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

    private static String firstText(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
