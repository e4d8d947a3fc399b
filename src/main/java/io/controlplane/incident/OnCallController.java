package io.controlplane.incident;

import io.controlplane.platform.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/oncall}: who is on call now (or at a given instant) and the whole rotation, for people and scripts. */
@RestController
@RequestMapping("/api/oncall")
class OnCallController {

    /** Far enough for any question about a rotation, near enough that the schedule's look-ahead cannot overflow. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final OnCallSchedule schedule;

    OnCallController(OnCallSchedule schedule) {
        this.schedule = schedule;
    }

    @Operation(summary = "Who is on call now, or at a given instant")
    @GetMapping("/now")
    OnCall now(@RequestParam(required = false) String at) {
        Instant instant = parseAt(at);
        return schedule.onCallAt(instant == null ? Instant.now() : instant);
    }

    @Operation(summary = "The on-call rotation and its lead")
    @GetMapping("/schedule")
    ScheduleView schedule() {
        return new ScheduleView(
                schedule.shifts(),
                schedule.lead(),
                schedule.pagerDutySchedule(),
                schedule.escalateAfter().toString(),
                schedule.handoffSummary());
    }

    /**
     * The {@code at} parameter: an ISO-8601 date-time with {@code Z} or an offset ({@code +} URL-encoded as
     * {@code %2B}); {@code null} when absent or blank, meaning now.
     */
    static Instant parseAt(String at) {
        if (at == null || at.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(at.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(
                    "at", "must be an ISO-8601 instant with Z or an offset, e.g. " + "2026-11-26T10:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidInputException("at", "must be between " + EARLIEST + " and " + LATEST);
        }
        return instant;
    }

    /** The rotation as configured; {@code escalateAfter} as an ISO-8601 duration, e.g. {@code PT15M}. */
    record ScheduleView(
            List<OnCallProperties.Shift> shifts,
            OnCallProperties.Person lead,
            String pagerDutySchedule,
            String escalateAfter,
            boolean handoffSummary) {}
}
