package io.controlplane.platform;

import static io.controlplane.platform.OpenApiDocument.BASIC;
import static io.controlplane.platform.OpenApiDocument.FIELD_ERROR;
import static io.controlplane.platform.OpenApiDocument.PROBLEM;
import static io.controlplane.platform.OpenApiDocument.PROBLEM_JSON;
import static io.controlplane.platform.OpenApiDocument.SLACK;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.info.BuildProperties;

/**
 * The document's frame for {@link OpenApiDocument}: its info and server, the two security schemes, the problem
 * details and field error schemas, and the reusable error responses every operation refers to.
 */
final class OpenApiComponents {
    private OpenApiComponents() {}

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

    static OpenAPI document(BuildProperties properties) {
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
                .components(components())
                .addSecurityItem(new SecurityRequirement().addList(BASIC));
    }

    private static Components components() {
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
        return components;
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

    static ApiResponse problemResponse(String description) {
        return new ApiResponse()
                .description(description)
                .content(
                        new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM))));
    }
}
