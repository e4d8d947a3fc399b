package io.controlplane.rhythm;

import io.controlplane.rhythm.Rhythm.Meeting;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * When each meeting is due, in the team's time zone.
 *
 * <p>Camunda evaluates a timer's cron in the JVM's default time zone, which cannot follow a team in another zone
 * across a daylight-saving change. So the timer start events read {@code ${rhythmSchedule.cycle('daily-standup')}}:
 * this computes the next occurrence of the meeting's cron in the team's zone (Spring's {@link CronExpression} over a
 * {@link ZonedDateTime}, which handles DST) and answers a cron pinned to that one instant, written in the JVM's zone.
 * With the engine's {@code reevaluateTimeCycleWhenDue} (application.yaml) Camunda asks again each time the timer
 * fires, so every run schedules exactly the next one.
 */
@Component("rhythmSchedule")
@ConfigurationProperties(prefix = "controlplane.rhythm")
public class RhythmSchedule implements InitializingBean {
    /** the team's IANA time zone: meetings, and the calendar months and quarters of the digests, are in it */
    private ZoneId timeZone = ZoneId.of("UTC");

    static final Map<Meeting, String> DEFAULT_CRONS = new EnumMap<>(Map.of(
            Meeting.DAILY_STANDUP, "0 0 9 * * MON-FRI",
            Meeting.WEEKLY_OPS_SYNC, "0 0 10 * * MON",
            Meeting.GOVERNANCE_COUNCIL, "0 0 14 * * THU",
            Meeting.MONTHLY_RETROSPECTIVE, "0 0 10 ? * MON#1",
            Meeting.QUARTERLY_PLANNING, "0 0 10 ? 1,4,7,10 MON#1"));
    private Map<String, String> cron = new LinkedHashMap<>();
    /** the governance council meets every second week: in the weeks an even number of weeks after this Monday */
    private LocalDate councilAnchorWeek = LocalDate.of(2025, 1, 6);

    public ZoneId getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(ZoneId timeZone) {
        this.timeZone = timeZone;
    }

    public LocalDate getCouncilAnchorWeek() {
        return councilAnchorWeek;
    }

    public void setCouncilAnchorWeek(LocalDate councilAnchorWeek) {
        this.councilAnchorWeek = councilAnchorWeek.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /** {@code controlplane.rhythm.cron.daily-standup} and so on: Spring cron (seconds first), in the team's zone. */
    public Map<String, String> getCron() {
        return cron;
    }

    public void setCron(Map<String, String> cron) {
        this.cron = new LinkedHashMap<>(cron);
    }

    /** Fails the start-up on an unknown meeting or a bad cron, rather than at the first timer. */
    @Override
    public void afterPropertiesSet() {
        cron.forEach((type, expression) -> {
            if (Meeting.fromConfigKey(type).isEmpty()) {
                throw new IllegalArgumentException("controlplane.rhythm.cron." + type + ": no such meeting (one of "
                        + Arrays.stream(Meeting.values()).map(Meeting::type).toList() + ")");
            }
            CronExpression.parse(expression);
        });
    }

    public String cron(Meeting meeting) {
        return cron.entrySet().stream()
                .filter(e -> Meeting.fromConfigKey(e.getKey()).orElse(null) == meeting)
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(DEFAULT_CRONS.get(meeting));
    }

    /** The meeting's first occurrence strictly after {@code after}. */
    public Instant next(Meeting meeting, Instant after) {
        CronExpression cron = CronExpression.parse(cron(meeting));
        ZonedDateTime t = after.atZone(timeZone);
        for (int i = 0; i < 1000; i++) {
            t = cron.next(t);
            if (t == null) {
                break;
            }
            if (meeting != Meeting.GOVERNANCE_COUNCIL
                    || ChronoUnit.WEEKS.between(
                                            councilAnchorWeek,
                                            t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
                                    % 2
                            == 0) {
                return t.toInstant();
            }
        }
        throw new IllegalStateException("The " + meeting.type() + " cron " + cron(meeting) + " never fires");
    }

    /**
     * The timer's cycle: a cron matching only the meeting's next occurrence, in the JVM's default zone (where Camunda
     * reads crons). Called by the timer start events, at deployment and each time they fire.
     */
    public String cycle(String type) {
        Meeting meeting = Meeting.fromType(type).orElseThrow(() -> new IllegalArgumentException("No meeting " + type));
        LocalDateTime next =
                LocalDateTime.ofInstant(next(meeting, ClockUtil.getCurrentTime().toInstant()), ZoneId.systemDefault());
        return next.getSecond() + " " + next.getMinute() + " " + next.getHour() + " " + next.getDayOfMonth() + " "
                + next.getMonthValue() + " *";
    }
}
