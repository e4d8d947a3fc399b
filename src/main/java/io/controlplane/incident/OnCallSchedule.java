package io.controlplane.incident;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Answers "who is on call at this instant?" for the follow-the-sun rotation, so that incidents page, mention and
 * escalate to the right person and hand-offs happen at the right moment in every time zone.
 *
 * <p>Each shift is a daily window in local time of its own zone (start inclusive, end exclusive; it may cross
 * midnight), so it moves against UTC when its zone changes to or from daylight saving time. At an instant:
 * <ul>
 *   <li>the on-call shift is the one whose window contains it; if several do (an overlap), the one that started most
 *       recently, and of two that started at the same instant the one listed first;</li>
 *   <li>if none does (a gap), the shift whose window ended most recently stays on call until the next one starts.</li>
 * </ul>
 * So exactly one shift is always on call. A hand-off is an instant at which the on-call shift changes to another one.
 */
@Component
public class OnCallSchedule {
    private static final Logger log = LoggerFactory.getLogger(OnCallSchedule.class);

    /** How far to look for a hand-off before concluding that the schedule never hands off (one effective shift). */
    static final int HORIZON_DAYS = 400;

    private static final Duration HORIZON = Duration.ofDays(HORIZON_DAYS);
    private static final Duration CHUNK = Duration.ofDays(2);

    private final OnCallProperties properties;
    private final List<Slot> slots;

    public OnCallSchedule(OnCallProperties properties) {
        this.properties = properties;
        List<Slot> parsed = new ArrayList<>();
        for (int i = 0; i < properties.shifts().size(); i++) {
            OnCallProperties.Shift shift = properties.shifts().get(i);
            parsed.add(new Slot(i, shift, shift.zone(), shift.startTime(), shift.endTime()));
        }
        this.slots = List.copyOf(parsed);
        log.info(
                "On-call rotation: {}; lead {}; escalation after {}",
                slots.stream()
                        .map(s -> s.shift().name() + " " + s.shift().timeZone() + " "
                                + s.shift().start() + "–" + s.shift().end() + " "
                                + s.shift().person())
                        .collect(Collectors.joining(", ")),
                properties.lead().slack(),
                properties.escalateAfter());
    }

    /** Who is on call at {@code t}, since which hand-off and until which, and who comes next. */
    public OnCall onCallAt(Instant t) {
        Slot slot = resolve(t);
        Instant until = nextHandoff(t);
        Slot next = until == null ? null : resolve(until);
        OnCallProperties.Shift shift = slot.shift();
        return new OnCall(
                shift.name(),
                shift.person(),
                shift.slack(),
                blankToNull(shift.email()),
                shift.timeZone(),
                lastHandoff(t, slot),
                until,
                next == null ? null : next.shift().name(),
                next == null ? null : next.shift().person());
    }

    /**
     * The first hand-off strictly after {@code after}: when the on-call shift next changes. {@code null} when it does not
     * change within {@value #HORIZON_DAYS} days, i.e. the schedule has a single effective shift.
     */
    public Instant nextHandoff(Instant after) {
        Slot current = resolve(after);
        for (Instant from = after; from.isBefore(after.plus(HORIZON)); from = from.plus(CHUNK)) {
            for (Instant event : events(from, from.plus(CHUNK))) {
                if (event.isAfter(from) && resolve(event).index() != current.index()) {
                    return event;
                }
            }
        }
        return null;
    }

    /** The Operations Command lead, escalated to when an incident stays unacknowledged. */
    public OnCallProperties.Person lead() {
        return properties.lead();
    }

    /** How long an incident may stay unacknowledged before it escalates to the lead (and again each interval). */
    public Duration escalateAfter() {
        return properties.escalateAfter();
    }

    /** The PagerDuty schedule that mirrors this rotation. */
    public String pagerDutySchedule() {
        return properties.pagerDutySchedule();
    }

    /** Whether each hand-off posts a summary of the open incidents for the incoming shift. */
    public boolean handoffSummary() {
        return properties.handoffSummary();
    }

    /** The shifts as configured, in order. */
    public List<OnCallProperties.Shift> shifts() {
        return properties.shifts();
    }

    /** The last hand-off at or before {@code t} that made {@code slot} on call, or {@code null} beyond the horizon. */
    private Instant lastHandoff(Instant t, Slot slot) {
        for (Instant to = t; to.isAfter(t.minus(HORIZON)); to = to.minus(CHUNK)) {
            for (Instant event : events(to.minus(CHUNK), to).descendingSet()) {
                if (event.isAfter(to.minus(CHUNK))
                        && resolve(event.minusNanos(1)).index() != slot.index()) {
                    return event;
                }
            }
        }
        return null;
    }

    /** The on-call shift at {@code t}, by the overlap and gap rules of the class comment. */
    private Slot resolve(Instant t) {
        Window active = null;
        Window ended = null;
        for (Slot slot : slots) {
            LocalDate day = t.atZone(slot.zone()).toLocalDate();
            for (LocalDate d = day.minusDays(2); !d.isAfter(day.plusDays(1)); d = d.plusDays(1)) {
                Window w = slot.window(d);
                if (w == null) {
                    continue;
                }
                if (!w.start().isAfter(t) && t.isBefore(w.end())) {
                    if (active == null || Window.BY_LATEST_START.compare(w, active) < 0) {
                        active = w;
                    }
                } else if (!w.end().isAfter(t)) {
                    if (ended == null || Window.BY_LATEST_END.compare(w, ended) < 0) {
                        ended = w;
                    }
                }
            }
        }
        return active != null ? active.slot() : ended.slot();
    }

    /** Every window start and end of every shift between {@code from} and {@code to}, inclusive, in order. */
    private NavigableSet<Instant> events(Instant from, Instant to) {
        NavigableSet<Instant> events = new TreeSet<>();
        for (Slot slot : slots) {
            LocalDate first = from.atZone(slot.zone()).toLocalDate().minusDays(1);
            LocalDate last = to.atZone(slot.zone()).toLocalDate().plusDays(1);
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                Window w = slot.window(d);
                if (w != null) {
                    for (Instant i : List.of(w.start(), w.end())) {
                        if (!i.isBefore(from) && !i.isAfter(to)) {
                            events.add(i);
                        }
                    }
                }
            }
        }
        return events;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A configured shift, parsed once. */
    private record Slot(int index, OnCallProperties.Shift shift, ZoneId zone, LocalTime start, LocalTime end) {

        /**
         * The shift's window starting on local day {@code day}. A local time skipped by a daylight-saving change is
         * moved later by the gap; a repeated one takes the earlier offset. {@code null} if a DST change empties it.
         */
        Window window(LocalDate day) {
            Instant from = ZonedDateTime.of(day, start, zone).toInstant();
            Instant to = ZonedDateTime.of(end.isAfter(start) ? day : day.plusDays(1), end, zone)
                    .toInstant();
            return to.isAfter(from) ? new Window(this, from, to) : null;
        }
    }

    /** One occurrence of a shift: [start, end). */
    private record Window(Slot slot, Instant start, Instant end) {
        /** Most recently started first; of equal starts, the shift listed first. */
        static final Comparator<Window> BY_LATEST_START = Comparator.comparing(Window::start)
                .reversed()
                .thenComparingInt(w -> w.slot().index());
        /** Most recently ended first; then as {@link #BY_LATEST_START}, which keeps whoever was on call before a gap. */
        static final Comparator<Window> BY_LATEST_END =
                Comparator.comparing(Window::end).reversed().thenComparing(BY_LATEST_START);
    }
}
