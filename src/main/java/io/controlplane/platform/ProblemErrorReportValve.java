package io.controlplane.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Errors Tomcat answers itself, before any servlet runs (an encoded slash or NUL in the path, a malformed request
 * line), as problem details for {@code /api/**} instead of Tomcat's HTML page; other paths keep the plain report.
 */
public class ProblemErrorReportValve extends ErrorReportValve {
    /** Tomcat creates the valve itself (by class name): no Spring bean to ask for the application's mapper. */
    private static final ObjectMapper JSON = new ObjectMapper();

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        String uri = request.getCoyoteRequest().requestURI().toString();
        if (status < 400 || response.getContentWritten() > 0 || uri == null || !uri.startsWith("/api/")) {
            super.report(request, response, throwable);
            return;
        }
        if (!response.setErrorReported()) {
            return;
        }
        // Tomcat refused the request line or the path itself: the request never reached a servlet
        // (the path as sent, as JSON text and cut short: it is what Tomcat refused, so it may be anything)
        String instance = uri.length() > 1000 ? uri.substring(0, 1000) : uri;
        Map<String, Object> body = status == 400
                ? Problems.body(Problems.Type.REJECTED_REQUEST, "The request could not be read.", instance)
                : Problems.body(status, "The request could not be read.", instance);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(body));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response already went out: nothing more to say
        }
    }

    /** Installs the valve on the host, innermost, so it reports before Spring Boot's plain ErrorReportValve. */
    @Configuration
    @ConditionalOnWebApplication
    @ConditionalOnClass(TomcatServletWebServerFactory.class)
    static class Installer {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
            class Customizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
                @Override
                public int getOrder() {
                    // after Spring Boot's own Tomcat customizers, which add their ErrorReportValve
                    return Ordered.LOWEST_PRECEDENCE;
                }

                @Override
                public void customize(TomcatServletWebServerFactory factory) {
                    factory.addContextCustomizers(context -> {
                        var pipeline = context.getParent().getPipeline();
                        for (Valve valve : pipeline.getValves()) {
                            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                                pipeline.removeValve(valve);
                            }
                        }
                        pipeline.addValve(new ProblemErrorReportValve());
                        // and the host, which would otherwise add its default valve innermost when it starts
                        if (context.getParent() instanceof StandardHost host) {
                            host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                        }
                    });
                }
            }
            return new Customizer();
        }
    }
}
