package io.controlplane.telemetry;

import io.controlplane.platform.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/kpis}: the six business KPIs over a window (default: the trailing 7 days), and per ISO week.
 * Dates are ISO dates (midnight UTC) or instants; the window is [from, to).
 */
@RestController
@RequestMapping("/api/kpis")
class KpiController {
    static final int MAX_WEEKS = 52;

    private final KpiService kpis;

    KpiController(KpiService kpis) {
        this.kpis = kpis;
    }

    @GetMapping
    KpiService.Report window(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Window w = parseWindow(from, to);
        return kpis.report(w.from(), w.to());
    }

    /** A window [from, to) of the API. */
    record Window(Instant from, Instant to) {
    }

    /**
     * The window of {@code from} and {@code to} request parameters: {@code to} defaults to now (the engine's clock),
     * {@code from} to seven days before {@code to}; an empty or unreadable window is a 400 naming the field.
     */
    static Window parseWindow(String from, String to) {
        Instant end = to == null || to.isBlank() ? KpiService.now() : parse("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofDays(7)) : parse("from", from);
        if (!start.isBefore(end)) {
            throw new InvalidInputException("from", "must be before to");
        }
        return new Window(start, end);
    }

    @GetMapping("/weekly")
    List<KpiService.Week> weekly(@RequestParam(defaultValue = "4") int weeks) {
        if (weeks < 1 || weeks > MAX_WEEKS) {
            throw new InvalidInputException("weeks", "must be between 1 and " + MAX_WEEKS);
        }
        return kpis.weekly(weeks);
    }

    /** An instant ({@code 2024-02-12T09:00:00Z}), a date-time with offset, or a date (its midnight UTC). */
    static Instant parse(String field, String value) {
        String v = value.strip();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new InvalidInputException(field, "must be an ISO date (2024-02-12) or instant (2024-02-12T09:00:00Z)");
            }
        }
    }
}
