package io.controlplane.execution;

import static io.controlplane.execution.SafeguardFinding.BUDGET_EXCEEDED;
import static io.controlplane.execution.SafeguardFinding.BURST_EXCEEDED;
import static io.controlplane.execution.SafeguardFinding.FORBIDDEN_WORD;
import static io.controlplane.execution.SafeguardFinding.IRREVERSIBLE_WITHOUT_UNDO;
import static io.controlplane.execution.SafeguardFinding.QUIET_WINDOW;
import static io.controlplane.execution.SafeguardFinding.RATE_LIMIT_EXCEEDED;
import static io.controlplane.execution.SafeguardFinding.REQUIRED_WORD_MISSING;
import static io.controlplane.execution.SafeguardFinding.SCOPE_NOT_GRANTED;

import io.controlplane.mission.AgentRunStore;
import io.controlplane.mission.MissionRequest;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validator's check of one executed step against the mission's safeguards. Pure functions of the step, the steps
 * before it and the granted scopes, so every rule can be tested without an engine. The safeguards are expected as
 * enforced, i.e. with the policy template's defaults filled in ({@code SafeguardPolicy.withDefaults}).
 */
public final class SafeguardChecks {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration BURST_WINDOW = Duration.ofSeconds(60);
    private static final long MAX_BACKOFF_SECONDS = 60;

    private SafeguardChecks() {}

    /** Every finding for {@code step}; empty means the step kept all safeguards. */
    public static List<SafeguardFinding> check(
            List<MissionRequest.Safeguard> safeguards,
            StepReport step,
            List<StepReport> earlierSteps,
            List<String> grantedScopes) {
        List<StepReport> earlier = earlierSteps == null ? List.of() : earlierSteps;
        List<String> granted = grantedScopes == null ? List.of() : grantedScopes;
        List<SafeguardFinding> out = new ArrayList<>();
        for (MissionRequest.Safeguard s : safeguards) {
            Map<String, Object> p = s.parameters() == null ? Map.of() : s.parameters();
            switch (s.type()) {
                case "tone" -> tone(s, p, step, out);
                case "quiet_window" -> quietWindow(s, p, step, out);
                case "rate_limit" -> rateLimit(s, p, step, earlier, out);
                case "budget_cap" -> budgetCap(s, p, step, earlier, out);
                case "undo_required" -> {
                    if (!step.reversible() && !step.hasUndoPlan()) {
                        out.add(finding(
                                s,
                                IRREVERSIBLE_WITHOUT_UNDO,
                                "Step '" + step.action() + "' cannot be reversed and its play has no undo plan"));
                    }
                }
                case "data_access" -> dataAccess(s, p, step, granted, out);
                case "escalation_contacts" -> {
                    // names whom to involve when another safeguard escalates; nothing to check on a step
                }
                default -> throw new IllegalArgumentException("unknown safeguard type '" + s.type() + "'");
            }
        }
        return out;
    }

