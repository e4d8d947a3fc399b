package io.controlplane.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The one place every problem-details answer (RFC 9457) gets its {@code type}: {@code /api} (controller advice,
 * controllers' own refusals), the security layer's 401, 403, 413 and 429, Tomcat's own refusals and
 * {@code /engine-rest}. A type is {@code https://controlplane.io/problems/<slug>} and always comes with the same
 * status; {@code title} is that status's reason phrase, {@code detail} says what happened this time, {@code instance}
 * is the request's path. docs/api.md lists the types ({@code ProblemTypesTest} keeps the list and this enum equal).
 * Only an answer with a status no type names — one the service never sends itself — is RFC 9457's
 * {@code about:blank}.
 */
public final class Problems {
    public static final String TYPE_BASE = "https://controlplane.io/problems/";

    /** Every problem type, each with its one status. */
    public enum Type {
        VALIDATION("validation", 400),
        UNREADABLE("unreadable", 400),
        REJECTED_REQUEST("rejected-request", 400),
        BAD_REQUEST("bad-request", 400),
        UNAUTHORIZED("unauthorized", 401),
        FORBIDDEN("forbidden", 403),
        NOT_FOUND("not-found", 404),
        METHOD_NOT_ALLOWED("method-not-allowed", 405),
        NOT_ACCEPTABLE("not-acceptable", 406),
        CONFLICT("conflict", 409),
        REPLAYED("replayed", 409),
        LEGACY_MIGRATION_REFUSED("legacy-migration-refused", 409),
        PRECONDITION_FAILED("precondition-failed", 412),
        TOO_LARGE("too-large", 413),
        UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415),
        LEGACY_MIGRATION_PLAN_INVALID("legacy-migration-plan-invalid", 422),
        PRECONDITION_REQUIRED("precondition-required", 428),
        TOO_MANY_REQUESTS("too-many-requests", 429),
        INTERNAL("internal", 500),
        UNAVAILABLE("unavailable", 503);

        private final String slug;
        private final int status;

        Type(String slug, int status) {
            this.slug = slug;
            this.status = status;
        }

        public String slug() {
            return slug;
        }

        public int status() {
            return status;
        }

        public URI uri() {
            return URI.create(TYPE_BASE + slug);
        }

        public String title() {
            return Problems.title(status);
        }

        /**
         * The general type of a status, for an answer that knows only its status (an {@code /engine-rest} error,
         * one of Tomcat's); none for a status no type names (the answer is then RFC 9457's {@code about:blank}).
         */
        public static Optional<Type> forStatus(int status) {
            return Optional.ofNullable(
                    switch (status) {
                        case 400 -> BAD_REQUEST;
                        case 401 -> UNAUTHORIZED;
                        case 403 -> FORBIDDEN;
                        case 404 -> NOT_FOUND;
                        case 405 -> METHOD_NOT_ALLOWED;
                        case 406 -> NOT_ACCEPTABLE;
                        case 409 -> CONFLICT;
                        case 412 -> PRECONDITION_FAILED;
                        case 413 -> TOO_LARGE;
                        case 415 -> UNSUPPORTED_MEDIA_TYPE;
                        case 428 -> PRECONDITION_REQUIRED;
                        case 429 -> TOO_MANY_REQUESTS;
                        case 500 -> INTERNAL;
                        case 503 -> UNAVAILABLE;
                        default -> null;
                    });
        }
    }

    private Problems() {}

    static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }

    /** A problem of {@code type}; Spring MVC fills in {@code instance} with the request's path when it is sent. */
    public static ProblemDetail of(Type type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(type.status()), detail);
        p.setType(type.uri());
        p.setTitle(type.title());
        return p;
    }

    /** The answer of a controller or advice: the problem as {@code application/problem+json}. */
    public static ResponseEntity<ProblemDetail> response(Type type, String detail) {
        return response(of(type, detail));
    }

    /** The same with {@code errors}: one {@code {field, message}} per bad field, when there are any. */
    public static ResponseEntity<ProblemDetail> response(Type type, String detail, List<FieldError> errors) {
        ProblemDetail p = of(type, detail);
        if (!errors.isEmpty()) {
            p.setProperty("errors", errors);
        }
        return response(p);
    }

    public static ResponseEntity<ProblemDetail> response(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /**
     * The body of a problem as a map, for answers written without Spring MVC (the servlet filters, Jersey):
     * {@code type}, {@code title}, {@code status}, {@code detail} and, when known, {@code instance}.
     */
    public static Map<String, Object> body(Type type, String detail, String instance) {
        return body(type.uri().toString(), type.status(), detail, instance);
    }

    /**
     * The same for an answer whose status was decided elsewhere (Jersey, Tomcat): the status's general type, or
     * {@code about:blank} (RFC 9457: no more meaning than the status) for a status no type names.
     */
    public static Map<String, Object> body(int status, String detail, String instance) {
        return body(
                Type.forStatus(status).map(t -> t.uri().toString()).orElse("about:blank"), status, detail, instance);
    }

    private static Map<String, Object> body(String type, int status, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        return body;
    }

    /**
     * Writes a problem from a servlet filter or handler (the security layer, the body limits, the login throttle),
     * where no Spring MVC handler runs: {@code instance} is the request's path.
     */
    public static void write(
            ObjectMapper json, HttpServletRequest request, HttpServletResponse response, Type type, String detail)
            throws IOException {
        response.setStatus(type.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(
                response.getOutputStream(), body(type, detail, request == null ? null : request.getRequestURI()));
    }
}
