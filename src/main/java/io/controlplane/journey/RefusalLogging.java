package io.controlplane.journey;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.controlplane.notify.NotificationFailedException;
import jakarta.annotation.PostConstruct;
import org.camunda.bpm.engine.exception.NotFoundException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * A caller's refused input is not the service's error. The engine logs every exception that leaves a command at
 * ERROR with its stack trace ({@code ENGINE-16004}), except the few kinds it knows to be the caller's (authorization,
 * optimistic locking, bad requests: DEBUG). The step contract's and the checkpoints' refusals are form-field
 * validation errors — Tasklist shows them on the field, {@code /engine-rest} answers them with a 4xx — so they would
 * fill the log with ERROR lines an operator must learn to ignore. This filter logs them once, at INFO, without the
 * stack trace, under {@link #LOGGER}, and so a name that does not exist (404) and the losing one of two
 * completions of one task (409). A notification channel's outage is one WARN line under {@link #DELIVERY_LOGGER}:
 * the delivery is retried and ends in an incident. Every other ERROR of the engine stays as it is.
 */
@Component
class RefusalLogging extends TurboFilter {
    /** where refused inputs are logged (INFO): one line each, the refusal's own message */
    static final String LOGGER = "io.controlplane.journey.Refusals";

    static final String CONTEXT_LOGGER = "org.camunda.bpm.engine.context";
    private static final org.slf4j.Logger refusals = LoggerFactory.getLogger(LOGGER);
    /** where a failed delivery attempt is logged (WARN), one line: the retries and the incident are the record */
    static final String DELIVERY_LOGGER = "io.controlplane.journey.DeliveryFailures";

    private static final org.slf4j.Logger deliveries = LoggerFactory.getLogger(DELIVERY_LOGGER);

    /**
     * Installs the filter once per logger context, and again after every reset: Spring Boot re-initialises logging
     * whenever an application context starts (the test suite starts several), and a reset drops every turbo filter.
     */
    @PostConstruct
    void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            installInto(context);
        }
    }

    static synchronized void installInto(LoggerContext context) {
        if (context.getTurboFilterList().stream().noneMatch(RefusalLogging.class::isInstance)) {
            RefusalLogging filter = new RefusalLogging();
            filter.start();
            context.addTurboFilter(filter);
        }
        if (context.getCopyOfListenerList().stream().noneMatch(Reinstall.class::isInstance)) {
            context.addListener(new Reinstall());
        }
    }

    /** re-adds the filter after a reset; reset-resistant, so it outlives the reset it reacts to */
    private static final class Reinstall implements LoggerContextListener {
        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onReset(LoggerContext context) {
            installInto(context);
        }

        @Override
        public void onStart(LoggerContext context) {}

        @Override
        public void onStop(LoggerContext context) {}

        @Override
        public void onLevelChange(Logger logger, Level level) {}
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.ERROR || logger == null || !CONTEXT_LOGGER.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null
                ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last
                        ? last
                        : null;
        if (thrown instanceof FormFieldValidationException) {
            refusals.info("Refused: {}", thrown.getMessage());
        } else if (thrown instanceof NullValueException || thrown instanceof NotFoundException) {
            // the caller named a task, instance or job that does not exist: /engine-rest answers 404
            refusals.info("Not found: {}", thrown.getMessage());
        } else if (causedBy(thrown, DuplicateKeyException.class)) {
            // the loser of two completions of one task (one approval row each): the caller gets 409
            refusals.info("Conflict: {}", rootMessage(thrown));
        } else if (thrown instanceof NotificationFailedException) {
            // a channel's outage: the delivery job retries and ends in an incident in Cockpit, nothing is lost
            deliveries.warn("{} (the delivery is retried, then an incident)", thrown.getMessage());
        } else {
            return FilterReply.NEUTRAL;
        }
        return FilterReply.DENY;
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> kind) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (kind.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
