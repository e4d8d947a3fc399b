package io.controlplane.platform;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * The period [from, to) a report covers, read from its {@code from} and {@code to} request parameters the way
 * {@code /api/kpis} reads them: {@code to} defaults to now on the engine's clock, {@code from} to seven days before
 * {@code to}; each is an instant, a date-time with offset or a date (its midnight UTC). An unreadable value, or
 * {@code from} not before {@code to}, is an {@link InvalidInputException} (400) naming the field.
 */
public record ReportWindow(Instant from, Instant to) {

    public static final Duration DEFAULT_LENGTH = Duration.ofDays(7);

    public ReportWindow {
        if (!from.isBefore(to)) {
            throw new InvalidInputException("from", "must be before to");
        }
    }

    /** The trailing seven days ending now (the engine's clock). */
    public static ReportWindow trailingWeek() {
        Instant now = ClockUtil.getCurrentTime().toInstant();
        return new ReportWindow(now.minus(DEFAULT_LENGTH), now);
    }

    public static ReportWindow parse(String from, String to) {
        Instant end = to == null || to.isBlank() ? ClockUtil.getCurrentTime().toInstant() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_LENGTH) : instant("from", from);
        return new ReportWindow(start, end);
    }

    /** An instant ({@code 2024-02-12T09:00:00Z}), a date-time with offset, or a date (its midnight UTC). */
    public static Instant instant(String field, String value) {
        String v = value.strip();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new InvalidInputException(
                        field, "must be an ISO date (2024-02-12) or instant (2024-02-12T09:00:00Z)");
            }
        }
    }
}
