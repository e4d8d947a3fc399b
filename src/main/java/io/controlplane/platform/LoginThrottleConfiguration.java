package io.controlplane.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.CheckPassword;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The per-source login throttle ({@link LoginThrottle}): its limits ({@code controlplane.security.login-throttle}),
 * the filter that answers a throttled source's login attempts with 429 at every door, and the engine plugin that
 * counts each wrong password where Camunda checks it ({@code IdentityService.checkPassword}, whichever door called
 * it: HTTP Basic, the web apps' login, the engine API's {@code identity/verify}).
 */
@Configuration
class LoginThrottleConfiguration {
    /** Ahead of Spring Security's filter chain: a throttled source never reaches the Basic authentication. */
    static final int FILTER_ORDER = SecurityProperties.DEFAULT_FILTER_ORDER - 1;

    /**
     * {@code controlplane.security.login-throttle}.
     *
     * @param maxFailures failed logins a source may have within {@code window}; the next attempt is refused (429)
     * @param window      the sliding window the failures are counted in
     * @param maxSources  sources tracked at most (memory bound); the least recently failing is forgotten first
     */
    @ConfigurationProperties(prefix = "controlplane.security.login-throttle")
    record Properties(
            @DefaultValue("20") int maxFailures,
            @DefaultValue("1m") Duration window,
            @DefaultValue("10000") int maxSources) {}

    @Bean
    LoginThrottle loginThrottle(Properties properties) {
        return new LoginThrottle(
                new LoginThrottle.Limits(properties.maxFailures(), properties.window(), properties.maxSources()),
                Clock.systemUTC());
    }

    @Bean
    @ConditionalOnWebApplication
    FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(LoginThrottle throttle, ObjectMapper json) {
        FilterRegistrationBean<LoginThrottleFilter> registration =
                new FilterRegistrationBean<>(new LoginThrottleFilter(throttle, json));
        registration.setName("loginThrottleFilter");
        registration.addUrlPatterns("/*");
        registration.setOrder(FILTER_ORDER);
        return registration;
    }

    @Bean
    AbstractProcessEnginePlugin loginThrottleEnginePlugin(LoginThrottle throttle) {
        return new AbstractProcessEnginePlugin() {
            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                List<CommandInterceptor> pre = configuration.getCustomPreCommandInterceptorsTxRequired() == null
                        ? new ArrayList<>()
                        : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
                pre.add(new CheckPasswordThrottle(throttle));
                configuration.setCustomPreCommandInterceptorsTxRequired(pre);
            }

            @Override
            public String toString() {
                return "LoginThrottle";
            }
        };
    }

    /**
     * Around Camunda's {@link CheckPassword}: during an HTTP request, a wrong password counts against the request's
     * source, and a throttled source's check answers "wrong" without looking at the password (the doors answer 429
     * before it comes to that; this holds for any door they do not know). Outside a request nothing changes.
     */
    static final class CheckPasswordThrottle extends CommandInterceptor {
        private final LoginThrottle throttle;

        CheckPasswordThrottle(LoginThrottle throttle) {
            this.throttle = throttle;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T execute(Command<T> command) {
            if (!(command instanceof CheckPassword)) {
                return next.execute(command);
            }
            String source = LoginThrottle.currentSource();
            if (source == null) {
                return next.execute(command);
            }
            if (throttle.refusal(source).isPresent()) {
                return (T) Boolean.FALSE;
            }
            T valid = next.execute(command);
            if (!Boolean.TRUE.equals(valid)) {
                throttle.failed(source);
            }
            return valid;
        }
    }
}
