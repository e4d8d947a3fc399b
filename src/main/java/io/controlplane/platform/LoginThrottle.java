package io.controlplane.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed logins counted per client address (the source), never per account: once a source has had
 * {@code maxFailures} wrong passwords within the sliding {@code window}, its further login attempts are refused
 * (429 at the doors, see {@link LoginThrottleFilter}) until the oldest of those failures leaves the window. No
 * account is ever locked or slowed down by it — Camunda's own per-user lockout is switched off (application.yaml,
 * {@code login-max-attempts}, {@code login-delay-*}) — so a stranger guessing passwords can neither lock the agent
 * runtime out nor the only administrator; from any other address everyone logs in at once.
 * <p>
 * The source is {@code request.getRemoteAddr()}: the TCP peer, or the client a trusted proxy names if Tomcat's
 * forwarded-header handling is configured ({@code server.forward-headers-strategy}, docs/security.md); headers are
 * never read here. An IPv6 client counts by its /64 network (one host usually holds the whole /64). Memory is
 * bounded: at most {@code maxSources} sources are tracked, the least recently failing one is forgotten first, and
 * each keeps at most {@code maxFailures} timestamps. Refused attempts are not counted: a throttled source is free
 * again at most one window after its last real failure.
 */
final class LoginThrottle {
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    /** The limits: failures allowed per source within the window, and how many sources are tracked at most. */
    record Limits(int maxFailures, Duration window, int maxSources) {
        Limits {
            if (maxFailures < 1 || window == null || window.isNegative() || window.isZero() || maxSources < 1) {
                throw new IllegalArgumentException("login throttle: max-failures and max-sources must be at least 1"
                        + " and the window positive, not " + maxFailures + ", " + window + ", " + maxSources);
            }
        }
    }

    private static final class Failures {
        final ArrayDeque<Long> times = new ArrayDeque<>();
        boolean reported;
    }

    private final Limits configuredLimits;
    private final Clock configuredClock;
    private Limits limits;
    private Clock clock;
    private final LinkedHashMap<String, Failures> sources = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > limits.maxSources();
        }
    };

    LoginThrottle(Limits limits, Clock clock) {
        this.configuredLimits = limits;
        this.configuredClock = clock;
        this.limits = limits;
        this.clock = clock;
    }

    /** Empty while {@code source} may try a password; otherwise how long until it may again. */
    synchronized Optional<Duration> refusal(String source) {
        Failures f = sources.get(source);
        if (f == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        expire(f, now);
        if (f.times.size() < limits.maxFailures()) {
            if (f.times.isEmpty()) {
                sources.remove(source);
            }
            return Optional.empty();
        }
        // free again once the oldest counted failure leaves the window
        return Optional.of(Duration.ofMillis(
                Math.max(1, f.times.peekFirst() + limits.window().toMillis() - now)));
    }

    /** A wrong password (or an unknown user) from {@code source}. */
    synchronized void failed(String source) {
        long now = clock.millis();
        Failures f = sources.computeIfAbsent(source, s -> new Failures());
        expire(f, now);
        if (f.times.size() < limits.maxFailures()) {
            f.reported = false; // below the limit again: the next time over it is logged
        }
        f.times.addLast(now);
        while (f.times.size() > limits.maxFailures()) {
            f.times.removeFirst();
        }
        if (f.times.size() >= limits.maxFailures() && !f.reported) {
            f.reported = true;
            log.warn(
                    "Login throttle: {} failed logins from {} within {}; its logins are refused until they fall out"
                            + " of the window (no account is locked)",
                    f.times.size(),
                    source,
                    limits.window());
        }
    }

    /** Failed logins from {@code source} within the window. */
    synchronized int failures(String source) {
        Failures f = sources.get(source);
        if (f == null) {
            return 0;
        }
        expire(f, clock.millis());
        return f.times.size();
    }

    synchronized int trackedSources() {
        return sources.size();
    }

    private void expire(Failures f, long now) {
        long oldest = now - limits.window().toMillis();
        while (!f.times.isEmpty() && f.times.peekFirst() <= oldest) {
            f.times.removeFirst();
        }
    }

    /** Tests only: other limits or another clock until {@link #reset()}. */
    synchronized void override(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Tests only: forget every source and go back to the configured limits and clock. */
    synchronized void reset() {
        sources.clear();
        limits = configuredLimits;
        clock = configuredClock;
    }

    synchronized Limits limits() {
        return limits;
    }

    /** The source of the request this thread serves, bound by {@link LoginThrottleFilter} around every request. */
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    /** The source of the request this thread serves, or null outside a request (jobs, start-up, commands). */
    static String currentSource() {
        return CURRENT.get();
    }

    /** Runs {@code work} as serving a request from {@code source} (the filter; tests). */
    static <T> T asSource(String source, Supplier<T> work) {
        String before = CURRENT.get();
        CURRENT.set(source);
        try {
            return work.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    static void bind(String source) {
        CURRENT.set(source);
    }

    static void unbind() {
        CURRENT.remove();
    }

    static String source(HttpServletRequest request) {
        return source(request.getRemoteAddr());
    }

    /** The address as the throttle counts it: IPv4 as it is, IPv6 by its /64 network. */
    static String source(String remoteAddr) {
        if (remoteAddr == null || remoteAddr.isBlank()) {
            return "unknown";
        }
        if (remoteAddr.indexOf(':') < 0) {
            return remoteAddr;
        }
        try {
            // an IPv6 literal (the colon): parsed, never looked up; an IPv4-mapped one comes back as IPv4
            InetAddress address =
                    InetAddress.getByName(remoteAddr.startsWith("[") ? remoteAddr : "[" + remoteAddr + "]");
            byte[] bytes = address.getAddress();
            if (bytes.length == 4) {
                return address.getHostAddress();
            }
            for (int i = 8; i < bytes.length; i++) {
                bytes[i] = 0;
            }
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return remoteAddr;
        }
    }
}
