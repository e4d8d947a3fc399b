package io.controlplane.mission;

import static io.controlplane.mission.MissionJourney.Vars;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Start and end of the journey. On start it validates the brief (one check for the REST API and the Tasklist start
 * form), registers the mission in the read model and sets the variables the forms show; on end it closes it.
 */
@Component("missionRegistration")
class MissionRegistration implements ExecutionListener {

    private final MissionBriefs briefs;
    private final SafeguardPolicy policy;
    private final MissionStore store;
    private final JsonValues json;
    private final IdentityService identityService;
    private final ApplicationEventPublisher events;

    MissionRegistration(
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

    @Override
    public void notify(DelegateExecution execution) {
        if (EVENTNAME_END.equals(execution.getEventName())) {
            if (!execution.isCanceled() && !Boolean.TRUE.equals(execution.getVariable(Vars.MISSION_ABORT_REQUESTED))) {
                events.publishEvent(MissionEvent.of(
                        TelemetryCatalog.MISSION_COMPLETED,
                        execution.getProcessBusinessKey(),
                        Map.of("rolledBack", Boolean.TRUE.equals(execution.getVariable(Vars.ROLLBACK_REQUESTED)))));
            }
            store.finish(
                    execution.getProcessBusinessKey(),
                    execution.isCanceled() || Boolean.TRUE.equals(execution.getVariable(Vars.MISSION_ABORT_REQUESTED))
                            ? MissionStore.Status.ABORTED
                            : Boolean.TRUE.equals(execution.getVariable(Vars.ROLLBACK_REQUESTED))
                                    ? MissionStore.Status.ROLLED_BACK
                                    : MissionStore.Status.COMPLETED);
            return;
        }
        // the owner is who started the mission; a variable names it only for the service's own unauthenticated
        // starts (no caller can send missionOwner: it is in no start form, see StepContract)
        Authentication auth = identityService.getCurrentAuthentication();
        String owner = auth != null && auth.getUserId() != null
                ? auth.getUserId()
                : (String) execution.getVariable(Vars.MISSION_OWNER);
        if (owner == null) {
            throw new MissionInputException(
                    Vars.MISSION_OWNER, "A mission must be started by an authenticated mission owner.");
        }
        // the API sends the brief's structured safeguards; Tasklist's start form sends templates instead, and a start
        // from it is told in the form's own field names, so Tasklist marks the right field
        Object structured = execution.getVariable(Vars.SAFEGUARDS);
        boolean fromForm = structured == null;
        MissionRequest brief;
        try {
            brief = briefs.validate(read(execution, structured));
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
        String id = execution.getProcessBusinessKey();
        if (id == null || id.isBlank()) {
            id = UUID.randomUUID().toString();
            execution.setProcessBusinessKey(id);
        }
        Instant now = Instant.now();
        store.insert(new MissionStore.Mission(
                id,
                execution.getProcessInstanceId(),
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

        execution.setVariable(Vars.MISSION_ID, id);
        events.publishEvent(MissionEvent.of(TelemetryCatalog.INTENT_SUBMITTED, id, Map.of("owner", owner)));
        for (MissionRequest.Safeguard s : brief.safeguards()) {
            events.publishEvent(MissionEvent.of(
                    TelemetryCatalog.SAFEGUARD_ADDED, id, Map.of("type", s.type(), "severity", s.severity())));
        }
        // the hold and abort flags the conditional events watch are not set here: absent means false (the conditions
        // read them null-safe), and the engine's listeners create them on the process instance when they first set
        // one, since no scope below has them (3 statements per flag and mission saved)
        execution.setVariable(Vars.SAFEGUARD_ATTEMPT, 0);
        execution.setVariable(Vars.MISSION_OWNER, owner);
        execution.setVariable(Vars.MISSION_TITLE, brief.title());
        execution.setVariable(Vars.OBJECTIVE, brief.objective());
        execution.setVariable(Vars.PERSONA, brief.persona());
        execution.setVariable(Vars.KPI_METRIC, brief.kpi().metric());
        execution.setVariable(Vars.KPI_TARGET, brief.kpi().target().doubleValue());
        execution.setVariable(Vars.SAFEGUARDS, json.variable(brief.safeguards()));
        execution.setVariable(Vars.TOOLKITS, json.variable(brief.toolkits()));
        execution.setVariable(
                Vars.MISSION_BRIEF,
                MissionSummaries.brief(
                        brief.title(),
                        brief.objective(),
                        brief.persona(),
                        brief.kpi().metric(),
                        brief.kpi().target(),
                        owner));
        execution.setVariable(Vars.SAFEGUARD_SUMMARY, MissionSummaries.safeguards(brief.safeguards()));
        execution.setVariable(Vars.TOOLKIT_SUMMARY, MissionSummaries.toolkits(brief.toolkits()));
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
    private MissionRequest read(DelegateExecution execution, Object structuredSafeguards) {
        try {
            List<MissionRequest.Safeguard> safeguards;
            List<MissionRequest.Toolkit> toolkits;
            JsonNode structured = json.read(structuredSafeguards);
            if (structured != null) {
                safeguards = json.mapper().convertValue(structured, new TypeReference<>() {});
                toolkits = json.mapper()
                        .convertValue(json.read(execution.getVariable(Vars.TOOLKITS)), new TypeReference<>() {});
            } else {
                JsonNode templates = json.read(execution.getVariable(Vars.SAFEGUARD_TEMPLATES));
                safeguards = new ArrayList<>();
                if (templates != null && templates.isArray()) {
                    for (JsonNode t : templates) {
                        if (!policy.isKnownType(t.asText())) {
                            throw new InvalidInputException(
                                    Vars.SAFEGUARD_TEMPLATES, "names an unknown template '" + t.asText() + "'");
                        }
                        safeguards.add(policy.fromTemplate(t.asText()));
                    }
                }
                toolkits = briefs.parseToolkits(
                        Vars.TOOLKIT_REQUEST, (String) execution.getVariable(Vars.TOOLKIT_REQUEST));
            }
            return new MissionRequest(
                    (String) execution.getVariable(Vars.MISSION_TITLE),
                    (String) execution.getVariable(Vars.OBJECTIVE),
                    (String) execution.getVariable(Vars.PERSONA),
                    new MissionRequest.Kpi(
                            (String) execution.getVariable(Vars.KPI_METRIC),
                            MissionBriefs.decimal(execution.getVariable(Vars.KPI_TARGET))),
                    safeguards,
                    toolkits);
        } catch (JsonProcessingException | IllegalArgumentException | ClassCastException e) {
            throw new MissionInputException(Vars.SAFEGUARDS, "The mission brief could not be read: " + e.getMessage());
        }
    }
}
