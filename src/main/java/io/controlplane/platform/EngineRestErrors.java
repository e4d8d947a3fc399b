package io.controlplane.platform;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.form.FormException;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.glassfish.jersey.server.ParamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error of {@code /engine-rest} as problem details ({@code type}, {@code title}, {@code status}, {@code detail};
 * Camunda's {@code message} and {@code code} kept beside them for its clients), with no SQL statement, index name,
 * engine code or Java class name in it. Camunda's own mappers answer many client mistakes with 500 (an unknown task
 * id to claim, a fetch without worker id, a variable the engine refuses) and put class names and SQL into the body;
 * these mappers, preferred over Camunda's and Jersey's ({@code @Priority(1)} at every exception type those claim),
 * sort the mistake from the fault:
 *
 * <ul>
 *   <li>the engine refusing the request itself — an unknown id (404), a value it cannot take (400), a change that
 *   lost against another (409), a business key that is taken (409), what the caller's groups do not allow (403);</li>
 *   <li>a body that is not JSON, or JSON of the wrong shape, a query parameter of the wrong type (400); an unknown
 *   resource, method or media type (404, 405, 415);</li>
 *   <li>anything else — the database gone, a bug — is a 500 with a plain sentence, logged with its stack trace.</li>
 * </ul>
 *
 * Registered for {@code /engine-rest} only ({@link EngineRestConflicts.JerseyConfig}); Tasklist's engine API keeps
 * Camunda's answers, which the web apps read.
 */
final class EngineRestErrors {
    private static final Logger log = LoggerFactory.getLogger(EngineRestErrors.class);
    /** "ENGINE-17007 " and the like: an engine message's code. */
    private static final Pattern ENGINE_CODE = Pattern.compile("\\bENGINE-\\d+\\s*");
    /** A fully qualified class name ({@code java.lang.Integer}, {@code org.camunda…Exception}): shortened to its simple name. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)");
    /** "SomethingException: " in front of a message: the class it came from, dropped. */
    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("^(?:[A-Za-z0-9_$]+(?:Exception|Error):\\s*)+");
    /** What gives away internals (SQL, schema, classes, parser positions); a detail holding it is replaced. */
    private static final Pattern INTERNALS = Pattern.compile("(?i)\\bsql|\\binsert\\s+into\\b|\\bselect\\b.*\\bfrom\\b"
            + "|\\bupdate\\s+\\S+\\s+set\\b|\\bdelete\\s+from\\b|constraint|\\bindex|exception|\\b(?:org|java|javax|jakarta|com)\\."
            + "|at \\[source|token `|\\tat ");
    /** How the engine says an id is unknown. */
    private static final Pattern NOT_FOUND = Pattern.compile(
            "(?i)\\b(does not exist|doesn't exist|not found|no such)\\b|\\bcannot find \\w+(?: \\w+)? with id\\b");

    private EngineRestErrors() {}

    /** The classes to register with the {@code /engine-rest} Jersey application. */
    static List<Class<?>> providers() {
        return List.of(
                AnyError.class,
                RestErrors.class,
                EngineErrors.class,
                JsonErrors.class,
                JsonSyntaxErrors.class,
                JsonShapeErrors.class,
                ProblemsOnly.class);
    }

    /** A problem-details body; anything else an error response carries is rewritten by {@link ProblemsOnly}. */
    static final class Problem extends LinkedHashMap<String, Object> {
        Problem(int status, String detail, Integer code) {
            putAll(Problems.body(status, detail, null));
            put("message", detail); // what Camunda's clients (and its external-task client) read
            if (code != null) {
                put("code", code);
            }
        }

        Response response() {
            return Response.status((int) get("status"))
                    .entity(this)
                    .type(MediaType.valueOf("application/problem+json"))
                    .build();
        }
    }

    static Response toResponse(Throwable e) {
        Problem problem = problem(e);
        int status = (int) problem.get("status");
        if (status >= 500) {
            log.error("/engine-rest request failed on the server", e);
        } else {
            log.debug("/engine-rest client error {}: {}", status, e.toString());
        }
        return problem.response();
    }

