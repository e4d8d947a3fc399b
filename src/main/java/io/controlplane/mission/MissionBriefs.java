package io.controlplane.mission;

import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The single check every mission passes before it starts, whether it came from the REST API or the Tasklist
 * start form: bean validation of the brief, then the safeguard policy. Returns the brief as it will be enforced.
 */
@Component
public class MissionBriefs {
    private final Validator validator;
    private final SafeguardPolicy policy;

    public MissionBriefs(Validator validator, SafeguardPolicy policy) {
        this.validator = validator;
        this.policy = policy;
    }

    public MissionRequest validate(MissionRequest request) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<MissionRequest> v : validator.validate(request)) {
            errors.add(new FieldError(
                    v.getPropertyPath()
                            .toString()
                            .replace(".<list element>", "")
                            .replace("<list element>", ""),
                    v.getMessage()));
        }
        List<MissionRequest.Safeguard> enforced = new ArrayList<>();
        if (request.safeguards() != null) {
            for (int i = 0; i < request.safeguards().size(); i++) {
                MissionRequest.Safeguard s = request.safeguards().get(i);
                if (s == null || s.type() == null || !policy.isKnownType(s.type())) {
                    continue; // already reported by bean validation
                }
                MissionRequest.Safeguard withDefaults = policy.withDefaults(s);
                policy.check("safeguards[" + i + "]", withDefaults)
                        .forEach(v -> errors.add(new FieldError(v.field(), v.message())));
                enforced.add(withDefaults);
            }
        }
        if (request.toolkits() != null) {
            List<String> slugs = request.toolkits().stream()
                    .filter(t -> t != null && t.slug() != null)
                    .map(MissionRequest.Toolkit::slug)
                    .toList();
            if (slugs.stream().distinct().count() < slugs.size()) {
                errors.add(new FieldError("toolkits", "names a toolkit slug more than once"));
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(FieldError::field));
            throw new InvalidInputException("The mission brief is invalid", errors);
        }
        return new MissionRequest(
                request.title().strip(),
                request.objective().strip(),
                request.persona().strip(),
                new MissionRequest.Kpi(
                        request.kpi().metric().strip(), request.kpi().target()),
                enforced,
                request.toolkits());
    }

    /**
     * Parses the start form's toolkit text, one toolkit per line as {@code slug: scope, scope}.
     *
     * @throws InvalidInputException naming the line that does not fit
     */
    public List<MissionRequest.Toolkit> parseToolkits(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is required: one toolkit per line as 'slug: scope, scope'");
        }
        List<MissionRequest.Toolkit> out = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InvalidInputException(field, "line " + (i + 1) + " must read 'slug: scope, scope'");
            }
            List<String> scopes = Arrays.stream(line.substring(colon + 1).split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
            out.add(new MissionRequest.Toolkit(line.substring(0, colon).strip(), scopes));
        }
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            for (ConstraintViolation<MissionRequest.Toolkit> v : validator.validate(out.get(i))) {
                errors.add(new FieldError(
                        field + "[" + i + "]."
                                + v.getPropertyPath()
                                        .toString()
                                        .replace(".<list element>", "")
                                        .replace("<list element>", ""),
                        v.getMessage()));
            }
        }
        if (out.isEmpty()) {
            errors.add(new FieldError(field, "names no toolkit"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException("The toolkit request is invalid", errors);
        }
        return out;
    }

    /** A KPI target as a form or the API sent it (number or text); not a number: a 400 naming {@code kpi.target}. */
    public static BigDecimal decimal(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        try {
            return new BigDecimal(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("kpi.target", "must be a number");
        }
    }
}
