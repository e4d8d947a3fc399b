package io.controlplane.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The doors where a password is checked, closed for a throttled source ({@link LoginThrottle}) before anything looks
 * at the password: {@code 429 Too Many Requests} as problem details with {@code Retry-After} (seconds) — also for the
 * right password, since the source is throttled, not the account. The doors: every request carrying HTTP Basic
 * credentials ({@code /api}, {@code /engine-rest}, {@code /actuator/prometheus}), the web apps' login ({@code POST
 * …/auth/user/{engine}/login/{app}}) and the engine API's password checks ({@code POST …/identity/verify},
 * {@code PUT …/user/{id}/credentials}, under {@code /engine-rest} and the web apps' {@code /camunda/api/engine}).
 * Registered for every request ahead of Spring Security's filters (LoginThrottleConfiguration); it binds the
 * request's source for the request's thread, so the failures themselves are counted where the password is checked
 * (Camunda's {@code CheckPassword} command), which also refuses a throttled source that slips past a door.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {
    /** The web apps' login and the engine REST API's password checks, wherever they are mounted. */
    private static final Pattern WEBAPP_LOGIN = Pattern.compile(".*/auth/user/[^/]+/login/[^/]+/?");

    private static final Pattern VERIFY = Pattern.compile(".*/identity/verify/?");
    private static final Pattern CREDENTIALS = Pattern.compile(".*/user/[^/]+/credentials/?");

    private final LoginThrottle throttle;
    private final ObjectMapper json;

    LoginThrottleFilter(LoginThrottle throttle, ObjectMapper json) {
        this.throttle = throttle;
        this.json = json;
    }

    static boolean isPasswordDoor(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return true;
        }
        String path = request.getRequestURI();
        String method = request.getMethod();
        return ("POST".equals(method)
                        && (WEBAPP_LOGIN.matcher(path).matches()
                                || VERIFY.matcher(path).matches()))
                || ("PUT".equals(method) && CREDENTIALS.matcher(path).matches());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String source = LoginThrottle.source(request);
        Optional<Duration> refusal = isPasswordDoor(request) ? throttle.refusal(source) : Optional.empty();
        if (refusal.isEmpty()) {
            // whichever door the request takes to a password check, the engine's check counts it for this source
            LoginThrottle.bind(source);
            try {
                chain.doFilter(request, response);
            } finally {
                LoginThrottle.unbind();
            }
            return;
        }
        long seconds = Math.max(1, (refusal.get().toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        // ahead of Spring Security's header writers: the headers every API answer carries
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        Problems.write(
                json,
                request,
                response,
                Problems.Type.TOO_MANY_REQUESTS,
                "Too many failed logins from your " + "address. Try again in " + seconds + " s; no account is locked.");
    }
}
