package io.controlplane.incident;

/**
 * What a runbook's steps know, as text: its incident and the mission it is about (the variables the journey's call
 * activity passes and the runbook's own tasks set). Read from the process by {@code journey.RunbookDelegates}.
 */
public record RunbookFacts(
        String missionId,
        String missionTitle,
        String missionOwner,
        String incidentId,
        String incidentKind,
        String incidentSeverity,
        String incidentSummary,
        String incidentResolution,
        String safeguardFindingSummary,
        String notificationKind,
        String pagerAction,
        String decidedBy,
        String remediationOutcome,
        String remediationPlan,
        String kpiKey,
        String kpiName,
        String kpiPeriod) {

    /** The kind of notice a step sends: its own, else the incident's. */
    String kind() {
        return notificationKind != null ? notificationKind : incidentKind != null ? incidentKind : "notice";
    }
}
