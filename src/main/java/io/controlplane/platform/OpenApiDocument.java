package io.controlplane.platform;

import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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

    /** The frame: info, server, security schemes, the problem schemas and error responses (OpenApiComponents). */
    @Bean
    OpenAPI controlPlaneOpenApi(ObjectProvider<BuildProperties> build) {
        return OpenApiComponents.document(build.getIfAvailable());
    }

    /**
     * Each operation's access rule, security and error responses, from the {@link ApiAccess} rule of its endpoint
     * (the handler method's mapping, spelt as the rules spell it: {@code GET /api/meetings/{id:\d+}}).
     */
    @Bean
    OperationCustomizer accessRules(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        return new OpenApiAccessRules(mappings)::customize;
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
        return OpenApiSchemaNames::apply;
    }
}
