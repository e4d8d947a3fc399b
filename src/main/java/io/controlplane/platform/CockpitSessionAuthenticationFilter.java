package io.controlplane.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets the Cockpit dashboard plugin read {@code /api} with the user's Cockpit session: a GET without credentials
 * from a browser logged in to the Camunda web apps runs as that user, with their groups. Only reads (GET, HEAD), so
 * a session cookie can never change anything; writes still need HTTP Basic.
 */
final class CockpitSessionAuthenticationFilter extends OncePerRequestFilter {
    private static final String ENGINE = "default";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !(method.equals("GET") || method.equals("HEAD"))
                || request.getHeader("Authorization") != null
                || !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session != null && SecurityContextHolder.getContext().getAuthentication() == null) {
            Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
            if (authentications != null
                    && authentications.getAuthenticationForProcessEngine(ENGINE) instanceof UserAuthentication user) {
                List<SimpleGrantedAuthority> authorities = (user.getGroupIds() == null
                                ? List.<String>of()
                                : user.getGroupIds())
                        .stream()
                                .map(g -> new SimpleGrantedAuthority(SecurityConfig.GROUP_PREFIX + g))
                                .toList();
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(
                        UsernamePasswordAuthenticationToken.authenticated(user.getIdentityId(), null, authorities));
                SecurityContextHolder.setContext(context);
            }
        }
        chain.doFilter(request, response);
    }
}
