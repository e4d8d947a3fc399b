package io.controlplane.journey;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.platform.Problems;
import io.controlplane.platform.Roles;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The HTTP half of least privilege on Camunda's generic API (the engine half is {@link EngineGuard}): the operations
 * each group may call on {@code /engine-rest} and on the engine API the web apps use
 * ({@code /camunda/api/engine/engine/{name}}). Anything not listed is refused with 403 before Camunda sees it;
 * administrators ({@code camunda-admin}) are not restricted. The rules:
 * <ul>
 *   <li>agents ({@code ai-agent}): fetch-and-lock, and complete, failure, BPMN error and extend lock on an external
 *       task — nothing else, not even reads (unlock names no worker: it would release another worker's lock);</li>
 *   <li>people (the operating roles): every read ({@code GET}, and {@code POST} on Camunda's query resources), task
 *       completion, form submission, claim, unclaim, assignee and comments, starting a process from its start form;
 *       operations command also retries failed jobs and external tasks (Cockpit's Retry).</li>
 * </ul>
 * Camunda's authorizations and the engine guard still decide each call the list lets through.
 */
@Configuration
@ConditionalOnWebApplication
public class EngineRestAllowList {

    private static final String ID = "[^/]+";
    /** Camunda's query resources that take their filter as a POST body. */
    private static final Pattern QUERY = Pattern.compile("/(task|process-instance|variable-instance|external-task|job"
            + "|execution|incident|process-definition|decision-definition|deployment|case-instance|event-subscription"
            + "|job-definition|batch)(/count)?|/history/(?!cleanup)[a-z-]+(/count)?|/filter/" + ID
            + "/(list|count|singleResult)");

    record Rule(String method, Pattern path) {
        boolean matches(String m, String p) {
            return method.equals(m) && path.matcher(p).matches();
        }
    }

    private static Rule rule(String method, String regex) {
        return new Rule(method, Pattern.compile(regex.replace("{id}", ID)));
    }

    static final List<Rule> AGENT = List.of(
            rule("POST", "/external-task/fetchAndLock"),
            rule("POST", "/external-task/{id}/(complete|failure|bpmnError|extendLock)"));

    static final List<Rule> PEOPLE = List.of(
            rule("POST", "/task/{id}/(complete|submit-form|claim|unclaim|assignee|comment/create)"),
            rule("POST", "/process-definition/(key/{id}(/tenant-id/{id})?|{id})/(start|submit-form)"));

    static final List<Rule> OPERATIONS = List.of(
            rule("PUT", "/job/{id}/retries"),
            rule("POST", "/job/retries"),
            rule("PUT", "/external-task/{id}/retries"),
            rule("PUT", "/external-task/retries"),
            rule("POST", "/external-task/retries-async"));

    /** Where an engine API path starts, after the prefix of each door. */
    // Camunda's REST API also serves every resource below /engine/{name}: the same rules apply there
    private static final Pattern DOORS =
            Pattern.compile("^(/engine-rest(?:/engine/[^/]+)?|/camunda/api/engine/engine/[^/]+)(/.*)?$");

    /** Whether {@code groups} may call {@code method path} (the path below the door's prefix). */
    static boolean allowed(Set<String> groups, String method, String path) {
        if (groups.contains(Roles.ADMIN)) {
            return true;
        }
        if (groups.contains(EngineGuard.AGENT_GROUP) && AGENT.stream().anyMatch(r -> r.matches(method, path))) {
            return true;
        }
        boolean person = Roles.OPERATING_ROLES.stream().anyMatch(groups::contains);
        if (!person) {
            return false;
        }
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return true;
        }
        if (method.equals("POST") && QUERY.matcher(path).matches()) {
            return true;
        }
        if (PEOPLE.stream().anyMatch(r -> r.matches(method, path))) {
            return true;
        }
        return groups.contains(Roles.OPERATIONS_COMMAND) && OPERATIONS.stream().anyMatch(r -> r.matches(method, path));
    }

    /**
     * A percent-encoded letter, digit or {@code - . _ ~} in a path: RFC 3986 says they are never encoded, and Spring's
     * and Camunda's path matching disagree about them (a 500, or a path that dodges a rule). Refused with 400 before
     * anything else looks at the request.
     */
    private static final Pattern ENCODED_UNRESERVED =
            Pattern.compile("%(?i:3[0-9]|[46][1-9a-f]|[57][0-9a]|2d|2e|5f|7e)");

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> encodedUnreservedCharacters(ObjectMapper json) {
        FilterRegistrationBean<OncePerRequestFilter> registration =
                new FilterRegistrationBean<>(new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(
                            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                            throws ServletException, IOException {
                        if (ENCODED_UNRESERVED.matcher(request.getRequestURI()).find()) {
                            Problems.write(
                                    json,
                                    request,
                                    response,
                                    Problems.Type.REJECTED_REQUEST,
                                    "The path percent-encodes a character that is never encoded.");
                            return;
                        }
                        chain.doFilter(request, response);
                    }
                });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<Filter> engineRestAllowListFilter(ObjectMapper json) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Filter(json));
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
        // after Spring Security (which authenticates /engine-rest), before Camunda's own servlets
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        return registration;
    }

    static final class Filter extends OncePerRequestFilter {
        private final ObjectMapper json;

        Filter(ObjectMapper json) {
            this.json = json;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            var door = DOORS.matcher(
                    request.getRequestURI().substring(request.getContextPath().length()));
            if (!door.matches()) {
                chain.doFilter(request, response);
                return;
            }
            String path = door.group(2) == null ? "/" : door.group(2).replaceAll("/+$", "");
            Caller caller = caller(request);
            if (caller == null) {
                chain.doFilter(request, response); // not logged in: Camunda answers 401 itself
                return;
            }
            if (!allowed(caller.groups(), request.getMethod(), path.isEmpty() ? "/" : path)) {
                logger.warn("Refused " + request.getMethod() + " " + path + " to " + caller.user()
                        + ": not on the allow-list of its groups");
                Problems.write(
                        json,
                        request,
                        response,
                        Problems.Type.FORBIDDEN,
                        request.getMethod() + " " + path
                                + " is not an operation your groups may call on the engine API (docs/security.md).");
                return;
            }
            chain.doFilter(EmptyBody.orEmptyObject(request, path), response);
        }

        record Caller(String user, Set<String> groups) {}

        /** The Basic-authenticated user of /engine-rest, or the web apps' session user. */
        private static Caller caller(HttpServletRequest request) {
            if (request.getRequestURI().startsWith(request.getContextPath() + "/engine-rest")) {
                Authentication auth = SecurityContextHolder.getContext().getAuthentication();
                if (auth == null || !auth.isAuthenticated() || auth.getName() == null) {
                    return null;
                }
                Set<String> groups = new HashSet<>();
                for (GrantedAuthority a : auth.getAuthorities()) {
                    if (a.getAuthority().startsWith("GROUP_")) {
                        groups.add(a.getAuthority().substring("GROUP_".length()));
                    }
                }
                return new Caller(auth.getName(), groups);
            }
            HttpSession session = request.getSession(false);
            Authentications authentications = session == null ? null : AuthenticationUtil.getAuthsFromSession(session);
            if (authentications == null) {
                return null;
            }
            String engine = request.getRequestURI()
                    .substring(request.getContextPath().length())
                    .replaceFirst("^/camunda/api/engine/engine/([^/]+).*$", "$1");
            if (authentications.getAuthenticationForProcessEngine(engine) instanceof UserAuthentication user) {
                return new Caller(
                        user.getIdentityId(),
                        new HashSet<>(user.getGroupIds() == null ? List.of() : user.getGroupIds()));
            }
            return null;
        }
    }
}
