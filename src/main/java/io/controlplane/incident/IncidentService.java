package io.controlplane.incident;

import io.controlplane.mission.MissionEvent;
import io.controlplane.mission.Stage;
import io.controlplane.mission.TelemetryCatalog;
import io.controlplane.notify.IncidentAcknowledgements;
import io.controlplane.platform.NotFoundException;
import io.controlplane.platform.Page;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Incidents: opened by a runbook, acknowledged from Slack or the API (which stops escalation and tells PagerDuty
 * through the runbook), resolved by the runbook's decision, then reviewed within 48 hours.
 */
@Service
public class IncidentService implements IncidentAcknowledgements {
    public static final String OPEN = "OPEN";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    public static final String RESOLVED = "RESOLVED";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    public record Incident(
            String id,
            String missionId,
            String kind,
            String severity,
            String status,
            String stage,
            String summary,
            String runbookInstanceId,
            Instant openedAt,
            Instant acknowledgedAt,
            String acknowledgedBy,
            String acknowledgedVia,
            Instant resolvedAt,
            String resolvedBy,
            String resolution,
            Instant reviewedAt,
            String reviewedBy,
            String reviewSummary) {}

    private final IncidentStore store;
    private final RuntimeService runtime;
    private final ApplicationEventPublisher events;
    private final Duration reviewWithin;

    IncidentService(
            IncidentStore store,
            RuntimeService runtime,
            ApplicationEventPublisher events,
            IncidentProperties properties) {
        this.store = store;
        this.runtime = runtime;
        this.events = events;
        this.reviewWithin = properties.reviewWithin();
    }

    public String open(
            String kind, String missionId, String stage, String severity, String summary, String runbookInstanceId) {
        String id = "INC-" + DAY.format(Instant.now()) + "-"
                + HexFormat.of().withUpperCase().formatHex(randomBytes());
        store.insert(new Incident(
                id,
                missionId,
                kind,
                severity,
                OPEN,
                stage,
                abbreviate(summary, 2000),
                runbookInstanceId,
                Instant.now(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
        events.publishEvent(new MissionEvent(
                TelemetryCatalog.INCIDENT_OPENED,
                missionId,
                Stage.fromCode(stage).orElse(null),
                null,
                Map.of("incidentId", id, "kind", kind, "severity", severity)));
        return id;
    }

    @Override
    public boolean acknowledge(String incidentId, String by, String via) {
        if (!store.acknowledge(incidentId, by, via, Instant.now())) {
            return false;
        }
        Incident incident = store.find(incidentId).orElseThrow();
        if (incident.runbookInstanceId() != null) {
            // the runbook forwards the acknowledgement to PagerDuty from an asynchronous, retried step
            runtime.createMessageCorrelation(Runbooks.MESSAGE_INCIDENT_ACKNOWLEDGED)
                    .processInstanceId(incident.runbookInstanceId())
                    .correlateAll();
        }
        return true;
    }

    /** Resolves the incident and starts its post-incident review, due {@code controlplane.incidents.review-within} later. */
    public void resolve(String incidentId, String by, String resolution, String missionTitle) {
        if (!store.resolve(incidentId, by, abbreviate(resolution, 2000), Instant.now())) {
            return;
        }
        Incident incident = get(incidentId);
        events.publishEvent(new MissionEvent(
                TelemetryCatalog.INCIDENT_RESOLVED,
                incident.missionId(),
                Stage.fromCode(incident.stage()).orElse(null),
                null,
                Map.of("incidentId", incidentId, "kind", incident.kind())));
        runtime.createProcessInstanceByKey(Runbooks.INCIDENT_REVIEW)
                .businessKey(incident.missionId())
                .setVariables(Variables.createVariables()
                        .putValue(Runbooks.Vars.INCIDENT_ID, incidentId)
                        .putValue(Runbooks.Vars.INCIDENT_KIND, incident.kind())
                        .putValue(Runbooks.Vars.INCIDENT_SEVERITY, incident.severity())
                        .putValue(Runbooks.Vars.INCIDENT_SUMMARY, incident.summary())
                        .putValue(Runbooks.Vars.INCIDENT_RESOLUTION, incident.resolution())
                        .putValue("missionId", incident.missionId())
                        .putValue("missionTitle", missionTitle)
                        .putValue(
                                Runbooks.Vars.REVIEW_DUE,
                                Date.from(Instant.now().plus(reviewWithin))))
                .execute();
    }

    public void recordReview(String incidentId, String by, String summary) {
        store.review(incidentId, by, summary, Instant.now());
    }

    public Incident get(String id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("No incident with id " + id));
    }

    public List<Incident> list(String status, String missionId, int limit) {
        return store.list(status, missionId, limit, 0);
    }

    /** One page of incidents, newest first, and how many match in all. */
    public Page<Incident> page(String status, String missionId, Page.Request paging) {
        return Page.of(
                paging, store.list(status, missionId, paging.size(), paging.offset()), store.count(status, missionId));
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String abbreviate(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
