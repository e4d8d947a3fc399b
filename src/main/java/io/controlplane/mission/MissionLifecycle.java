package io.controlplane.mission;

import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.JsonValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The mission's start and end as the journey reports them ({@code journey.MissionRegistration} reads the variables).
 * On start it validates the brief (one check for the REST API and the Tasklist start form) and registers the
 * mission in the read model; on end it closes it.
 */
@Component
public class MissionLifecycle {

    private final MissionBriefs briefs;
    private final SafeguardPolicy policy;
    private final MissionStore store;
    private final JsonValues json;
    private final IdentityService identityService;
    private final ApplicationEventPublisher events;

    MissionLifecycle(
            MissionBriefs briefs,
            SafeguardPolicy policy,
            MissionStore store,
            JsonValues json,
            IdentityService identityService,
            ApplicationEventPublisher events) {
        this.events = events;
        this.briefs = briefs;
        this.policy = policy;
        this.store = store;
        this.json = json;
        this.identityService = identityService;
    }

    /**
     * What the start event carries: the API's structured safeguards and toolkits, or the start form's templates and
     * toolkit text (then {@code safeguards} is null), and the brief's text fields as sent.
     */
    public record BriefVariables(
            JsonNode safeguards,
            JsonNode toolkits,
            JsonNode safeguardTemplates,
            String toolkitRequest,
            String title,
            String objective,
            String persona,
            String kpiMetric,
            Object kpiTarget) {}

    /** A validated, registered mission: what the journey keeps in its variables. */
    public record Registered(String id, String owner, MissionRequest brief) {}

    /**
     * The owner is who started the mission; a variable names it only for the service's own unauthenticated starts
     * (no caller can send missionOwner: it is in no start form, see StepContract).
     */
    public String owner(Supplier<String> ownerVariable) {
        Authentication auth = identityService.getCurrentAuthentication();
        String owner = auth != null && auth.getUserId() != null ? auth.getUserId() : ownerVariable.get();
        if (owner == null) {
            throw new MissionInputException(
                    Vars.MISSION_OWNER, "A mission must be started by an authenticated mission owner.");
        }
        return owner;
    }

    /** A brief whose variables could not be read as their types (a wrong type, unreadable JSON). */
    public static MissionInputException unreadable(RuntimeException e) {
        return new MissionInputException(Vars.SAFEGUARDS, "The mission brief could not be read: " + e.getMessage());
    }

    /** Validates the brief and registers the mission (under a new id when the start has no business key). */
    public Registered register(String owner, BriefVariables variables, String businessKey, String processInstanceId) {
        MissionRequest brief = validate(variables);
        String id =
                businessKey == null || businessKey.isBlank() ? UUID.randomUUID().toString() : businessKey;
        Instant now = Instant.now();
        store.insert(new MissionStore.Mission(
                id,
                processInstanceId,
                brief.title(),
                brief.objective(),
                brief.persona(),
                brief.kpi().metric(),
                brief.kpi().target(),
                json.write(brief.safeguards()),
                json.write(brief.toolkits()),
                owner,
                Stage.DEFINE,
                MissionStore.Status.ACTIVE,
                now,
                now,
                null));
        events.publishEvent(MissionEvent.of(TelemetryCatalog.INTENT_SUBMITTED, id, Map.of("owner", owner)));
        for (MissionRequest.Safeguard s : brief.safeguards()) {
            events.publishEvent(MissionEvent.of(
                    TelemetryCatalog.SAFEGUARD_ADDED, id, Map.of("type", s.type(), "severity", s.severity())));
        }
        return new Registered(id, owner, brief);
    }

    /** The journey ended: cancelled or aborted, rolled back, or completed. */
    public void close(String missionId, boolean aborted, boolean rolledBack) {
        if (!aborted) {
            events.publishEvent(
                    MissionEvent.of(TelemetryCatalog.MISSION_COMPLETED, missionId, Map.of("rolledBack", rolledBack)));
        }
        store.finish(
                missionId,
                aborted
                        ? MissionStore.Status.ABORTED
                        : rolledBack ? MissionStore.Status.ROLLED_BACK : MissionStore.Status.COMPLETED);
    }

    /**
     * The API sends the brief's structured safeguards; Tasklist's start form sends templates instead, and a start
     * from it is told in the form's own field names, so Tasklist marks the right field.
     */
    private MissionRequest validate(BriefVariables variables) {
        boolean fromForm = variables.safeguards() == null;
        try {
            return briefs.validate(read(variables));
        } catch (InvalidInputException e) {
            List<String> fields = new ArrayList<>();
            List<String> detail = new ArrayList<>();
            for (FieldError f : e.errors()) {
                String field = fromForm ? formField(f.field()) : f.field();
                fields.add(field);
                detail.add(field + " " + f.message());
            }
            throw new MissionInputException(fields.get(0), e.getMessage() + ": " + String.join("; ", detail));
        }
    }

    /** The start form's field for a field of the brief ({@code safeguards[0].type} → {@code safeguardTemplates}). */
    static String formField(String briefField) {
        String root = briefField.replaceAll("[\\[.].*$", "");
        return switch (root) {
            case "title" -> Vars.MISSION_TITLE;
            case "safeguards" -> Vars.SAFEGUARD_TEMPLATES;
            case "toolkits" -> Vars.TOOLKIT_REQUEST;
            case "kpi" -> briefField.startsWith("kpi.metric") ? Vars.KPI_METRIC : Vars.KPI_TARGET;
            default -> briefField; // objective, persona: the same name in both
        };
    }

    /** The brief from the API's structured variables or from the start form's templates and toolkit text. */
    private MissionRequest read(BriefVariables v) {
        try {
            List<MissionRequest.Safeguard> safeguards;
            List<MissionRequest.Toolkit> toolkits;
            if (v.safeguards() != null) {
                safeguards = json.mapper().convertValue(v.safeguards(), new TypeReference<>() {});
                toolkits = json.mapper().convertValue(v.toolkits(), new TypeReference<>() {});
            } else {
                safeguards = fromTemplates(v.safeguardTemplates());
                toolkits = briefs.parseToolkits(Vars.TOOLKIT_REQUEST, v.toolkitRequest());
            }
            return new MissionRequest(
                    v.title(),
                    v.objective(),
                    v.persona(),
                    new MissionRequest.Kpi(v.kpiMetric(), MissionBriefs.decimal(v.kpiTarget())),
                    safeguards,
                    toolkits);
        } catch (IllegalArgumentException e) {
            throw unreadable(e);
        }
    }

    private List<MissionRequest.Safeguard> fromTemplates(JsonNode templates) {
        List<MissionRequest.Safeguard> safeguards = new ArrayList<>();
        if (templates != null && templates.isArray()) {
            for (JsonNode t : templates) {
                if (!policy.isKnownType(t.asText())) {
                    throw new InvalidInputException(
                            Vars.SAFEGUARD_TEMPLATES, "names an unknown template '" + t.asText() + "'");
                }
                safeguards.add(policy.fromTemplate(t.asText()));
            }
        }
        return safeguards;
    }
}