    /** How long to wait before re-running a rate-limited step: 2^attempt seconds, at most 60 (attempt 0 waits 1 s). */
    public static Duration backoff(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be 0 or more (got " + attempt + ")");
        }
        // 2^6 = 64 already exceeds the cap; stopping there also keeps the shift from overflowing
        return Duration.ofSeconds(attempt >= 6 ? MAX_BACKOFF_SECONDS : 1L << attempt);
    }

    private static void tone(
            MissionRequest.Safeguard s, Map<String, Object> p, StepReport step, List<SafeguardFinding> out) {
        String text = step.text();
        if (text == null || text.isBlank()) {
            return;
        }
        for (String word : words(p, "forbiddenWords")) {
            if (containsWord(text, word)) {
                out.add(finding(
                        s,
                        FORBIDDEN_WORD,
                        "The text of step '" + step.action() + "' uses the forbidden word '" + word + "'"));
            }
        }
        for (String word : words(p, "requiredWords")) {
            if (!containsWord(text, word)) {
                out.add(finding(
                        s,
                        REQUIRED_WORD_MISSING,
                        "The text of step '" + step.action() + "' lacks the required word '" + word + "'"));
            }
        }
    }

    /** Whole word, any case: "Guaranteed" matches "guaranteed", "unguaranteed" does not. */
    private static boolean containsWord(String text, String word) {
        return Pattern.compile(
                        "(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                .matcher(text)
                .find();
    }

    private static void quietWindow(
            MissionRequest.Safeguard s, Map<String, Object> p, StepReport step, List<SafeguardFinding> out) {
        if (!step.hasRecipient()) {
            return;
        }
        LocalTime start = time(s, p, "start");
        LocalTime end = time(s, p, "end");
        Object zoneParam = p.getOrDefault("timeZone", "recipient");
        ZoneId zone;
        try {
            zone = "recipient".equals(zoneParam)
                    ? (step.recipientTimeZone() == null ? ZoneOffset.UTC : ZoneId.of(step.recipientTimeZone()))
                    : ZoneId.of(String.valueOf(zoneParam));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("quiet_window time zone is not an IANA id: " + e.getMessage());
        }
        LocalTime local = LocalTime.ofInstant(step.at(), zone);
        // [start, end): a window such as 20:00-07:00 crosses midnight; start == end is an empty window
        boolean quiet = start.isBefore(end)
                ? !local.isBefore(start) && local.isBefore(end)
                : end.isBefore(start) && (!local.isBefore(start) || local.isBefore(end));
        if (quiet) {
            out.add(finding(
                    s,
                    QUIET_WINDOW,
                    "Step '" + step.action() + "' reached " + step.recipient() + " at " + local + " " + zone.getId()
                            + ", inside the quiet window " + start + "-" + end));
        }
    }

    private static void rateLimit(
            MissionRequest.Safeguard s,
            Map<String, Object> p,
            StepReport step,
            List<StepReport> earlier,
            List<SafeguardFinding> out) {
        if (!step.hasRecipient()) {
            return;
        }
        long perHour = number(s, p, "perHour");
        long burst = number(s, p, "burst");
        long inHour = 1 + countWithin(earlier, step.at(), HOUR);
        long inBurst = 1 + countWithin(earlier, step.at(), BURST_WINDOW);
        if (inHour > perHour) {
            out.add(finding(
                    s,
                    RATE_LIMIT_EXCEEDED,
                    "Step '" + step.action() + "' makes " + inHour + " outreach steps in the last hour; the limit is "
                            + perHour + " per hour"));
        }
        if (inBurst > burst) {
            out.add(finding(
                    s,
                    BURST_EXCEEDED,
                    "Step '" + step.action() + "' makes " + inBurst
                            + " outreach steps in the last 60 seconds; the burst limit is " + burst));
        }
    }

    /** Earlier outreach steps in the window (at - window, at]: a step exactly one window old no longer counts. */
    private static long countWithin(List<StepReport> earlier, Instant at, Duration window) {
        Instant from = at.minus(window);
        return earlier.stream()
                .filter(StepReport::hasRecipient)
                .filter(e -> e.at().isAfter(from) && !e.at().isAfter(at))
                .count();
    }

    private static void budgetCap(
            MissionRequest.Safeguard s,
            Map<String, Object> p,
            StepReport step,
            List<StepReport> earlier,
            List<SafeguardFinding> out) {
        // a step that spends nothing cannot break the budget, even after an earlier step already did
        if (step.spendCents() == 0) {
            return;
        }
        long cap = number(s, p, "centsPerDay");
        LocalDate day = LocalDate.ofInstant(step.at(), ZoneOffset.UTC);
        long spentBefore = earlier.stream()
                .filter(e -> LocalDate.ofInstant(e.at(), ZoneOffset.UTC).equals(day))
                .mapToLong(StepReport::spendCents)
                .sum();
        long total = spentBefore + step.spendCents();
        if (total > cap) {
            out.add(finding(
                    s,
                    BUDGET_EXCEEDED,
                    "Step '" + step.action() + "' spends " + step.spendCents() + " cents, bringing " + day
                            + " (UTC) to " + total + " cents; the cap is " + cap + " cents a day"));
        }
    }

    /**
     * The budget_cap safeguard on the agents' reported cost: a finding when the mission's agents together (their
     * runs on {@code day}, UTC, summed from the ledger) cost more than {@code centsPerDay}. Once the day is over the
     * cap every further play report of that day is judged again, so each one goes past a reviewer.
     */
    public static Optional<SafeguardFinding> agentBudget(
            MissionRequest.Safeguard s, LocalDate day, BigDecimal spent, List<AgentRunStore.AgentTotals> perAgent) {
        long cap = number(s, s.parameters() == null ? Map.of() : s.parameters(), "centsPerDay");
        if (spent.compareTo(BigDecimal.valueOf(cap)) <= 0) {
            return Optional.empty();
        }
        List<String> agents = perAgent.stream()
                .map(a -> a.agent() + " " + a.costCents().toPlainString())
                .toList();
        return Optional.of(finding(
                s,
                BUDGET_EXCEEDED,
                "budget_cap: the agents' reported cost on " + day + " (UTC) is "
                        + spent.toPlainString() + " cents across " + perAgent.size()
                        + (perAgent.size() == 1 ? " agent" : " agents")
                        + " (" + String.join(", ", agents) + "); the cap is " + cap + " cents a day"));
    }

    private static void dataAccess(
            MissionRequest.Safeguard s,
            Map<String, Object> p,
            StepReport step,
            List<String> granted,
            List<SafeguardFinding> out) {
        List<String> allowed = words(p, "scopes");
        for (String scope : step.scopesUsed()) {
            if (!granted.contains(scope)) {
                out.add(finding(
                        s,
                        SCOPE_NOT_GRANTED,
                        "Step '" + step.action() + "' used scope " + scope
                                + ", which was not granted at Toolkit Authorization"));
            } else if (!allowed.isEmpty() && !allowed.contains(scope)) {
                out.add(finding(
                        s,
                        SCOPE_NOT_GRANTED,
                        "Step '" + step.action() + "' used scope " + scope
                                + ", which the data_access safeguard does not allow (allowed: "
                                + String.join(", ", allowed) + ")"));
            }
        }
    }

    private static SafeguardFinding finding(MissionRequest.Safeguard s, String code, String detail) {
        return new SafeguardFinding(s.type(), s.severity(), code, detail);
    }

    /** A list parameter; absent means empty, since an empty word or scope list restricts nothing. */
    private static List<String> words(Map<String, Object> p, String name) {
        Object v = p.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(name + " must be a list of words (got " + v + ")");
        }
        return list.stream().map(String::valueOf).toList();
    }

    /** A limit parameter; absent or malformed fails loudly rather than leaving the safeguard unenforced. */
    private static long number(MissionRequest.Safeguard s, Map<String, Object> p, String name) {
        Object v = p.get(name);
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.longValue() <= 0) {
            throw new IllegalArgumentException(
                    s.type() + "." + name + " must be a positive whole number (got " + v + ")");
        }
        return n.longValue();
    }

    /** A time-of-day parameter ("HH:mm"); absent or malformed fails loudly for the same reason. */
    private static LocalTime time(MissionRequest.Safeguard s, Map<String, Object> p, String name) {
        Object v = p.get(name);
        try {
            return LocalTime.parse(String.valueOf(v));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    s.type() + "." + name + " must be a time of day as HH:mm (got " + v + ")");
        }
    }
}
