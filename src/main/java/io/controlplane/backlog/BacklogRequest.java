package io.controlplane.backlog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A backlog item as a person or a source asks for it. {@code stage} takes a code or a legacy name; {@code category}
 * must be one of that stage's; {@code kpi} and {@code readinessArtifact} are optional.
 */
public record BacklogRequest(
        @NotBlank @Size(max = 200) String title,
        @Size(max = 4000) String description,
        @NotBlank String stage,
        @NotBlank String category,
        String kpi,
        String readinessArtifact,
        @NotNull @Min(1) @Max(5) Integer impact,
        @NotNull @Min(1) @Max(5) Integer effort,
        @NotBlank String ownerRole) {}
