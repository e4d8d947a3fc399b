package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.UserEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * No wrong password locks or delays an account — the agent runtime, the administrator and everyone else log in at
 * once with the right one — and failed logins are throttled per source instead: over the limit, that address gets
 * {@code 429} with {@code Retry-After} at every door, other addresses nothing. The test profile allows a million
 * failures (the other tests' wrong passwords all come from 127.0.0.1); the throttling tests set the production limit
 * and every test resets the shared throttle afterwards.
 */
@IntegrationTest
class LoginThrottleTest {
    /** What application.yaml configures (checked in {@link #applicationYamlSetsTwentyFailuresPerMinute}). */
    static final LoginThrottle.Limits PRODUCTION = new LoginThrottle.Limits(20, Duration.ofMinutes(1), 10000);

    private static final String CATALOG = "/api/telemetry/events/catalog";

    @LocalServerPort
    int port;

    @Autowired
    LoginThrottle throttle;

    @Autowired
    IdentityService identity;

    @Autowired
    ProcessEngine engine;

    Http http;

    @BeforeEach
    void init() {
        http = new Http(port);
        throttle.reset();
    }

    @AfterEach
    void resetTheSharedThrottle() {
        throttle.reset();
    }

    // --- no account is ever locked -----------------------------------------------------------------------------------

    @Test
    void camundasPerUserLockoutAndDelayAreOff() {
        ProcessEngineConfigurationImpl config = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        assertThat(config.getLoginMaxAttempts()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.getLoginDelayMaxTime()).isZero();
        assertThat(config.getLoginDelayBase()).isZero();
        assertThat(config.getLoginDelayFactor()).isZero();
    }

    @Test
    void fifteenWrongPasswordsLockNeitherTheAgentNorTheAdministratorNorAValidator() throws Exception {
        // the service account (ai-agent), the bootstrap administrator (camunda.bpm.admin-user.id) and a person
        for (String user : List.of("agent", "demo", "gv")) {
            for (int i = 0; i < 15; i++) {
                assertThat(http.get(CATALOG, user + ":wrong-" + i).status())
                        .as(user + " wrong " + i)
                        .isEqualTo(401);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(http.post(
                                        "/engine-rest/external-task/fetchAndLock",
                                        user + ":wrong-engine-" + i,
                                        Map.of("workerId", "throttle-test", "maxTasks", 1, "topics", List.of()))
                                .status())
                        .isEqualTo(401);
            }
            // the engine counts the failures but never locks: no lock expiry after now, far from the maximum
            UserEntity entity =
                    (UserEntity) identity.createUserQuery().userId(user).singleResult();
            assertThat(entity.getAttempts()).isGreaterThanOrEqualTo(18).isLessThan(Integer.MAX_VALUE);
            assertThat(entity.getLockExpirationTime())
                    .satisfiesAnyOf(
                            t -> assertThat(t).isNull(), t -> assertThat(t).isBeforeOrEqualTo(new Date()));
            // the right password works at once, from the same address
            assertThat(http.get(CATALOG, user).status())
                    .as(user + " right after 18 failures")
                    .isEqualTo(200);
        }
        // the web apps' login: fifteen wrong passwords, then the right one
        for (String user : List.of("demo", "gv")) {
            Browser browser = new Browser();
            for (int i = 0; i < 15; i++) {
                assertThat(browser.login(user, "wrong-" + i).statusCode()).isEqualTo(401);
            }
            assertThat(browser.login(user, "demo").statusCode())
                    .as(user + " Tasklist login")
                    .isEqualTo(200);
        }
        // and the agent after the other doors' failures: fetch and lock as ever
        assertThat(http.post(
                                "/engine-rest/external-task/fetchAndLock",
                                "agent",
                                Map.of("workerId", "throttle-test", "maxTasks", 1, "topics", List.of()))
                        .status())
                .isEqualTo(200);
    }

    // --- per-source throttle over HTTP
    // ---------------------------------------------------------------------------------

    @Test
    void aSourceOverTheLimitGets429WithRetryAfterAtEveryDoorUntilTheWindowMoves() throws Exception {
        MutableClock clock = new MutableClock();
        throttle.override(PRODUCTION, clock);
        for (int i = 0; i < PRODUCTION.maxFailures(); i++) {
            assertThat(http.get(CATALOG, "agent:wrong-" + i).status())
                    .as("failure " + i)
                    .isEqualTo(401);
        }
        String local = localSource();
        assertThat(throttle.failures(local)).isEqualTo(PRODUCTION.maxFailures());

        // over the limit: refused before the password is looked at, the right one included
        Http.Response refused = http.get(CATALOG, "agent");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().path("status").asInt()).isEqualTo(429);
        assertThat(refused.json().path("title").asText()).isEqualTo("Too Many Requests");
        // the failures leave the window 60 s after they happened (the test's clock stands still meanwhile)
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(http.post(
                                "/engine-rest/external-task/fetchAndLock",
                                "agent",
                                Map.of("workerId", "t", "maxTasks", 1, "topics", List.of()))
                        .status())
                .isEqualTo(429);
        assertThat(http.get("/actuator/prometheus", "demo").status()).isEqualTo(429);
        assertThat(new Browser().login("gv", "demo").statusCode())
                .as("web app login")
                .isEqualTo(429);
        // requests without credentials are no login: the anonymous health probe still answers
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(throttle.failures(local))
                .as("refused attempts are not counted")
                .isEqualTo(PRODUCTION.maxFailures());

        // the account is not affected: from another address the agent logs in at once
        assertThat(checkPasswordFrom("198.51.100.7", "agent", "demo")).isTrue();
        // a throttled address that slips past the doors straight to the engine's check is refused there too
        assertThat(checkPasswordFrom(local, "agent", "demo")).isFalse();

        // once the oldest failures leave the window the address may log in again
        clock.advance(Duration.ofSeconds(60));
        assertThat(http.get(CATALOG, "agent").status()).isEqualTo(200);
        assertThat(new Browser().login("gv", "demo").statusCode()).isEqualTo(200);
    }

    @Test
    void everyDoorCountsAWrongPasswordWhereTheEngineChecksIt() throws Exception {
        MutableClock clock = new MutableClock();
        throttle.override(PRODUCTION, clock);
        assertThat(http.get(CATALOG, "gv:wrong").status()).isEqualTo(401);
        String local = localSource();
        assertThat(throttle.failures(local)).isEqualTo(1);
        assertThat(http.post(
                                "/engine-rest/external-task/fetchAndLock",
                                "agent:wrong",
                                Map.of("workerId", "t", "maxTasks", 1, "topics", List.of()))
                        .status())
                .isEqualTo(401);
        assertThat(throttle.failures(local)).isEqualTo(2);
        assertThat(new Browser().login("gv", "wrong").statusCode()).isEqualTo(401);
        assertThat(throttle.failures(local)).as("web app login").isEqualTo(3);
        assertThat(http.get(CATALOG, "nobody:demo").status()).isEqualTo(401);
        assertThat(throttle.failures(local))
                .as("an unknown user counts as well")
                .isEqualTo(4);
        // successes neither count nor wipe the failures
        assertThat(http.get(CATALOG, "gv").status()).isEqualTo(200);
        assertThat(new Browser().login("gv", "demo").statusCode()).isEqualTo(200);
        assertThat(throttle.failures(local)).isEqualTo(4);
        // the engine's own check (identity/verify, a password change) counts for the request's address
        assertThat(checkPasswordFrom("203.0.113.9", "mo", "wrong")).isFalse();
        assertThat(throttle.failures("203.0.113.9")).isEqualTo(1);
        // outside a request (start-up, jobs, commands) nothing is counted
        assertThat(identity.checkPassword("mo", "wrong")).isFalse();
        assertThat(throttle.trackedSources()).isEqualTo(2);
    }

    // --- the throttle itself: many sources, sliding window, bounded memory
    // ---------------------------------------------

    @Test
    void sourcesAreThrottledIndependentlyInASlidingWindow() {
        MutableClock clock = new MutableClock();
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(3, Duration.ofSeconds(60), 100), clock);
        t.failed("192.0.2.1");
        clock.advance(Duration.ofSeconds(20));
        t.failed("192.0.2.1");
        clock.advance(Duration.ofSeconds(20));
        assertThat(t.refusal("192.0.2.1")).isEmpty();
        t.failed("192.0.2.1");
        // three within the window: refused until the first (40 s ago) leaves it
        assertThat(t.refusal("192.0.2.1")).contains(Duration.ofSeconds(20));
        assertThat(t.refusal("192.0.2.2")).as("another source").isEmpty();
        t.failed("192.0.2.2");
        assertThat(t.refusal("192.0.2.2")).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(t.refusal("192.0.2.1")).contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThat(t.refusal("192.0.2.1"))
                .as("the first failure left the window")
                .isEmpty();
        assertThat(t.failures("192.0.2.1")).isEqualTo(2);
        // one more failure fills the window again, until the second one (at 20 s) leaves it
        t.failed("192.0.2.1");
        assertThat(t.refusal("192.0.2.1")).contains(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(61));
        assertThat(t.refusal("192.0.2.1")).isEmpty();
        assertThat(t.failures("192.0.2.1")).isZero();
    }

    @Test
    void memoryIsBoundedByTheNumberOfSourcesAndTheLimit() {
        MutableClock clock = new MutableClock();
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(5, Duration.ofMinutes(1), 100), clock);
        for (int i = 0; i < 10_000; i++) {
            t.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(t.trackedSources()).isEqualTo(100);
        for (int i = 0; i < 1000; i++) {
            t.failed("192.0.2.1");
        }
        assertThat(t.failures("192.0.2.1")).as("at most the limit is kept").isEqualTo(5);
        assertThat(t.refusal("192.0.2.1")).isPresent();
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        assertThat(LoginThrottle.source("2001:db8:1:2:aaaa::1"))
                .isEqualTo(LoginThrottle.source("2001:db8:1:2:bbbb::2"))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(LoginThrottle.source("2001:db8:1:3::1")).isNotEqualTo(LoginThrottle.source("2001:db8:1:2::1"));
        assertThat(LoginThrottle.source("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(LoginThrottle.source("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(LoginThrottle.source((String) null)).isEqualTo("unknown");
    }

    @Test
    void applicationYamlSetsTwentyFailuresPerMinute() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader()
                .load("application", new ClassPathResource("application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        LoginThrottleConfiguration.Properties properties = new Binder(ConfigurationPropertySources.get(env))
                .bind("controlplane.security.login-throttle", LoginThrottleConfiguration.Properties.class)
                .get();
        assertThat(new LoginThrottle.Limits(properties.maxFailures(), properties.window(), properties.maxSources()))
                .isEqualTo(PRODUCTION);
    }

    @Test
    void theHelmChartsVariablesSetTheLimits() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource(
                        "chart-systemEnvironment",
                        Map.of(
                                "CONTROLPLANE_SECURITY_LOGINTHROTTLE_MAXFAILURES",
                                "5",
                                "CONTROLPLANE_SECURITY_LOGINTHROTTLE_WINDOW",
                                "30s")));
        LoginThrottleConfiguration.Properties properties = new Binder(ConfigurationPropertySources.get(env))
                .bind("controlplane.security.login-throttle", LoginThrottleConfiguration.Properties.class)
                .get();
        assertThat(properties.maxFailures()).isEqualTo(5);
        assertThat(properties.window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.maxSources()).as("default").isEqualTo(10000);
    }

    // --- helpers
    // ---------------------------------------------------------------------------------------------------------

    /** The address this test's HTTP client is counted under (127.0.0.1, or ::1 where localhost is IPv6). */
    private String localSource() {
        return Stream.of("127.0.0.1", LoginThrottle.source("0:0:0:0:0:0:0:1"))
                .filter(s -> throttle.failures(s) > 0)
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no failure recorded for the local address; tracked: " + throttle.trackedSources()));
    }

    /** {@code IdentityService.checkPassword} as a request from {@code source} makes it (any door, the engine's check). */
    private boolean checkPasswordFrom(String source, String user, String password) {
        return LoginThrottle.asSource(source, () -> identity.checkPassword(user, password));
    }

    /** A browser at the Camunda web apps' login, with its CSRF token. */
    private final class Browser {
        private final CookieManager cookies = new CookieManager();
        private final HttpClient client =
                HttpClient.newBuilder().cookieHandler(cookies).build();

        Browser() throws Exception {
            client.send(
                    HttpRequest.newBuilder(uri("/camunda/app/tasklist/default/"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> login(String user, String password) throws Exception {
            String token = cookies.getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("XSRF-TOKEN"))
                    .map(HttpCookie::getValue)
                    .reduce((first, last) -> last)
                    .orElse("");
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default/login/tasklist"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-XSRF-TOKEN", token)
                            .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + password))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 429) {
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(r.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            }
            return r;
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A clock the test moves; starts at the current time. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
