package io.controlplane.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.Tenant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic against Camunda's own users and groups for {@code /api/**}, {@code /engine-rest/**} and the OpenAPI
 * document ({@code /v3/api-docs}); each
 * {@code /api} endpoint is open to the groups {@link ApiAccess} names, and no other. The Camunda web apps keep their
 * own session login and CSRF protection (docs/security.md). Requests to {@code /engine-rest} run with the caller's
 * Camunda authentication so the engine's authorizations apply to them.
 */
@Configuration
// without a web server (the jar's one-shot commands, see io.controlplane.Commands) there is no HTTP to secure
@ConditionalOnWebApplication
class SecurityConfig {

    /** Authorities carry the Camunda group ids with this prefix, e.g. {@code GROUP_mission-owner}. */
    static final String GROUP_PREFIX = "GROUP_";

    @Bean
    AuthenticationProvider camundaIdentityAuthenticationProvider(IdentityService identityService) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                String user = authentication.getName();
                Object credentials = authentication.getCredentials();
                if (user == null
                        || credentials == null
                        || !identityService.checkPassword(user, credentials.toString())) {
                    throw new BadCredentialsException("Unknown user or wrong password");
                }
                List<SimpleGrantedAuthority> authorities =
                        identityService.createGroupQuery().groupMember(user).list().stream()
                                .map(g -> new SimpleGrantedAuthority(GROUP_PREFIX + g.getId()))
                                .toList();
                return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
            }

            @Override
            public boolean supports(Class<?> type) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
            }
        };
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, IdentityService identityService, ObjectMapper json)
            throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"control-plane\"");
            Problems.write(
                    json,
                    request,
                    response,
                    Problems.Type.UNAUTHORIZED,
                    "Send HTTP Basic credentials of a Camunda user.");
        };
        AccessDeniedHandler forbidden = (request, response, e) -> Problems.write(
                json, request, response, Problems.Type.FORBIDDEN, "Your groups do not allow this request.");
        return http
                // path matchers, not MVC matchers: /engine-rest is Camunda's Jersey servlet, not a Spring MVC handler
                .securityMatcher(new OrRequestMatcher(Stream.concat(
                                Stream.of("/api/**", "/engine-rest/**", "/actuator/prometheus"),
                                ApiAccess.API_DOCUMENT_PATHS.stream())
                        .map(p -> (RequestMatcher)
                                PathPatternRequestMatcher.withDefaults().matcher(p))
                        .toList()))
                .authorizeHttpRequests(auth -> {
                    // every /api endpoint by its rule in ApiAccess; one no rule names is refused (deny by default)
                    for (ApiAccess.Rule rule : ApiAccess.rules()) {
                        var matcher = PathPatternRequestMatcher.withDefaults().matcher(rule.method(), rule.pattern());
                        if (rule.open()) {
                            auth.requestMatchers(matcher).permitAll();
                        } else {
                            auth.requestMatchers(matcher).hasAnyAuthority(rule.authorities());
                        }
                    }
                    // metrics only for a scraper authenticated as a telemetry analyst (or an administrator)
                    auth.requestMatchers(
                                    PathPatternRequestMatcher.withDefaults().matcher("/actuator/prometheus"))
                            .hasAnyAuthority(GROUP_PREFIX + Roles.TELEMETRY_ANALYST, GROUP_PREFIX + Roles.ADMIN);
                    // the OpenAPI document: read (GET, HEAD) with HTTP Basic by those who may read the contract;
                    // outside this chain springdoc would answer anyone
                    String[] readers = ApiAccess.API_DOCUMENT_READERS.stream()
                            .map(g -> GROUP_PREFIX + g)
                            .toArray(String[]::new);
                    for (String path : ApiAccess.API_DOCUMENT_PATHS) {
                        auth.requestMatchers(
                                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, path))
                                .hasAnyAuthority(readers);
                        auth.requestMatchers(
                                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.HEAD, path))
                                .hasAnyAuthority(readers);
                    }
                    // the engine's REST API: any authenticated user, then Camunda's authorizations decide
                    auth.requestMatchers(
                                    PathPatternRequestMatcher.withDefaults().matcher("/engine-rest/**"))
                            .authenticated();
                    auth.anyRequest().denyAll();
                })
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(
                        ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                // stateless, and never touch an existing (web app) session: changing its id would log Cockpit out
                .sessionManagement(s ->
                        s.sessionCreationPolicy(SessionCreationPolicy.STATELESS).sessionFixation(f -> f.none()))
                // Stateless Basic-auth APIs carry no cookies, so there is no CSRF token to protect.
                .csrf(csrf -> csrf.disable())
                // JSON answers: nothing to render, frame or refer to; Spring's defaults add nosniff and no-store
                .headers(h -> h.frameOptions(f -> f.deny())
                        .contentSecurityPolicy(c -> c.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .addFilterBefore(new BodySizeLimit(json), BasicAuthenticationFilter.class)
                .addFilterBefore(new CockpitSessionAuthenticationFilter(), BasicAuthenticationFilter.class)
                .addFilterAfter(new EngineAuthenticationFilter(identityService), BasicAuthenticationFilter.class)
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webappSecurity(HttpSecurity http) throws Exception {
        // The Camunda web apps (Cockpit, Tasklist, Admin) authenticate against the engine themselves and ship their
        // own CSRF prevention filter; Spring Security only adds its headers here.
        return http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                // Camunda's HeaderSecurityFilter sets the web apps' Content-Security-Policy (and XSS protection);
                // a second CSP header here would be enforced as well and break their inline scripts
                .headers(h -> h.frameOptions(f -> f.sameOrigin())
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }

    /** A request the firewall refuses (encoded slashes, "..", odd characters) is a 400 problem, not a bare error page. */
    @Bean
    RequestRejectedHandler problemForRejectedRequests(ObjectMapper json) {
        return (request, response, e) -> Problems.write(
                json, request, response, Problems.Type.REJECTED_REQUEST, "The request URL is not acceptable.");
    }

    /**
     * Refuses an {@code /api} body over {@link #MAX_BODY_BYTES}: one declared by Content-Length before anything reads
     * it, and any other (chunked) as soon as a read passes the limit ({@link LimitedBodyRequest}: the bytes actually
     * read count, answered 413 by {@code ProblemDetailsAdvice}, or here when no handler answered); and a query string
     * with a NUL character (PostgreSQL cannot even compare text holding one). Not {@code /engine-rest}: an
     * administrator's deployment may well be larger.
     */
    static final class BodySizeLimit extends OncePerRequestFilter {
        /** The largest brief, ranking or report is a few kilobytes. */
        static final long MAX_BODY_BYTES = 1 << 20;

        private final ObjectMapper json;

        BodySizeLimit(ObjectMapper json) {
            this.json = json;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                Problems.write(json, request, response, Problems.Type.TOO_LARGE, "A request body is at most 1 MiB.");
                return;
            }
            String query = request.getQueryString();
            if (query != null && query.contains("%")) {
                boolean nul;
                try {
                    nul = URLDecoder.decode(query, StandardCharsets.UTF_8).indexOf('\0') >= 0;
                } catch (IllegalArgumentException malformed) {
                    nul = false; // Tomcat's own parameter parsing copes with a malformed escape
                }
                if (nul) {
                    Problems.write(
                            json,
                            request,
                            response,
                            Problems.Type.REJECTED_REQUEST,
                            "A request parameter holds a NUL character.");
                    return;
                }
            }
            LimitedBodyRequest limited = new LimitedBodyRequest(request, MAX_BODY_BYTES);
            try {
                chain.doFilter(limited, response);
            } catch (IOException | ServletException | RuntimeException e) {
                if (!limited.exceeded() || response.isCommitted()) {
                    throw e;
                }
                response.reset();
                Problems.write(json, request, response, Problems.Type.TOO_LARGE, "A request body is at most 1 MiB.");
            }
        }
    }

    /** Runs each authenticated request with the caller's Camunda identity, so engine authorizations apply. */
    static final class EngineAuthenticationFilter extends OncePerRequestFilter {
        private final IdentityService identityService;

        EngineAuthenticationFilter(IdentityService identityService) {
            this.identityService = identityService;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !request.getRequestURI().startsWith(request.getContextPath() + "/engine-rest");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            if (auth == null || !auth.isAuthenticated()) {
                chain.doFilter(request, response);
                return;
            }
            String user = auth.getName();
            List<String> groups = identityService.createGroupQuery().groupMember(user).list().stream()
                    .map(Group::getId)
                    .toList();
            List<String> tenants =
                    identityService.createTenantQuery().userMember(user).includingGroupsOfUser(true).list().stream()
                            .map(Tenant::getId)
                            .toList();
            identityService.setAuthentication(user, groups, tenants);
            try {
                chain.doFilter(request, response);
            } finally {
                identityService.clearAuthentication();
            }
        }
    }
}
