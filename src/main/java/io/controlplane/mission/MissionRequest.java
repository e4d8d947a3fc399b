package io.controlplane.mission;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** A mission as its owner states it: the body of {@code POST /api/missions} and of the Tasklist start form. */
public record MissionRequest(
        @NotBlank @Size(max = 200) String title,
        @NotBlank @Size(max = 4000) String objective,
        @NotBlank @Size(max = 200) String persona,
        @NotNull @Valid Kpi kpi,
        @NotEmpty @Size(max = 20) List<@NotNull @Valid Safeguard> safeguards,
        @NotEmpty @Size(max = 20) List<@NotNull @Valid Toolkit> toolkits) {

    /** The measurable KPI the Intent Confirmation checkpoint looks for. */
    public record Kpi(
            @NotBlank @Size(max = 200) String metric,

            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 15, fraction = 4)
            BigDecimal target) {}

    public record Safeguard(
            @NotBlank
            @Pattern(regexp = SafeguardPolicy.TYPE_PATTERN, message = "must be one of " + SafeguardPolicy.TYPE_LIST)
            String type,

            @Pattern(regexp = "low|medium|high|critical", message = "must be one of low, medium, high, critical")
            String severity,

            @Size(max = 20) Map<String, Object> parameters) {}

    public record Toolkit(
            @NotBlank
            @Pattern(
                    regexp = "[a-z0-9][a-z0-9-]{0,63}",
                    message = "must be a lower-case slug of letters, digits and dashes (at most 64)")
            String slug,

            @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 200) String> scopes) {}
}