    static Problem problem(Throwable e) {
        TaskNoLongerOpenException lost = find(e, TaskNoLongerOpenException.class);
        if (lost != null) {
            return new Problem(lost.known() ? 409 : 404, lost.getMessage(), lost.getCode());
        }
        ConflictException conflict = find(e, ConflictException.class);
        if (conflict != null) {
            return new Problem(409, conflict.getMessage(), null);
        }
        SQLException sql = find(e, SQLException.class);
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
            return new Problem(409, "The request conflicts with data that exists already; nothing was changed.", null);
        }
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
            return new Problem(
                    400, "A value of the request does not fit (too long, or out of range); nothing was changed.", null);
        }
        if (e instanceof WebApplicationException web) {
            return web(web);
        }
        if (e instanceof JsonProcessingException json) {
            return new Problem(400, json(json), null);
        }
        if (e instanceof RestException rest) {
            int status = rest.getStatus() == null ? 500 : rest.getStatus().getStatusCode();
            Throwable cause = rest.getCause();
            if (status < 500) {
                return new Problem(status, detail(rest.getMessage(), status), code(cause));
            }
            // Camunda's resources wrap whatever the engine refused in a 500: decide by what the engine said
            if (cause instanceof ProcessEngineException engine) {
                Problem refused = engine(engine, rest.getMessage());
                if (refused != null) {
                    return refused;
                }
            }
            return internal();
        }
        if (e instanceof ProcessEngineException engine) {
            Problem refused = engine(engine, engine.getMessage());
            return refused != null ? refused : internal();
        }
        return internal();
    }

    /** The engine refusing a request (a client mistake), or {@code null} for a fault of the server. */
    private static Problem engine(ProcessEngineException e, String message) {
        Integer code = e.getCode();
        if (e instanceof AuthorizationException) {
            return new Problem(403, detail(message, 403), null);
        }
        if (e instanceof OptimisticLockingException) {
            return new Problem(
                    409,
                    "Someone else changed this meanwhile; nothing of yours was recorded. Reload and try again.",
                    code);
        }
        // a refusal of the engine's own has no cause outside the engine; one with a database or other cause is a fault
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (!(t instanceof ProcessEngineException)) {
                return null;
            }
        }
        boolean notFound = e instanceof org.camunda.bpm.engine.exception.NotFoundException
                || NOT_FOUND.matcher(String.valueOf(message)).find();
        boolean judged = notFound
                || e instanceof BadUserRequestException
                || e instanceof FormException
                || e.getClass().getName().startsWith("org.camunda.bpm.engine.");
        if (!judged) {
            return null; // a subclass of someone else's making, thrown by their code: not the engine judging the input
        }
        int status = notFound ? 404 : 400;
        return new Problem(status, detail(message, status), code);
    }

    private static Problem web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e instanceof ParamException param) {
            String name = param.getParameterName();
            return param instanceof ParamException.PathParamException
                    ? new Problem(404, "No such resource.", null)
                    : new Problem(400, "The parameter " + name + " has a value of the wrong type.", null);
        }
        if (status >= 500) {
            return internal();
        }
        return new Problem(
                status,
                switch (status) {
                    case 404 -> "No such resource.";
                    case 405 -> "This resource does not take the method used.";
                    case 406 -> "This resource cannot answer in the media type asked for.";
                    case 415 -> "Send the body as application/json.";
                    default -> detail(e.getMessage(), status);
                },
                null);
    }

    private static String json(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return "The request body has a value of the wrong type or shape at " + path + ".";
        }
        return e instanceof JsonParseException
                ? "The request body is not valid JSON."
                : "The request body does not have the shape this resource takes.";
    }

    /**
     * The engine's message, shown to the caller: without engine codes and class names, and replaced by a plain
     * sentence when it still gives away internals (SQL, indexes, stack traces).
     */
    static String detail(String message, int status) {
        String m = message == null ? "" : message.strip();
        m = ENGINE_CODE.matcher(m).replaceAll("");
        m = QUALIFIED.matcher(m).replaceAll("$1");
        m = EXCEPTION_PREFIX.matcher(m).replaceAll("");
        if (m.isBlank() || m.length() > 1000 || INTERNALS.matcher(m).find()) {
            return switch (status) {
                case 403 -> "Your groups do not allow this request.";
                case 404 -> "No such resource.";
                case 409 -> "The request conflicts with the current state; nothing was changed.";
                default -> "The request is not valid for this resource; nothing was changed.";
            };
        }
        return m;
    }

    private static Problem internal() {
        return new Problem(500, "The request failed on the server; it was logged.", null);
    }

    private static Integer code(Throwable cause) {
        return cause instanceof ProcessEngineException engine ? engine.getCode() : null;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    // One mapper per exception type Camunda (or Jersey's Jackson support) maps: Jersey picks the closest type, then
    // the highest priority, so each must be matched at its own type.

    @Priority(1)
    public static final class AnyError implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            return EngineRestErrors.toResponse(e);
        }
    }

    @Priority(1)
    public static final class RestErrors implements ExceptionMapper<RestException> {
        @Override
        public Response toResponse(RestException e) {
            return EngineRestErrors.toResponse(e);
        }
    }

    @Priority(1)
    public static final class EngineErrors implements ExceptionMapper<ProcessEngineException> {
        @Override
        public Response toResponse(ProcessEngineException e) {
            return EngineRestErrors.toResponse(e);
        }
    }

    @Priority(1)
    public static final class JsonErrors implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return EngineRestErrors.toResponse(e);
        }
    }

    @Priority(1)
    public static final class JsonSyntaxErrors implements ExceptionMapper<JsonParseException> {
        @Override
        public Response toResponse(JsonParseException e) {
            return EngineRestErrors.toResponse(e);
        }
    }

    @Priority(1)
    public static final class JsonShapeErrors implements ExceptionMapper<JsonMappingException> {
        @Override
        public Response toResponse(JsonMappingException e) {
            return EngineRestErrors.toResponse(e);
        }
    }

    /**
     * The last word on every error response: one that is not problem details yet (Camunda's {@link ExceptionDto}, a
     * plain-text message from a mapper that is not ours, an empty body) is rewritten as problem details; every one
     * gets the request's path as {@code instance}.
     */
    @Priority(1)
    public static final class ProblemsOnly implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            int status = response.getStatus();
            if (status < 400) {
                return;
            }
            String instance = request.getUriInfo().getRequestUri().getRawPath();
            if (response.getEntity() instanceof Problem problem) {
                problem.putIfAbsent("instance", instance);
                return;
            }
            Object entity = response.getEntity();
            String message =
                    entity instanceof ExceptionDto dto ? dto.getMessage() : entity instanceof String s ? s : null;
            Problem problem = status >= 500
                    ? internal()
                    : new Problem(
                            status, detail(message, status), entity instanceof ExceptionDto dto ? dto.getCode() : null);
            problem.put("instance", instance);
            response.setEntity(problem, response.getEntityAnnotations(), MediaType.valueOf("application/problem+json"));
        }
    }
}
