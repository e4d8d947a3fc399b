package io.controlplane.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.Tenant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic against Camunda's own users and groups for {@code /api/**} and {@code /engine-rest/**}; the Camunda
 * web apps keep their own session login and CSRF protection. Requests to {@code /engine-rest} run with the caller's
 * Camunda authentication so the engine's authorizations apply to them.
 */
@Configuration
@org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity
// without a web server (the jar's one-shot commands, see Commands) there is no HTTP to secure
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
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
                if (user == null || credentials == null || !identityService.checkPassword(user, credentials.toString())) {
                    throw new BadCredentialsException("Unknown user or wrong password");
                }
                List<SimpleGrantedAuthority> authorities = identityService.createGroupQuery().groupMember(user).list()
                        .stream().map(g -> new SimpleGrantedAuthority(GROUP_PREFIX + g.getId())).toList();
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
    SecurityFilterChain apiSecurity(HttpSecurity http, IdentityService identityService, ObjectMapper json) throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> problem(json, response, 401, "Unauthorized",
                "Send HTTP Basic credentials of a Camunda user.", true);
        AccessDeniedHandler forbidden = (request, response, e) -> problem(json, response, 403, "Forbidden",
                "Your groups do not allow this request.", false);
        return http
                // path matchers, not MVC matchers: /engine-rest is Camunda's Jersey servlet, not a Spring MVC handler
                .securityMatcher(new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/api/**"),
                        PathPatternRequestMatcher.withDefaults().matcher("/engine-rest/**"),
                        PathPatternRequestMatcher.withDefaults().matcher("/actuator/prometheus")))
                // Slack cannot send Basic credentials: its interactions are authenticated by their request signature
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher("/api/slack/interactions")).permitAll()
                        // metrics only for a scraper authenticated as a telemetry analyst (or an administrator)
                        .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher("/actuator/prometheus"))
                        .hasAnyAuthority(GROUP_PREFIX + Roles.TELEMETRY_ANALYST, GROUP_PREFIX + Roles.ADMIN)
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                // stateless, and never touch an existing (web app) session: changing its id would log Cockpit out
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS).sessionFixation(f -> f.none()))
                // Stateless Basic-auth APIs carry no cookies, so there is no CSRF token to protect.
                .csrf(csrf -> csrf.disable())
                .addFilterBefore(new CockpitSessionAuthenticationFilter(), BasicAuthenticationFilter.class)
                .addFilterAfter(new EngineAuthenticationFilter(identityService), BasicAuthenticationFilter.class)
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webappSecurity(HttpSecurity http) throws Exception {
        // The Camunda web apps (Cockpit, Tasklist, Admin) authenticate against the engine themselves and ship their
        // own CSRF prevention filter; Spring Security only adds its headers here.
        return http
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .headers(h -> h.frameOptions(f -> f.sameOrigin()))
                .build();
    }

    static void problem(ObjectMapper json, HttpServletResponse response, int status, String title, String detail,
                        boolean challenge) throws IOException {
        if (challenge) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"control-plane\"");
        }
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Map.of("type", "about:blank", "title", title, "status", status,
                "detail", detail));
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
                    .map(Group::getId).toList();
            List<String> tenants = identityService.createTenantQuery().userMember(user).includingGroupsOfUser(true)
                    .list().stream().map(Tenant::getId).toList();
            identityService.setAuthentication(user, groups, tenants);
            try {
                chain.doFilter(request, response);
            } finally {
                identityService.clearAuthentication();
            }
        }
    }
}
