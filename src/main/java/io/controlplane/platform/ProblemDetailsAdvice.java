package io.controlplane.platform;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error of {@code /api} as RFC 9457 problem details: one entry per bad field, never a stack trace. Not limited
 * to this project's controllers: a request refused before any handler is chosen (a media type no handler consumes,
 * an unknown path) has no controller, and is answered here too.
 */
@RestControllerAdvice
class ProblemDetailsAdvice {
    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidInputException e) {
        return problem(Problems.Type.VALIDATION, e.getMessage(), e.errors());
    }

    /** A body read past its limit (SecurityConfig.BodySizeLimit), whoever was reading it. */
    @ExceptionHandler(RequestBodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestBodyTooLargeException e) {
        return problem(Problems.Type.TOO_LARGE, "A request body is at most 1 MiB", List.of());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        BodyProblems.stop(); // the read failed before it ended: this thread no longer collects
        RequestBodyTooLargeException tooLarge = RequestBodyTooLargeException.in(e);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            return problem(
                    Problems.Type.VALIDATION,
                    "The request body has an unknown field",
                    List.of(new FieldError(path(u), "is not a known field")));
        }
        if (cause instanceof InvalidFormatException f) {
            return problem(
                    Problems.Type.VALIDATION,
                    "The request body has a value of the wrong type",
                    List.of(new FieldError(path(f), "must be a " + simpleType(f.getTargetType()))));
        }
        if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return problem(
                    Problems.Type.VALIDATION,
                    "The request body has a value of the wrong type",
                    List.of(new FieldError(path(m), "must be a " + simpleType(m.getTargetType()))));
        }
        return problem(Problems.Type.UNREADABLE, "The request body is not valid JSON for this endpoint", List.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(
                Problems.Type.VALIDATION,
                "A parameter has the wrong type",
                List.of(new FieldError(e.getName(), "must be a " + simpleType(e.getRequiredType()))));
    }

    /** A required query parameter left out. */
    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e) {
        return problem(
                Problems.Type.VALIDATION,
                "A required parameter is missing",
                List.of(new FieldError(e.getParameterName(), "is required")));
    }

    /** A conditional update without {@code If-Match} (428), or with one that is not the current version (412). */
    @ExceptionHandler(ETags.PreconditionException.class)
    ResponseEntity<ProblemDetail> precondition(ETags.PreconditionException e) {
        return problem(e.type(), e.getMessage(), List.of());
    }

    /** The request would duplicate or contradict what exists (a mission that is no longer active, a taken key). */
    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        return problem(Problems.Type.CONFLICT, e.getMessage(), List.of());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return problem(Problems.Type.NOT_FOUND, e.getMessage(), List.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return problem(Problems.Type.NOT_FOUND, "No such endpoint", List.of());
    }

    @ExceptionHandler({AccessDeniedException.class, AuthorizationException.class})
    ResponseEntity<ProblemDetail> forbidden(RuntimeException e) {
        return problem(
                Problems.Type.FORBIDDEN,
                e instanceof AuthorizationException ? e.getMessage() : "Your groups do not allow this request",
                List.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return problem(Problems.Type.METHOD_NOT_ALLOWED, e.getMessage(), List.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(Problems.Type.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json", List.of());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return problem(Problems.Type.NOT_ACCEPTABLE, e.getMessage(), List.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        BodyProblems.stop();
        RequestBodyTooLargeException tooLarge = RequestBodyTooLargeException.in(e);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        log.error("Unexpected error answering an API request", e);
        return problem(Problems.Type.INTERNAL, "The request failed on the server; it was logged.", List.of());
    }

    static ResponseEntity<ProblemDetail> problem(Problems.Type type, String detail, List<FieldError> errors) {
        return Problems.response(type, detail, errors);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    static String simpleType(Class<?> type) {
        if (type == null) {
            return "value of another type";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "number";
        }
        if (type == String.class) {
            return "string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "JSON object";
        }
        return type.getSimpleName();
    }
}
