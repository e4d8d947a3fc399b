package io.controlplane.platform;

import org.camunda.bpm.engine.ProcessEngine;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Flyway migrates after the process engine started, because reporting views over Camunda's history
 * ({@code mission_stage_rollup_vw} over {@code ACT_HI_ACTINST}) need the engine's tables to exist. Spring Boot's own
 * {@code flywayInitializer} backs off when this one exists; beans that use the database through {@code JdbcTemplate}
 * still wait for the migration (Spring Boot orders them after every database initializer). See ADR 0003.
 */
@Configuration(proxyBeanMethods = false)
class FlywayAfterEngineConfiguration {

    @Bean
    FlywayMigrationInitializer flywayInitializer(
            Flyway flyway, ObjectProvider<FlywayMigrationStrategy> strategy, ProcessEngine engine) {
        // the engine parameter only orders the beans: by now Camunda created (or upgraded) its ACT_* tables
        return new FlywayMigrationInitializer(flyway, strategy.getIfAvailable());
    }
}
