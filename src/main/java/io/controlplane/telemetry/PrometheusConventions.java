package io.controlplane.telemetry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the framework's meters at {@code /actuator/prometheus} pass {@code promtool check metrics} (issue #15), as
 * the control plane's own do: every family has help text, a snake_case name, seconds rather than abbreviated units,
 * and no {@code _count} suffix outside histograms. PrometheusConventionsTest runs promtool over the scrape, so a
 * dependency upgrade that brings a new meter without help text shows there.
 */
@Configuration(proxyBeanMethods = false)
class PrometheusConventions {
    /**
     * Help text for meters their libraries register without one: Spring's observations (HTTP server and client,
     * Spring Security, {@code @Scheduled}) and Tomcat's sessions. By exact meter name, so that nothing gets a
     * made-up description.
     */
    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("http.server.requests", "HTTP requests the service answered, by method, URI template and status"),
            Map.entry("http.server.requests.active", "HTTP requests the service is answering now"),
            Map.entry("http.client.requests", "HTTP requests the service made (PagerDuty events), by host and status"),
            Map.entry("http.client.requests.active", "HTTP requests the service is making now"),
            Map.entry("spring.security.authentications", "Authentications (HTTP Basic, web app logins) by result"),
            Map.entry("spring.security.authentications.active", "Authentications in progress"),
            Map.entry("spring.security.authorizations", "Authorization decisions on requests and methods"),
            Map.entry("spring.security.authorizations.active", "Authorization decisions in progress"),
            Map.entry("spring.security.filterchains", "Requests through the security filter chain, before and after"),
            Map.entry("spring.security.filterchains.active", "Requests in the security filter chain now"),
            Map.entry("spring.security.http.secured.requests", "Requests the security filter chain let through"),
            Map.entry("spring.security.http.secured.requests.active", "Requests past the security filter chain now"),
            Map.entry("tasks.scheduled.execution", "Runs of scheduled tasks (simulated agent, on-call hand-off)"),
            Map.entry("tasks.scheduled.execution.active", "Scheduled tasks running now"),
            Map.entry("tomcat.sessions.active.current", "HTTP sessions (web app logins) open on this replica"),
            Map.entry("tomcat.sessions.active.max", "Most HTTP sessions open at once on this replica"),
            Map.entry("tomcat.sessions.alive.max", "Longest an expired HTTP session had lived"),
            Map.entry("tomcat.sessions.created", "HTTP sessions created on this replica"),
            Map.entry("tomcat.sessions.expired", "HTTP sessions expired on this replica"),
            Map.entry("tomcat.sessions.rejected", "HTTP sessions refused because the most allowed were open"));

    @Bean
    MeterFilter prometheusNamingAndHelp() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                // "_count" belongs to histograms and summaries; a gauge named so reads as one
                if (id.getName().equals("system.cpu.count")) {
                    id = id.withName("system.cpu.processors");
                }
                String help = HELP.get(id.getName());
                if (id.getDescription() == null && help != null) {
                    return new Meter.Id(
                            id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help, id.getType());
                }
                return id;
            }

            @Override
            public MeterFilterReply accept(Meter.Id id) {
                // Spring Security counts every filter's "before" and "after" event as a counter named after the
                // filter's class (spring_security_filterchains_BodySizeLimit_before_total: camelCase, no help):
                // the filterchains timer already counts the requests, by chain position
                if (id.getType() == Meter.Type.COUNTER && id.getName().startsWith("spring.security.filterchains.")) {
                    return MeterFilterReply.DENY;
                }
                // in nanoseconds and milliseconds (process_cpu_time_ns_total, jvm_compilation_time_ms_total);
                // secondsInsteadOfAbbreviatedUnits() registers them in seconds
                if (id.getName().equals("process.cpu.time") && "ns".equals(id.getBaseUnit())
                        || id.getName().equals("jvm.compilation.time") && "ms".equals(id.getBaseUnit())) {
                    return MeterFilterReply.DENY;
                }
                return MeterFilterReply.NEUTRAL;
            }
        };
    }

    /** The process's CPU time and the JIT's compile time, in seconds: process_cpu_seconds_total as Prometheus names it. */
    @Bean
    MeterBinder secondsInsteadOfAbbreviatedUnits() {
        return registry -> {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
                FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / 1e9)
                        .baseUnit("seconds")
                        .description("CPU time the JVM process has used")
                        .register(registry);
            }
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
                FunctionCounter.builder("jvm.compilation.time", jit, b -> b.getTotalCompilationTime() / 1e3)
                        .baseUnit("seconds")
                        .description("Time the JIT compiler has spent compiling")
                        .tag("compiler", String.valueOf(jit.getName()))
                        .register(registry);
            }
        };
    }
}
