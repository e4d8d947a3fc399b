package io.controlplane.platform;

import java.util.Optional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;
import org.springframework.data.jdbc.core.mapping.JdbcMappingContext;
import org.springframework.data.jdbc.repository.config.AbstractJdbcConfiguration;
import org.springframework.data.relational.RelationalManagedTypes;
import org.springframework.data.relational.core.mapping.NamingStrategy;

/**
 * Spring Data JDBC for the write side's aggregates where they fit (issue #14; today the backlog items). Identifiers
 * are not quoted: the migrations create unquoted names, which H2 keeps in upper case and PostgreSQL in lower case,
 * and a quoted lower-case name would find the table on PostgreSQL only.
 */
@Configuration(proxyBeanMethods = false)
class JdbcRepositoriesConfiguration extends AbstractJdbcConfiguration {
    @Override
    public JdbcMappingContext jdbcMappingContext(
            Optional<NamingStrategy> namingStrategy,
            JdbcCustomConversions customConversions,
            RelationalManagedTypes jdbcManagedTypes) {
        JdbcMappingContext context = super.jdbcMappingContext(namingStrategy, customConversions, jdbcManagedTypes);
        context.setForceQuote(false);
        return context;
    }
}
