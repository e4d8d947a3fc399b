package io.controlplane.backlog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.controlplane.mission.Stage;
import io.controlplane.platform.ETags;
import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.NotFoundException;
import io.controlplane.platform.Problems;
import io.controlplane.platform.Roles;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The operations guide's "Operations Backlog": items with columns by stage, prioritised by impact / effort. People add
 * items through the API; sources (telemetry gaps, KPI misses, post-incident reviews, Reflect follow-ups) add theirs
 * through {@link #fromSource}, once per source reference.
 */
@Service
public class BacklogService {

    /**
     * A stored backlog item, as the API answers it; its {@code version} travels as the {@code ETag} header, not in
     * the body (the header is what {@code If-Match} sends back).
     */
    public record Item(
            long id,
            String title,
            String description,
            Stage stage,
            String stageName,
            String category,
            String kpi,
            String readinessArtifact,
            int impact,
            int effort,
            BigDecimal priority,
            String status,
            String ownerRole,
            String source,
            String sourceRef,
            String missionId,
            Instant createdAt,
            Instant updatedAt,
            @JsonIgnore long version) {
        /** The strong entity tag of this version of the item. */
        public String etag() {
            return ETags.strong("backlog", id, version);
        }
    }

    record Column(Stage stage, String stageName, List<Item> items) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final BacklogItems items;
    private final Validator validator;

    BacklogService(NamedParameterJdbcTemplate jdbc, BacklogItems items, Validator validator) {
        this.jdbc = jdbc;
        this.items = items;
        this.validator = validator;
    }

    /** A person's item: source {@code MANUAL}. */
    @Transactional
    public Item create(BacklogRequest request) {
        return insert(validate(request), BacklogCatalog.MANUAL, null, null);
    }

    /**
     * An item raised by a source — {@code TELEMETRY_GAP}, {@code KPI_MISS}, {@code POST_INCIDENT_REVIEW},
     * {@code REFLECT_FOLLOWUP} — for one of its records ({@code sourceRef}: the gap id, incident id, …). A source
     * creates its item once: asked again for the same (source, sourceRef), this answers the existing item unchanged.
     *
     * @param missionId the mission the source record belongs to, or {@code null}
     * @throws InvalidInputException for an unknown source, a missing reference or a bad item
     */
    @Transactional
    public Item fromSource(String source, String sourceRef, BacklogRequest request, String missionId) {
        List<FieldError> errors = new ArrayList<>();
        if (source == null || !BacklogCatalog.SOURCES.contains(source) || BacklogCatalog.MANUAL.equals(source)) {
            errors.add(new FieldError(
                    "source", "must be one of REFLECT_FOLLOWUP, TELEMETRY_GAP, KPI_MISS, " + "POST_INCIDENT_REVIEW"));
        }
        if (sourceRef == null || sourceRef.isBlank() || sourceRef.length() > 128) {
            errors.add(new FieldError("sourceRef", "is required (at most 128 characters)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException("The backlog source is invalid", errors);
        }
        Optional<Item> existing = bySource(source, sourceRef);
        if (existing.isPresent()) {
            return existing.get();
        }
        return insert(validate(request), source, sourceRef, missionId);
    }

    /**
     * Raises one backlog item per OPEN telemetry-gap finding that has none yet: the gap's stage, the category of
     * {@link BacklogCatalog#TELEMETRY_GAP_CATEGORY}, the stage's readiness artifact, impact 3, effort 2, owned by the
     * Telemetry Analyst. A gap whose stage is not a five-stage code goes to Execute &amp; Observe.
     *
     * @return the items created by this call
     */
    @Transactional
    public List<Item> importTelemetryGaps() {
        List<Map<String, Object>> gaps = jdbc.queryForList(
                "SELECT g.id, g.mission_id, g.stage, g.event_name, g.kind, "
                        + "g.detail FROM telemetry_gaps g WHERE g.status = 'OPEN' AND NOT EXISTS (SELECT 1 FROM backlog_items b "
                        + "WHERE b.source = 'TELEMETRY_GAP' AND b.source_ref = CAST(g.id AS VARCHAR(32))) ORDER BY g.id",
                new MapSqlParameterSource());
        List<Item> created = new ArrayList<>();
        for (Map<String, Object> g : gaps) {
            Stage stage = Stage.fromCode((String) g.get("stage")).orElse(Stage.EXECUTE_OBSERVE);
            String title = "Telemetry gap: " + g.get("event_name") + " (" + g.get("kind") + ") on mission "
                    + g.get("mission_id");
            BacklogRequest request = new BacklogRequest(
                    title.length() > 200 ? title.substring(0, 200) : title,
                    (String) g.get("detail"),
                    stage.name(),
                    BacklogCatalog.TELEMETRY_GAP_CATEGORY.get(stage),
                    null,
                    stage.evidenceTemplate(),
                    3,
                    2,
                    Roles.TELEMETRY_ANALYST);
            String ref = String.valueOf(((Number) g.get("id")).longValue());
            if (bySource(BacklogCatalog.TELEMETRY_GAP, ref).isEmpty()) {
                created.add(insert(validate(request), BacklogCatalog.TELEMETRY_GAP, ref, (String) g.get("mission_id")));
            }
        }
        return created;
    }

    public Item get(long id) {
        return row(id).item();
    }

    private BacklogItemRow row(long id) {
        return items.findById(id).orElseThrow(() -> new NotFoundException("Backlog item " + id + " does not exist"));
    }

    /**
     * Moves an item forward: OPEN → IN_PROGRESS → DONE (OPEN → DONE too); never back. The same status is a no-op.
     * A conditional update: {@code ifMatch} must name the version the caller read (428 without, 412 when the item
     * changed since), checked again by the statement that writes, so two changes from one version never both count.
     * The status in any case ({@code in_progress} too); stored and answered as {@code IN_PROGRESS}.
     */
    @Transactional
    public Item changeStatus(long id, String status, String ifMatch) {
        BacklogItemRow row = row(id);
        Item item = row.item();
        ETags.requireMatch(ifMatch, item.etag());
        String wanted = status == null ? null : status.strip().toUpperCase(Locale.ROOT);
        if (wanted == null || wanted.isEmpty()) {
            throw new InvalidInputException("status", "is required: OPEN, IN_PROGRESS or DONE");
        }
        if (!BacklogCatalog.STATUSES.contains(wanted)) {
            throw new InvalidInputException("status", "must be one of OPEN, IN_PROGRESS, DONE");
        }
        int from = BacklogCatalog.STATUSES.indexOf(item.status());
        int to = BacklogCatalog.STATUSES.indexOf(wanted);
        if (to == from) {
            return item;
        }
        if (to < from) {
            throw new InvalidInputException(
                    "status",
                    "cannot move from " + item.status() + " back to " + wanted + " (OPEN → IN_PROGRESS → DONE)");
        }
        try {
            return items.save(row.withStatus(wanted, Instant.now())).item();
        } catch (OptimisticLockingFailureException e) {
            // another change of the same version committed first (the row lock made this statement wait for it)
            throw new ETags.PreconditionException(
                    Problems.Type.PRECONDITION_FAILED,
                    "Backlog item " + id + " was changed meanwhile by someone else; nothing of yours was changed. "
                            + "GET it again, and decide on what it says now");
        }
    }

    /** The five columns in journey order: OPEN and IN_PROGRESS items, highest priority first, then oldest. */
    List<Column> board() {
        Map<Stage, List<Item>> byStage = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            byStage.put(s, new ArrayList<>());
        }
        items.unfinishedByPriority().forEach(r -> byStage.get(r.stage()).add(r.item()));
        return byStage.entrySet().stream()
                .map(e -> new Column(e.getKey(), e.getKey().displayName(), e.getValue()))
                .toList();
    }

    /** OPEN and IN_PROGRESS items raised by a source, oldest first. */
    List<Item> unfinished(String source) {
        return items.unfinished(source).stream().map(BacklogItemRow::item).toList();
    }

    private Optional<Item> bySource(String source, String sourceRef) {
        return items.findBySourceAndSourceRef(source, sourceRef).map(BacklogItemRow::item);
    }

    private record Valid(BacklogRequest request, Stage stage) {}

    /** Bean validation, then the catalog: every bad field is named, in field order. */
    private Valid validate(BacklogRequest request) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<BacklogRequest> v : validator.validate(request)) {
            errors.add(new FieldError(v.getPropertyPath().toString(), v.getMessage()));
        }
        Stage stage = null;
        if (request.stage() != null && !request.stage().isBlank()) {
            stage = BacklogCatalog.stage(request.stage()).orElse(null);
            if (stage == null) {
                errors.add(new FieldError(
                        "stage",
                        "must be a stage code (define, prepare, plan_approve, "
                                + "execute_observe, reflect_improve) or a legacy stage name"));
            }
        }
        String category = request.category();
        if (category != null && !category.isBlank()) {
            Optional<Stage> owner = BacklogCatalog.stageOfCategory(category);
            if (owner.isEmpty()) {
                errors.add(new FieldError("category", "is not a backlog category; see GET /api/backlog/categories"));
            } else if (stage != null && owner.get() != stage) {
                errors.add(new FieldError(
                        "category",
                        "belongs to " + owner.get().displayName() + ", not "
                                + stage.displayName() + "; " + stage.displayName() + " takes "
                                + String.join(", ", BacklogCatalog.CATEGORIES.get(stage))));
            }
        }
        if (request.kpi() != null && !BacklogCatalog.KPIS.contains(request.kpi())) {
            errors.add(new FieldError("kpi", "must be one of " + String.join(", ", BacklogCatalog.KPIS)));
        }
        if (request.readinessArtifact() != null && !BacklogCatalog.ARTIFACTS.contains(request.readinessArtifact())) {
            errors.add(new FieldError(
                    "readinessArtifact", "must be one of " + String.join(", ", BacklogCatalog.ARTIFACTS)));
        }
        if (request.ownerRole() != null
                && !request.ownerRole().isBlank()
                && !BacklogCatalog.OWNER_ROLES.contains(request.ownerRole())) {
            errors.add(new FieldError("ownerRole", "must be one of " + String.join(", ", BacklogCatalog.OWNER_ROLES)));
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(FieldError::field));
            throw new InvalidInputException("The backlog item is invalid", errors);
        }
        return new Valid(request, stage);
    }

    private Item insert(Valid valid, String source, String sourceRef, String missionId) {
        BacklogRequest r = valid.request();
        Instant now = Instant.now();
        return items.save(new BacklogItemRow(
                        null,
                        r.title().strip(),
                        r.description(),
                        valid.stage(),
                        r.category(),
                        r.kpi(),
                        r.readinessArtifact(),
                        r.impact(),
                        r.effort(),
                        priority(r.impact(), r.effort()),
                        BacklogCatalog.OPEN,
                        r.ownerRole(),
                        source,
                        sourceRef,
                        missionId,
                        now,
                        now,
                        null))
                .item();
    }

    static BigDecimal priority(int impact, int effort) {
        return BigDecimal.valueOf(impact).divide(BigDecimal.valueOf(effort), 2, RoundingMode.HALF_UP);
    }
}
