package io.controlplane.telemetry;

import io.controlplane.incident.Runbooks;
import io.controlplane.platform.EngineCalls;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/kpis/{key}/investigations}: a telemetry analyst starts the KPI-miss runbook by hand for one KPI
 * and period (the operating rhythm and the weekly audit start it by themselves). The analyst names only the KPI and
 * the period: its name, value and target are the service's own figures for that period, so a hand-started
 * investigation records the same miss the dashboards show, and none for a KPI that met its target. This is the only
 * door: the analyst has no start authorization on any definition (docs/security.md).
 */
@RestController
class KpiMissController {
    /** {@code 2025-10} (a calendar month) or {@code 2025-W43} (an ISO week), UTC. */
    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");

    private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

    record Investigation(String period) {}

    /** The investigation started: the runbook's variables (the service's figures), its business key and instance. */
    record Started(
            String kpiKey,
            String kpiName,
            String kpiValue,
            String kpiTarget,
            String kpiPeriod,
            String businessKey,
            String processInstanceId) {}

    /** The KPI met its target, had no data, or is under investigation already: 409, nothing started. */
    static final class NothingToInvestigate extends RuntimeException {
        NothingToInvestigate(String message) {
            super(message);
        }
    }

    @ExceptionHandler(NothingToInvestigate.class)
    ResponseEntity<ProblemDetail> conflict(NothingToInvestigate e) {
        return Problems.response(Problems.Type.CONFLICT, e.getMessage());
    }

    private final KpiService kpis;
    private final RuntimeService runtime;

    KpiMissController(KpiService kpis, RuntimeService runtime) {
        this.kpis = kpis;
        this.runtime = runtime;
    }

    @Operation(
            summary = "Start a KPI-miss investigation by hand, for a month or ISO week the KPI missed",
            responses = {
                @ApiResponse(
                        responseCode = "201",
                        description = "Started: the investigation's variables, business key and process instance",
                        useReturnTypeSchema = true),
                @ApiResponse(
                        responseCode = "409",
                        description =
                                "The KPI met its target, had no data, or is under investigation already: nothing started")
            })
    @PostMapping("/api/kpis/{key}/investigations")
    ResponseEntity<Started> start(@PathVariable String key, @RequestBody(required = false) Investigation body) {
        String period = body == null ? null : body.period();
        Instant[] window = window(period);
        KpiService.Report report = kpis.report(window[0], window[1]);
        KpiService.Kpi kpi = report.kpis().stream()
                .filter(k -> k.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        "key",
                        "names no KPI; the KPIs are "
                                + String.join(
                                        ", ",
                                        report.kpis().stream()
                                                .map(KpiService.Kpi::key)
                                                .toList())));
        if (kpi.met() == null) {
            throw new NothingToInvestigate(kpi.name() + " has no data for " + period + ": nothing to investigate.");
        }
        if (kpi.met()) {
            throw new NothingToInvestigate(kpi.name() + " met its target for " + period + " (" + kpi.value() + " "
                    + kpi.unit() + "): nothing to investigate.");
        }
        // the same business key as the rhythm's and the audit's investigations: one per KPI and period
        String businessKey = "kpi-" + kpi.key() + "-" + period;
        if (runtime.createProcessInstanceQuery()
                        .processDefinitionKey(Runbooks.KPI_MISS)
                        .processInstanceBusinessKey(businessKey)
                        .count()
                > 0) {
            throw new NothingToInvestigate(
                    "An investigation of " + kpi.name() + " for " + period + " is open already.");
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(Runbooks.Vars.KPI_KEY, kpi.key());
        variables.put(Runbooks.Vars.KPI_NAME, kpi.name());
        String value = kpi.value() + " " + kpi.unit();
        String target = kpi.comparator() + " " + kpi.target() + " " + kpi.unit();
        variables.put(Runbooks.Vars.KPI_VALUE, value);
        variables.put("kpiTarget", target);
        variables.put(Runbooks.Vars.KPI_PERIOD, period);
        String instance = EngineCalls.asService(
                        () -> runtime.startProcessInstanceByKey(Runbooks.KPI_MISS, businessKey, variables))
                .getId();
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new Started(kpi.key(), kpi.name(), value, target, period, businessKey, instance));
    }

    /** [from, to) of a month or ISO week in UTC; 400 naming {@code period} otherwise. */
    static Instant[] window(String period) {
        if (period == null || period.isBlank()) {
            throw new InvalidInputException("period", "is required: a month (2025-10) or an ISO week (2025-W43)");
        }
        try {
            Matcher month = MONTH.matcher(period);
            if (month.matches()) {
                YearMonth m = YearMonth.parse(period);
                return new Instant[] {
                    m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                    m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                };
            }
            Matcher week = WEEK.matcher(period);
            if (week.matches()) {
                int year = Integer.parseInt(week.group(1));
                int number = Integer.parseInt(week.group(2));
                LocalDate anyDay = LocalDate.of(year, 6, 1);
                if (number < 1
                        || number
                                > anyDay.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR)
                                        .getMaximum()) {
                    throw new InvalidInputException("period", "names no ISO week of " + year);
                }
                LocalDate monday = anyDay.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, number)
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                return new Instant[] {
                    monday.atStartOfDay().toInstant(ZoneOffset.UTC),
                    monday.plusWeeks(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                };
            }
        } catch (DateTimeParseException e) {
            // falls through to the refusal below
        }
        throw new InvalidInputException("period", "must be a month (2025-10) or an ISO week (2025-W43)");
    }
}
