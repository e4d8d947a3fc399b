package io.controlplane;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * One application context for every Spring test (same annotation, so Spring caches it): the real service on a random
 * port, H2 by default or PostgreSQL with {@code -Ppostgres}; jobs and agents only run when a test runs them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// metrics export is off in Spring Boot tests unless asked for: /actuator/prometheus is part of what we test
@AutoConfigureObservability(tracing = false)
public @interface IntegrationTest {}
