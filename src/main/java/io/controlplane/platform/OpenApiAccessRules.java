package io.controlplane.platform;

import static io.controlplane.platform.OpenApiDocument.BASIC;
import static io.controlplane.platform.OpenApiDocument.GROUPS;
import static io.controlplane.platform.OpenApiDocument.PROBLEM;
import static io.controlplane.platform.OpenApiDocument.PROBLEM_JSON;
import static io.controlplane.platform.OpenApiDocument.SLACK;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * What {@link OpenApiDocument} adds to each operation from the {@link ApiAccess} rule of its endpoint: the tag and a
 * stable id, who may call it ({@code x-groups}, the security scheme, a line of the description) and its error
 * responses as problem details.
 */
final class OpenApiAccessRules {
    private final RequestMappingHandlerMapping mappings;

    OpenApiAccessRules(RequestMappingHandlerMapping mappings) {
        this.mappings = mappings;
    }

    Operation customize(Operation operation, HandlerMethod handler) {
        // the feature's package is the tag; the id is the class and method (springdoc's own ids are the bare
        // method names with _1, _2 … in scan order, which is not stable)
        Class<?> type = handler.getBeanType();
        operation.setTags(
                List.of(type.getPackageName().substring(type.getPackageName().lastIndexOf('.') + 1)));
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
        who(operation, responses, rule);
        errors(operation, responses, rule);
        return operation;
    }

    /** The security scheme and the description's "Who:" line, with the 401 (and 403) they imply. */
    private static void who(Operation operation, ApiResponses responses, ApiAccess.Rule rule) {
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
    }

    /** The errors the operation can answer besides who may call it, each as problem details. */
    private static void errors(Operation operation, ApiResponses responses, ApiAccess.Rule rule) {
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
                response.setContent(
                        new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM))));
            }
        });
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

    private static void ref(ApiResponses responses, String status) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().$ref(status));
        }
    }

    private static void error(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, OpenApiComponents.problemResponse(description));
        }
    }

    private static String join(String description, String more) {
        return description == null || description.isBlank() ? more : description + "\n\n" + more;
    }
}
