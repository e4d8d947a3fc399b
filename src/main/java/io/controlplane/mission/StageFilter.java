package io.controlplane.mission;

import io.controlplane.platform.InvalidInputException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * A stage given to the API by code, or by a legacy eight-stage name: accepted, normalised to its five-stage successor,
 * logged and answered with {@code Deprecation: true}. Shared by every endpoint that takes a {@code stage}.
 */
public record StageFilter(Stage stage, String legacyName) {
    private static final Logger log = LoggerFactory.getLogger(StageFilter.class);

    /** Parses the {@code stage} parameter; blank means no filter; anything unknown is a 400 naming {@code stage}. */
    public static StageFilter parse(String value) {
        if (value == null || value.isBlank()) {
            return new StageFilter(null, null);
        }
        var code = Stage.fromCode(value);
        if (code.isPresent()) {
            return new StageFilter(code.get(), null);
        }
        var legacy = Stage.fromLegacy(value);
        if (legacy.isPresent()) {
            log.warn("Deprecated legacy stage name '{}' used; normalised to {}", value, legacy.get());
            return new StageFilter(legacy.get(), value);
        }
        throw new InvalidInputException(
                "stage",
                "must be one of " + Arrays.toString(Stage.values()) + " (legacy eight-stage names are accepted too)");
    }

    /** Adds {@code Deprecation} and {@code Warning} headers when the stage was given by a legacy name. */
    public void deprecationHeaders(ResponseEntity.BodyBuilder response) {
        if (legacyName != null) {
            response.header("Deprecation", "true");
            response.header(
                    HttpHeaders.WARNING,
                    "299 - \"Legacy stage name '" + legacyName.replace("\"", "") + "' is deprecated; use "
                            + stage.name() + "\"");
        }
    }
}
