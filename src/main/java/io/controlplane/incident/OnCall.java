package io.controlplane.incident;

import java.time.Instant;

/**
 * Who is on call at one instant, and until when: what an incident mentions and pages, and what a hand-off announces.
 *
 * @param shift      the on-call shift's name, e.g. {@code EMEA}
 * @param person     its Camunda user id
 * @param slack      its Slack handle
 * @param email      its e-mail address, or {@code null}
 * @param timeZone   the shift's zone
 * @param since      the hand-off that made this shift on call, or {@code null} when the schedule never hands off
 * @param until      the next hand-off (exclusive), or {@code null} when the schedule never hands off
 * @param nextShift  the shift taking over at {@code until}, or {@code null}
 * @param nextPerson its Camunda user id, or {@code null}
 */
public record OnCall(
        String shift,
        String person,
        String slack,
        String email,
        String timeZone,
        Instant since,
        Instant until,
        String nextShift,
        String nextPerson) {}
