package io.controlplane.journey;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.stereotype.Component;

/**
 * A caller's refused input is not the service's error. The engine logs every exception that leaves a command at
 * ERROR with its stack trace ({@code ENGINE-16004}), except the few kinds it knows to be the caller's (authorization,
 * optimistic locking, bad requests: DEBUG). The step contract's and the checkpoints' refusals are form-field
 * validation errors — Tasklist shows them on the field, {@code /engine-rest} answers them with a 4xx — so they would
 * fill the log with ERROR lines an operator must learn to ignore. This filter logs them once, at INFO, without the
 * stack trace, under {@link #LOGGER}; every other ERROR of the engine stays as it is.
 */
@Component
class RefusalLogging extends TurboFilter {
    /** where refused inputs are logged (INFO): one line each, the refusal's own message */
    static final String LOGGER = "io.controlplane.journey.Refusals";
    static final String CONTEXT_LOGGER = "org.camunda.bpm.engine.context";
    private static final org.slf4j.Logger refusals = LoggerFactory.getLogger(LOGGER);

    @PostConstruct
    void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            start();
            context.addTurboFilter(this);
        }
    }

    @PreDestroy
    void uninstall() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getTurboFilterList().remove(this);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.ERROR || logger == null || !CONTEXT_LOGGER.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
        if (!(thrown instanceof FormFieldValidationException)) {
            return FilterReply.NEUTRAL;
        }
        refusals.info("Refused: {}", thrown.getMessage());
        return FilterReply.DENY;
    }
}
