package io.controlplane.incident;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@code controlplane.oncall} here, so the application class needs no knowledge of the incident feature. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OnCallProperties.class)
class OnCallConfiguration {
}
