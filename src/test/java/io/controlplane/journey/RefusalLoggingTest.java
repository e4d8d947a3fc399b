package io.controlplane.journey;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.notify.NotificationFailedException;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;

/**
 * A refused decision (a caller's bad input) is logged once at INFO, not as the engine's ERROR with a stack trace
 * (issue #15: a clean build log had a hundred ERROR lines from expected refusals); an engine error that is not a
 * refusal still reaches the log at ERROR.
 */
@IntegrationTest
class RefusalLoggingTest {
    @Autowired
    JourneyDriver drive;

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

    private final Logger refusals = (Logger) LoggerFactory.getLogger(RefusalLogging.LOGGER);
    private Level refusalsLevel;

    @BeforeEach
    void listen() {
        events.start();
        root.addAppender(events);
        // the JVM's logging is shared: a one-shot command run by an earlier test leaves root at WARN
        refusalsLevel = refusals.getLevel();
        refusals.setLevel(Level.INFO);
    }

    @AfterEach
    void stop() {
        root.detachAppender(events);
        refusals.setLevel(refusalsLevel);
    }

    @Test
    void aRefusedDecisionIsOneInfoLineAndNoEngineError() {
        String id = drive.start("mo", JourneyDriver.brief("Refusal logging"));

        assertThatThrownBy(() -> drive.complete(
                        id,
                        Elements.INTENT_CONFIRMATION,
                        "gv",
                        Map.of(Vars.INTENT_DECISION, "maybe", Vars.SAFEGUARDS_ACKNOWLEDGED, true)))
                .isInstanceOf(FormFieldValidationException.class);

        assertThat(errors()).as("ERROR lines of the engine's command context").isEmpty();
        assertThat(events.list)
                .filteredOn(e -> e.getLoggerName().equals(RefusalLogging.LOGGER))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.INFO);
                    assertThat(e.getFormattedMessage()).contains("intentDecision must be one of");
                    assertThat(e.getThrowableProxy()).isNull();
                });
    }

    @Test
    void anEngineErrorThatIsNoRefusalStaysAnError() {
        // as the engine's context logger writes it: the throwable last among the arguments
        Logger context = (Logger) LoggerFactory.getLogger(RefusalLogging.CONTEXT_LOGGER);
        context.error(
                "ENGINE-16004 Exception while closing command context: {}", "boom", new IllegalStateException("boom"));
        assertThat(errors())
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("boom"));
    }

    /** A name that does not exist, a lost completion race and a channel outage are no service errors either. */
    @Test
    void notFoundConflictAndChannelOutageAreNoErrors() {
        Logger context = (Logger) LoggerFactory.getLogger(RefusalLogging.CONTEXT_LOGGER);
        context.error(
                "ENGINE-16004 Exception while closing command context: {}",
                "x",
                new NullValueException("Cannot find task with id no-such-task: task is null"));
        context.error(
                "ENGINE-16004 Exception while closing command context: {}",
                "x",
                new ProcessEngineException(
                        "flush failed", new DuplicateKeyException("duplicate mission_approvals row")));
        context.error(
                "ENGINE-16004 Exception while closing command context: {}",
                "x",
                new NotificationFailedException("slack", "HTTP 503"));
        assertThat(errors()).isEmpty();
        assertThat(events.list)
                .filteredOn(e -> e.getLoggerName().equals(RefusalLogging.LOGGER))
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "Not found: Cannot find task with id no-such-task: task is null",
                        "Conflict: duplicate mission_approvals row");
        assertThat(events.list)
                .filteredOn(e -> e.getLoggerName().equals(RefusalLogging.DELIVERY_LOGGER))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getThrowableProxy()).isNull();
                });
    }

    /** Spring Boot resets logging whenever another application context starts; the filter must survive that (CI) */
    @Test
    void theFilterSurvivesALoggingReset() {
        LoggerContext context = new LoggerContext();
        RefusalLogging.installInto(context);
        RefusalLogging.installInto(context);
        assertThat(context.getTurboFilterList()).singleElement().isInstanceOf(RefusalLogging.class);

        context.reset();

        assertThat(context.getTurboFilterList()).singleElement().isInstanceOf(RefusalLogging.class);
        Logger engine = context.getLogger(RefusalLogging.CONTEXT_LOGGER);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        engine.addAppender(seen);
        engine.error(
                "ENGINE-16004 Exception while closing command context: {}",
                "refused",
                new FormFieldValidationException("field", "intentDecision must be one of approve"));
        assertThat(seen.list).isEmpty();
    }

    private List<ILoggingEvent> errors() {
        return events.list.stream()
                .filter(e -> e.getLevel() == Level.ERROR && e.getLoggerName().equals(RefusalLogging.CONTEXT_LOGGER))
                .toList();
    }
}
