package io.controlplane.backlog;

import io.controlplane.mission.Stage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A row of {@code backlog_items} as Spring Data JDBC maps it (the backlog item aggregate, issue #14): columns by
 * name (camelCase to snake_case), {@link Version} the optimistic lock that {@code If-Match} checks, so a save of a
 * stale version changes nothing and fails.
 */
@Table("backlog_items")
record BacklogItemRow(
        @Id Long id,
        String title,
        String description,
        Stage stage,
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
        @Version Long version) {

    BacklogItemRow withId(Long id) {
        return new BacklogItemRow(
                id,
                title,
                description,
                stage,
                category,
                kpi,
                readinessArtifact,
                impact,
                effort,
                priority,
                status,
                ownerRole,
                source,
                sourceRef,
                missionId,
                createdAt,
                updatedAt,
                version);
    }

    BacklogItemRow withVersion(Long version) {
        return new BacklogItemRow(
                id,
                title,
                description,
                stage,
                category,
                kpi,
                readinessArtifact,
                impact,
                effort,
                priority,
                status,
                ownerRole,
                source,
                sourceRef,
                missionId,
                createdAt,
                updatedAt,
                version);
    }

    /** The same item in another status, changed at {@code now}. */
    BacklogItemRow withStatus(String status, Instant now) {
        return new BacklogItemRow(
                id,
                title,
                description,
                stage,
                category,
                kpi,
                readinessArtifact,
                impact,
                effort,
                priority,
                status,
                ownerRole,
                source,
                sourceRef,
                missionId,
                createdAt,
                now,
                version);
    }

    /** As the API answers it. */
    BacklogService.Item item() {
        return new BacklogService.Item(
                id,
                title,
                description,
                stage,
                stage.displayName(),
                category,
                kpi,
                readinessArtifact,
                impact,
                effort,
                priority.setScale(2, RoundingMode.HALF_UP),
                status,
                ownerRole,
                source,
                sourceRef,
                missionId,
                createdAt,
                updatedAt,
                version);
    }
}
