package io.controlplane.platform;

import jakarta.annotation.Priority;
import jakarta.servlet.ServletRegistration;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.camunda.bpm.spring.boot.starter.rest.CamundaJerseyResourceConfig;
import org.camunda.bpm.webapp.impl.engine.EngineRestApplication;
import org.glassfish.jersey.servlet.ServletContainer;
import org.glassfish.jersey.spi.ExtendedExceptionMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A task completion that lost a race ({@link TaskNoLongerOpenException}) answers 409 Conflict (404 for an unknown
 * task): on the engine API Tasklist calls ({@code /camunda/api/engine}) with Camunda's error body ({@code type},
 * {@code message}, {@code code}), through the mappers here; on {@code /engine-rest} as problem details, through
 * {@link EngineRestErrors}, which answers every other error there too. Camunda's own REST resources wrap every engine
 * exception of a completion into a 500; these mappers, preferred over Camunda's for this one cause only, correct that.
 */
@Configuration
@ConditionalOnWebApplication
class EngineRestConflicts {

    /**
     * {@code /engine-rest}: Camunda's resources plus our error mappers (Camunda's documented extension point), which
     * answer every error as problem details, lost races as 409 among them ({@link EngineRestErrors}).
     */
    @ApplicationPath("/engine-rest")
    static class JerseyConfig extends CamundaJerseyResourceConfig {
        @Override
        protected void registerAdditionalResources() {
            EngineRestErrors.providers().forEach(this::register);
        }
    }

    @Bean
    JerseyConfig engineRestJerseyConfig() {
        return new JerseyConfig();
    }

    /** Tasklist's engine API: the same application Camunda registers, with the conflict mappers added. */
    public static class TasklistEngineApplication extends EngineRestApplication {
        @Override
        public Set<Class<?>> getClasses() {
            Set<Class<?>> classes = new HashSet<>(super.getClasses());
            classes.add(WrappedConflictMapper.class);
            classes.add(ConflictMapper.class);
            classes.add(WrappedRefusalMapper.class);
            classes.add(InputRefusalMapper.class);
            return classes;
        }
    }

    /**
     * Registers Tasklist's "Engine Api" servlet before Camunda's web app initializer does (it keeps a servlet that is
     * already registered under its name), with the same mapping and our application class.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ServletContextInitializer tasklistEngineApi(CamundaBpmProperties camunda) {
        String webappPath = camunda.getWebapp().getApplicationPath();
        return servletContext -> {
            ServletRegistration.Dynamic api = servletContext.addServlet("Engine Api", ServletContainer.class);
            if (api != null) {
                api.addMapping(webappPath + "/api/engine/*");
                api.setInitParameters(Map.of("jakarta.ws.rs.Application", TasklistEngineApplication.class.getName()));
            }
        };
    }

    static Response conflict(TaskNoLongerOpenException e) {
        ExceptionDto dto = ExceptionDto.fromException(e);
        dto.setCode(e.getCode());
        return Response.status(e.known() ? Response.Status.CONFLICT : Response.Status.NOT_FOUND)
                .entity(dto)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    /** What Camunda's task resources throw: a {@link RestException} (status 500) wrapping the engine's exception. */
    @Priority(1) // preferred over Camunda's RestExceptionHandler for the exceptions it claims
    public static class WrappedConflictMapper implements ExtendedExceptionMapper<RestException> {
        @Override
        public boolean isMappable(RestException e) {
            return e.getCause() instanceof TaskNoLongerOpenException;
        }

        @Override
        public Response toResponse(RestException e) {
            return conflict((TaskNoLongerOpenException) e.getCause());
        }
    }

    /** The engine's exception as it is, from resources that do not wrap it. */
    @Priority(1) // preferred over Camunda's ProcessEngineExceptionHandler for the exceptions it claims
    public static class ConflictMapper implements ExtendedExceptionMapper<ProcessEngineException> {
        @Override
        public boolean isMappable(ProcessEngineException e) {
            return e instanceof TaskNoLongerOpenException;
        }

        @Override
        public Response toResponse(ProcessEngineException e) {
            return conflict((TaskNoLongerOpenException) e);
        }
    }

    /**
     * Some of Camunda's resources (process start, external-task completion) wrap every engine exception into a 500;
     * a refused input (the step contract, a form field) is the client's mistake (400) and a refused operation (the
     * engine guard, segregation of duties) a 403, whichever resource it came through.
     */
    @Priority(1)
    public static class WrappedRefusalMapper implements ExtendedExceptionMapper<RestException> {
        @Override
        public boolean isMappable(RestException e) {
            return e.getCause() instanceof FormFieldValidationException
                    || e.getCause() instanceof AuthorizationException;
        }

        @Override
        public Response toResponse(RestException e) {
            ExceptionDto dto = ExceptionDto.fromException(e.getCause());
            dto.setType(
                    e.getCause() instanceof AuthorizationException
                            ? "AuthorizationException"
                            : "InvalidRequestException");
            return Response.status(
                            e.getCause() instanceof AuthorizationException
                                    ? Response.Status.FORBIDDEN
                                    : Response.Status.BAD_REQUEST)
                    .entity(dto)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
    }

    /** A refused input thrown as it is (e.g. by an external-task completion): 400, not Camunda's 500. */
    @Priority(1)
    public static class InputRefusalMapper implements ExtendedExceptionMapper<ProcessEngineException> {
        @Override
        public boolean isMappable(ProcessEngineException e) {
            return e instanceof FormFieldValidationException;
        }

        @Override
        public Response toResponse(ProcessEngineException e) {
            ExceptionDto dto = ExceptionDto.fromException(e);
            dto.setType("InvalidRequestException");
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(dto)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
    }
}
