package io.controlplane.incident;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The follow-the-sun on-call rotation ({@code controlplane.oncall}), checked when it is bound so that a bad schedule
 * stops the service at start-up instead of paging nobody at 3 a.m.
 *
 * @param shifts            the rotation, at least one shift
 * @param lead              the Operations Command lead, escalated to when an incident is not acknowledged
 * @param pagerDutySchedule the PagerDuty schedule name; default {@value #DEFAULT_PAGER_DUTY_SCHEDULE}
 * @param escalateAfter     how long an incident may stay unacknowledged before the lead is paged, and again each
 *                          interval; default 15 minutes
 * @param handoffSummary    whether each hand-off posts a summary of open incidents for the incoming shift; default true
 */
@ConfigurationProperties(prefix = "controlplane.oncall")
public record OnCallProperties(
        List<Shift> shifts, Person lead, String pagerDutySchedule, Duration escalateAfter, Boolean handoffSummary) {

    static final String PREFIX = "controlplane.oncall";
    static final String DEFAULT_PAGER_DUTY_SCHEDULE = "Mission Ops On-Call";
    static final Duration DEFAULT_ESCALATE_AFTER = Duration.ofMinutes(15);

    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withResolverStyle(ResolverStyle.STRICT);

    public OnCallProperties {
        shifts = shifts == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(shifts));
        pagerDutySchedule = pagerDutySchedule == null ? DEFAULT_PAGER_DUTY_SCHEDULE : pagerDutySchedule.strip();
        escalateAfter = escalateAfter == null ? DEFAULT_ESCALATE_AFTER : escalateAfter;
        handoffSummary = handoffSummary == null ? Boolean.TRUE : handoffSummary;
        List<String> problems = problems(shifts, lead, pagerDutySchedule, escalateAfter);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid on-call schedule: " + String.join("; ", problems));
        }
    }

    /**
     * One shift of the rotation, in local time of its own zone so that it follows that zone's daylight saving time.
     *
     * @param name     e.g. {@code APAC}; unique
     * @param timeZone an IANA zone id, e.g. {@code Asia/Singapore}
     * @param start    local start time {@code HH:mm}, inclusive
     * @param end      local end time {@code HH:mm}, exclusive; earlier than {@code start} when the shift crosses midnight
     * @param person   the Camunda user id of whoever is on call in this shift
     * @param slack    their Slack handle, e.g. {@code @oc}
     * @param email    their e-mail address, or {@code null}
     */
    public record Shift(
            String name, String timeZone, String start, String end, String person, String slack, String email) {

        /** The shift's zone; only valid on a bound (checked) schedule. */
        public ZoneId zone() {
            return ZoneId.of(timeZone);
        }

        /** The local start time; only valid on a bound (checked) schedule. */
        public LocalTime startTime() {
            return LocalTime.parse(start, HH_MM);
        }

        /** The local end time; only valid on a bound (checked) schedule. */
        public LocalTime endTime() {
            return LocalTime.parse(end, HH_MM);
        }

        /** Whether the shift ends on the local day after it starts. */
        public boolean crossesMidnight() {
            return !endTime().isAfter(startTime());
        }
    }

    /**
     * Someone to notify: for the lead, the Slack handle is required and the Camunda user id may be left out.
     *
     * @param person a Camunda user id, or {@code null}
     * @param slack  a Slack handle, e.g. {@code @ops-lead}
     * @param email  an e-mail address, or {@code null}
     */
    public record Person(String person, String slack, String email) {}

    /** Every problem of the schedule, each naming its entry, so one start-up failure shows them all. */
    private static List<String> problems(
            List<Shift> shifts, Person lead, String pagerDutySchedule, Duration escalateAfter) {
        List<String> problems = new ArrayList<>();
        if (shifts.isEmpty()) {
            problems.add(PREFIX + ".shifts: at least one shift is required");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < shifts.size(); i++) {
            Shift shift = shifts.get(i);
            String entry = PREFIX + ".shifts[" + i + "]";
            if (shift == null) {
                problems.add(entry + ": is empty");
                continue;
            }
            if (blank(shift.name())) {
                problems.add(entry + ": name is required");
            } else {
                entry += " (" + shift.name() + ")";
                if (!names.add(shift.name())) {
                    problems.add(entry + ": name is used by an earlier shift");
                }
            }
            if (blank(shift.timeZone())) {
                problems.add(entry + ": time-zone is required (an IANA id such as Europe/Berlin)");
            } else {
                try {
                    ZoneId.of(shift.timeZone());
                } catch (DateTimeException e) {
                    problems.add(entry + ": unknown time zone '" + shift.timeZone()
                            + "' (use an IANA id such as Europe/Berlin)");
                }
            }
            LocalTime start = time(shift.start(), entry + ": start", problems);
            LocalTime end = time(shift.end(), entry + ": end", problems);
            if (start != null && start.equals(end)) {
                problems.add(entry + ": start and end are both " + shift.start() + "; a shift must not be empty");
            }
            if (blank(shift.person())) {
                problems.add(entry + ": person (a Camunda user id) is required");
            }
            handle(shift.slack(), entry + ": slack", problems);
            email(shift.email(), entry + ": email", problems);
        }
        if (lead == null) {
            problems.add(PREFIX + ".lead: is required (at least its slack handle)");
        } else {
            handle(lead.slack(), PREFIX + ".lead: slack", problems);
            email(lead.email(), PREFIX + ".lead: email", problems);
        }
        if (pagerDutySchedule.isEmpty()) {
            problems.add(PREFIX + ".pager-duty-schedule: must not be blank");
        }
        if (escalateAfter.isNegative() || escalateAfter.isZero()) {
            problems.add(PREFIX + ".escalate-after: must be positive, was " + escalateAfter);
        }
        return problems;
    }

    private static LocalTime time(String value, String what, List<String> problems) {
        if (blank(value)) {
            problems.add(what + " is required (HH:mm)");
            return null;
        }
        try {
            return LocalTime.parse(value, HH_MM);
        } catch (DateTimeParseException e) {
            problems.add(what + " '" + value + "' is not a time HH:mm between 00:00 and 23:59"
                    + " (in YAML, quote it: \"08:00\")");
            return null;
        }
    }

    private static void handle(String value, String what, List<String> problems) {
        if (blank(value)) {
            problems.add(what + " is required, e.g. @oc");
        } else if (!value.startsWith("@") || value.length() < 2 || value.chars().anyMatch(Character::isWhitespace)) {
            problems.add(what + " '" + value + "' must be a handle starting with @ (in YAML, quote it: \"@oc\")");
        }
    }

    private static void email(String value, String what, List<String> problems) {
        if (value != null && !value.isBlank() && !value.strip().matches("[^@\\s]+@[^@\\s]+")) {
            problems.add(what + " '" + value + "' is not an e-mail address");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
