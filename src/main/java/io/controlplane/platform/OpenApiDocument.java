package io.controlplane.platform;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI 3.1 document of {@code /api} (springdoc, at {@code /v3/api-docs}; checked in as docs/openapi.yaml and
 * compared by {@code OpenApiDocumentTest}). springdoc reads the controllers; this adds what they do not say:
 * who may call each operation — generated from {@link ApiAccess#RULES}, the table {@link SecurityConfig} enforces, so
 * the document cannot drift from it —, the security schemes, and every error as {@code application/problem+json}
 * in the shape {@code ProblemDetailsAdvice} and the security layer answer.
 */
@Configuration
@ConditionalOnWebApplication
class OpenApiDocument {
    static final String BASIC = "basicAuth";
    static final String SLACK = "slackSignature";
    static final String PROBLEM = "ProblemDetail";
    static final String FIELD_ERROR = "FieldError";
    /** The extension naming the Camunda groups an operation admits ({@code []}: the request authenticates itself). */
    static final String GROUPS = "x-groups";

    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    /** The reusable error responses, by status. */
    private static final Map<String, String> ERRORS = new LinkedHashMap<>();

    static {
        ERRORS.put("400", "Bad input: `errors` names every bad field (`{field, message}`); nothing changed.");
        ERRORS.put("401", "No HTTP Basic credentials, or wrong ones (`WWW-Authenticate: Basic`).");
        ERRORS.put("403", "The caller's groups do not allow this request (see `x-groups`).");
        ERRORS.put("404", "No such resource.");
        ERRORS.put("413", "The request body is larger than 1 MiB.");
        ERRORS.put("500", "The request failed on the server; it was logged. No stack trace, SQL or class names.");
    }

    @Bean
    OpenAPI controlPlaneOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        Components components = new Components()
                .addSecuritySchemes(
                        BASIC,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("basic")
                                .description(
                                        "A Camunda user's id and password; the user's Camunda groups decide (`x-groups`)."))
                .addSecuritySchemes(
                        SLACK,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER)
                                .name("X-Slack-Signature")
                                .description(
                                        "Slack's v0 request signature: `v0=` HMAC-SHA256 of `v0:{X-Slack-Request-Timestamp}:"
                                                + "{raw body}` with the app's signing secret; a timestamp older than 5 minutes or in the"
                                                + " future, and a request seen before, are refused."))
                .addSchemas(
                        FIELD_ERROR,
                        object(
                                "One bad field of a request",
                                Map.of(
                                        "field",
                                                string(
                                                        "The field, as the request spelt it: `toolkits[0].slug`, a parameter's name"),
                                        "message", string("What is wrong with it")),
                                List.of("field", "message")))
                .addSchemas(PROBLEM, problemSchema());
        ERRORS.forEach((status, description) -> components.addResponses(status, problemResponse(description)));
        return new OpenAPI()
                .info(new Info()
                        .title("AI Employee Control Plane API")
                        .version(properties == null ? "unknown" : properties.getVersion())
                        .description("The control plane's own API (`/api`). Every operation takes HTTP Basic "
                                + "credentials of a Camunda user and admits only the groups in its `x-groups` "
                                + "(docs/security.md); reads also accept the session of a browser logged in to the "
                                + "Camunda web apps. Errors are RFC 9457 problem details. The agent contract — one JSON"
                                + " Schema per external-task topic for what a task carries and what its completion "
                                + "sends — is `GET /api/contract` and docs/contract/; the engine's own REST API "
                                + "(`/engine-rest`) is Camunda's.")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                // relative: the document names no host or port of the deployment that serves it
                .servers(List.of(new Server().url("/").description("this service")))
                .components(components)
                .addSecurityItem(new SecurityRequirement().addList(BASIC));
    }

    /**
     * Each operation's access rule, security and error responses, from the {@link ApiAccess} rule of its endpoint
     * (the handler method's mapping, spelt as the rules spell it: {@code GET /api/meetings/{id:\d+}}).
     */
    @Bean
    OperationCustomizer accessRules(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        return (operation, handler) -> {
            // the feature's package is the tag; the id is the class and method (springdoc's own ids are the bare
            // method names with _1, _2 … in scan order, which is not stable)
            Class<?> type = handler.getBeanType();
            operation.setTags(List.of(
                    type.getPackageName().substring(type.getPackageName().lastIndexOf('.') + 1)));
            io.swagger.v3.oas.annotations.Operation declared =
                    handler.getMethodAnnotation(io.swagger.v3.oas.annotations.Operation.class);
            if (declared == null || declared.operationId().isEmpty()) {
                operation.setOperationId(operationId(handler));
            }
            List<ApiAccess.Rule> rules = rulesOf(mappings, handler);
            if (rules.isEmpty()) {
                // deny by default: SecurityConfig refuses it to everyone, and ApiAccessMatrixTest fails the build
                operation.addExtension(GROUPS, List.of());
                operation.setDescription(join(
                        operation.getDescription(),
                        "**No access rule: refused to everyone** (add one to `ApiAccess.RULES`)."));
                return operation;
            }
            ApiAccess.Rule rule = rules.get(0);
            operation.addExtension(GROUPS, List.copyOf(rule.groups()));
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            operation.setResponses(responses);
            if (rule.open()) {
                operation.setSecurity(List.of(new SecurityRequirement().addList(SLACK)));
                operation.setDescription(join(
                        operation.getDescription(),
                        "**Who:** a request Slack signed " + "(no HTTP Basic credentials: Slack cannot send them)."));
                error(responses, "401", "Not a signed Slack request, or its signature or timestamp is wrong.");
            } else {
                operation.setSecurity(List.of(new SecurityRequirement().addList(BASIC)));
                operation.setDescription(join(
                        operation.getDescription(),
                        "**Who:** HTTP Basic as a member of "
                                + String.join(
                                        ", ",
                                        rule.groups().stream()
                                                .map(g -> "`" + g + "`")
                                                .toList())
                                + "; other groups get 403."));
                ref(responses, "401");
                ref(responses, "403");
            }
            boolean body = operation.getRequestBody() != null;
            if (body
                    || operation.getParameters() != null
                            && !operation.getParameters().isEmpty()) {
                ref(responses, "400");
            }
            if (rule.pattern().contains("{")) {
                ref(responses, "404");
            }
            if (body) {
                ref(responses, "413");
            }
            ref(responses, "500");
            // an error a controller declares (@ApiResponse(responseCode = "409", description = …)): problem
            // details, as every error of /api is, whatever springdoc guessed from the handler's return type
            responses.forEach((status, response) -> {
                if (status.charAt(0) >= '4' && response.get$ref() == null) {
                    response.setContent(new Content()
                            .addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM))));
                }
            });
            return operation;
        };
    }

    /**
     * Schema names and response order. springdoc names schemas by their class ({@code springdoc.use-fqn}: the full
     * name, since a simple name such as {@code Report} or {@code Page} is several records, and springdoc would keep one
     * of them silently); here the package goes and a nested record keeps its enclosing class:
     * {@code LegacyMigrations.Report}, {@code TelemetryAudit.Report}. Responses in status order, so the same code
     * gives the same document byte for byte.
     */
    @Bean
    OpenApiCustomizer schemaNamesAndStatusOrder() {
        return api -> {
            Map<String, String> renamed = new TreeMap<>();
            if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
                Map<String, Schema> schemas = new TreeMap<>();
                api.getComponents().getSchemas().forEach((name, schema) -> {
                    String shortName = shortName(name);
                    if (schemas.containsKey(shortName)) {
                        throw new IllegalStateException(
                                "Two schemas would be named " + shortName + ": " + name + " and "
                                        + renamed.entrySet().stream()
                                                .filter(e -> e.getValue().equals(shortName))
                                                .findFirst()
                                                .map(Map.Entry::getKey)
                                                .orElse(shortName));
                    }
                    renamed.put(name, shortName);
                    schemas.put(shortName, schema);
                });
                api.getComponents().setSchemas(new LinkedHashMap<>(schemas));
            }
            SchemaRefs refs = new SchemaRefs(renamed);
            if (api.getComponents() != null) {
                refs.visitSchemas(api.getComponents().getSchemas());
                if (api.getComponents().getResponses() != null) {
                    api.getComponents().getResponses().values().forEach(refs::visit);
                }
            }
            if (api.getPaths() != null) {
                api.getPaths()
                        .values()
                        .forEach(path -> path.readOperations().forEach(op -> {
                            if (op.getParameters() != null) {
                                op.getParameters().forEach(p -> {
                                    refs.visit(p.getSchema());
                                    refs.visit(p.getContent());
                                });
                            }
                            if (op.getRequestBody() != null) {
                                refs.visit(op.getRequestBody().getContent());
                            }
                            if (op.getResponses() != null) {
                                op.getResponses().values().forEach(refs::visit);
                                ApiResponses sorted = new ApiResponses();
                                new TreeMap<>(op.getResponses()).forEach(sorted::addApiResponse);
                                op.setResponses(sorted);
                            }
                        }));
            }
        };
    }

    /**
     * {@code io.controlplane.legacy.LegacyMigrations.Report} → {@code LegacyMigrations.Report}: the package (the
     * lower-case segments) goes, the enclosing classes stay.
     */
    static String shortName(String name) {
        String[] parts = name.replace('$', '.').split("\\.");
        int first = 0;
        while (first < parts.length - 1 && !parts[first].isEmpty() && Character.isLowerCase(parts[first].charAt(0))) {
            first++;
        }
        return String.join(".", Arrays.copyOfRange(parts, first, parts.length));
    }

    /** Rewrites every {@code $ref} to a renamed schema, wherever a schema can sit. */
    private record SchemaRefs(Map<String, String> renamed, Set<Object> seen) {
        private static final String PREFIX = "#/components/schemas/";

        SchemaRefs(Map<String, String> renamed) {
            this(renamed, Collections.newSetFromMap(new IdentityHashMap<>()));
        }

        void visit(ApiResponse response) {
            if (response != null) {
                visit(response.getContent());
                if (response.getHeaders() != null) {
                    response.getHeaders().values().forEach(h -> {
                        visit(h.getSchema());
                        visit(h.getContent());
                    });
                }
            }
        }

        void visit(Content content) {
            if (content != null) {
                content.values().forEach(m -> visit(m.getSchema()));
            }
        }

        void visitSchemas(Map<String, Schema> schemas) {
            if (schemas != null) {
                schemas.values().forEach(this::visit);
            }
        }

        @SuppressWarnings("unchecked")
        void visit(Schema<?> schema) {
            if (schema == null || !seen.add(schema)) {
                return;
            }
            String ref = schema.get$ref();
            if (ref != null && ref.startsWith(PREFIX) && renamed.containsKey(ref.substring(PREFIX.length()))) {
                schema.set$ref(PREFIX + renamed.get(ref.substring(PREFIX.length())));
            }
            visitSchemas(schema.getProperties());
            visitSchemas(schema.getPatternProperties());
            visitSchemas(schema.getDependentSchemas());
            visit(schema.getItems());
            visit(schema.getNot());
            visit(schema.getContains());
            visit(schema.getIf());
            visit(schema.getThen());
            visit(schema.getElse());
            visit(schema.getPropertyNames());
            visit(schema.getUnevaluatedProperties());
            if (schema.getAdditionalProperties() instanceof Schema<?> additional) {
                visit(additional);
            }
            for (List<Schema> list :
                    Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf(), schema.getPrefixItems())) {
                if (list != null) {
                    list.forEach(this::visit);
                }
            }
        }
    }

    /** {@code MissionController.list} → {@code missionList}; a nested controller is named by its enclosing class. */
    static String operationId(HandlerMethod handler) {
        Class<?> type = handler.getBeanType();
        while (type.getEnclosingClass() != null) {
            type = type.getEnclosingClass();
        }
        String name = type.getSimpleName().replaceAll("Controller$", "");
        String method = handler.getMethod().getName();
        return Character.toLowerCase(name.charAt(0))
                + name.substring(1)
                + Character.toUpperCase(method.charAt(0))
                + method.substring(1);
    }

    /** The {@link ApiAccess} rules of the endpoints a handler method is mapped to. */
    static List<ApiAccess.Rule> rulesOf(RequestMappingHandlerMapping mappings, HandlerMethod handler) {
        List<ApiAccess.Rule> rules = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e :
                mappings.getHandlerMethods().entrySet()) {
            if (!e.getValue().getMethod().equals(handler.getMethod())) {
                continue;
            }
            RequestMappingInfo info = e.getKey();
            Set<String> patterns = info.getPathPatternsCondition() != null
                    ? info.getPathPatternsCondition().getPatternValues()
                    : info.getPatternValues();
            for (String pattern : patterns) {
                info.getMethodsCondition()
                        .getMethods()
                        .forEach(m -> ApiAccess.RULES.stream()
                                .filter(r -> r.key().equals(m.name() + " " + pattern))
                                .forEach(rules::add));
            }
        }
        return rules;
    }

    private static Schema<?> problemSchema() {
        Map<String, Schema<?>> properties = new LinkedHashMap<>();
        properties.put(
                "type",
                string("A URI naming the kind of problem: `https://controlplane.io/problems/{kind}` "
                                + "(`validation`, `unreadable`, `not-found`, `forbidden`, `conflict`, `too-large`, `internal`, …; "
                                + "docs/api.md), or `about:blank` where the status says it all")
                        .format("uri"));
        properties.put("title", string("The status's reason phrase"));
        properties.put("status", new JsonSchema().types(Set.of("integer")).description("The HTTP status"));
        properties.put("detail", string("What went wrong, for a person"));
        properties.put("instance", string("The request path").format("uri-reference"));
        properties.put(
                "errors",
                new JsonSchema()
                        .types(Set.of("array"))
                        .items(new Schema<>().$ref(FIELD_ERROR))
                        .description("Every bad field of the request, for a 400"));
        Schema<?> problem = object(
                "RFC 9457 problem details. Some answers add members of their own (a refused "
                        + "legacy migration its `instances`, an invalid plan its `failures`).",
                properties,
                List.of("type", "title", "status"));
        problem.setAdditionalProperties(true);
        return problem;
    }

    private static Schema<?> object(String description, Map<String, Schema<?>> properties, List<String> required) {
        Schema<?> schema = new JsonSchema().types(Set.of("object")).description(description);
        new TreeMap<>(properties).forEach(schema::addProperty);
        schema.setRequired(required);
        return schema;
    }

    private static Schema<?> string(String description) {
        return new JsonSchema().types(Set.of("string")).description(description);
    }

    private static ApiResponse problemResponse(String description) {
        return new ApiResponse()
                .description(description)
                .content(
                        new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM))));
    }

    private static void ref(ApiResponses responses, String status) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().$ref(status));
        }
    }

    private static void error(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, problemResponse(description));
        }
    }

    private static String join(String description, String more) {
        return description == null || description.isBlank() ? more : description + "\n\n" + more;
    }
}
