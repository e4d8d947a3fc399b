package io.controlplane;

import io.controlplane.governance.GovernanceCheck;
import io.controlplane.governance.GovernanceReport;
import io.controlplane.platform.ReportWindow;
import io.controlplane.telemetry.KpiFacts;
import io.controlplane.telemetry.TelemetryAudit;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;

/**
 * One-shot commands of the jar ({@code java -jar control-plane.jar governance-check}): the application starts without a
 * web server, job executor, deployment, demo data, simulated agent or hand-off posts, runs the command, prints its result and
 * exits with the command's status. A command is one entry of {@link #COMMANDS}.
 */
public final class Commands {

    /** What a command does with the started application; returns the exit status. */
    @FunctionalInterface
    interface Command {
        int run(ConfigurableApplicationContext context, List<String> args, PrintStream out);
    }

    public static final String GOVERNANCE_CHECK = "governance-check";
    public static final String TELEMETRY_AUDIT = "telemetry-audit";
    public static final String KPI_FACTS = "kpi-facts";

    private static final Map<String, Command> COMMANDS = Map.of(
            GOVERNANCE_CHECK,
                    (context, args, out) -> governanceCheckCommand(context.getBean(GovernanceCheck.class), args, out),
            TELEMETRY_AUDIT, (context, args, out) -> telemetryAudit(context.getBean(TelemetryAudit.class), args, out),
            KPI_FACTS, (context, args, out) -> kpiFacts(context.getBean(KpiFacts.class), args, out));

    /** Settings every command runs with, above any other property source: nothing starts working on missions. */
    static final Map<String, Object> COMMAND_PROPERTIES = Map.ofEntries(
            Map.entry("spring.main.web-application-type", "none"),
            Map.entry("spring.main.banner-mode", "off"),
            Map.entry("logging.level.root", "warn"),
            // Camunda's REST API (/engine-rest) needs a servlet container even when there is none
            Map.entry(
                    "spring.autoconfigure.exclude",
                    "org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration"),
            Map.entry("camunda.bpm.job-execution.enabled", "false"),
            // read-only on models and jobs: a command never deploys (a deployment would version every model and
            // re-create the timer jobs whenever its jar differs from the running service's)
            Map.entry("camunda.bpm.auto-deployment-enabled", "false"),
            Map.entry("controlplane.demo.missions", "false"),
            Map.entry("controlplane.demo.users", "false"),
            Map.entry("controlplane.agent.simulated.enabled", "false"),
            Map.entry("controlplane.oncall.handoff-summary", "false"),
            // the command materializes the KPI facts itself (kpi-facts), or not at all
            Map.entry("controlplane.kpis.facts.enabled", "false"));

    private Commands() {}

    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.containsKey(args[0]);
    }

    /** Bad arguments of a command: refused before the application starts, with what the command accepts. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Exit status of a command given arguments it does not accept (0 and 1 are its results). */
    static final int USAGE = 2;

    /** What each command accepts, as printed when it is given something else. */
    static final Map<String, String> USAGE_TEXT = Map.of(
            GOVERNANCE_CHECK,
                    "governance-check [<missionId> | --all | --from=<date or instant>] [--to=<date or instant>]",
            TELEMETRY_AUDIT, "telemetry-audit [--mode=check|report | --mode check|report] [<days>, 1-9999; default 7]",
            KPI_FACTS, "kpi-facts [catch-up | rescan | rebuild; default catch-up]");

    public static int run(Class<?> application, String[] args) {
        return run(application, args, System.out, System.err);
    }

    /**
     * Runs the command {@code args[0]}: {@code --name=value} arguments whose name has a dot configure the application
     * as usual (e.g. {@code --spring.profiles.active=postgres}), the others are the command's own and are checked
     * before anything starts. The report goes to {@code out}; what the command is doing (starting, connected, checking)
     * to {@code err}, so a script reading the report is not disturbed and a person sees it is not hanging.
     */
    static int run(Class<?> application, String[] args, PrintStream out, PrintStream err) {
        String name = args[0];
        Command command = COMMANDS.get(name);
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        List<String> commandArgs =
                rest.stream().filter(a -> !applicationProperty(a)).toList();
        String[] springArgs =
                rest.stream().filter(Commands::applicationProperty).toArray(String[]::new);
        try {
            check(name, commandArgs);
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage());
            err.println("usage: " + USAGE_TEXT.get(name)
                    + "  (--<property>=<value> arguments with a dot in the name configure the application)");
            return USAGE;
        }

        long started = System.nanoTime();
        err.println(name + ": starting (no web server, job executor, deployment, demo data or simulated agent)…");
        SpringApplication app = new SpringApplication(application);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.addListeners(new CommandProperties());
        try (ConfigurableApplicationContext context = app.run(springArgs)) {
            err.println(name + ": connected to " + context.getEnvironment().getProperty("spring.datasource.url")
                    + " in " + (System.nanoTime() - started) / 1_000_000 + " ms; running");
            int status = command.run(context, commandArgs, out);
            err.println(name + ": done in " + (System.nanoTime() - started) / 1_000_000 + " ms, exit " + status);
            return status;
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            err.println(name + " could not run: " + e.getMessage());
            return 1;
        }
    }

    /** {@code --a.b=…}: an application property for Spring; anything else belongs to the command. */
    private static boolean applicationProperty(String arg) {
        if (!arg.startsWith("--")) {
            return false;
        }
        int end = arg.indexOf('=');
        return arg.substring(2, end < 0 ? arg.length() : end).contains(".");
    }

    /** Refuses what the command would otherwise ignore or misread. */
    static void check(String command, List<String> args) {
        if (GOVERNANCE_CHECK.equals(command)) {
            governanceCheckOptions(args);
        } else if (TELEMETRY_AUDIT.equals(command)) {
            telemetryAuditOptions(args);
        } else if (KPI_FACTS.equals(command)) {
            kpiFactsMode(args);
        }
    }

    private static final List<String> KPI_FACTS_MODES = List.of("catch-up", "rescan", "rebuild");

    private static String kpiFactsMode(List<String> args) {
        if (args.size() > 1) {
            throw new UsageException("one mode at most, got " + args);
        }
        String mode = args.isEmpty() ? "catch-up" : args.get(0);
        if (!KPI_FACTS_MODES.contains(mode)) {
            throw new UsageException("unknown mode " + mode + "; accepted: " + String.join(", ", KPI_FACTS_MODES));
        }
        return mode;
    }

    /**
     * {@code kpi-facts [catch-up | rescan | rebuild]}: materializes the KPI facts of ended journeys now, as the service's
     * job does every minute (catch-up); also those that ended behind its progress, after history was restored or
     * imported (rescan); or forgets them all and starts over (rebuild). Always 0: the KPIs are right meanwhile, read
     * live from the history.
     */
    public static int kpiFacts(KpiFacts facts, List<String> args, PrintStream out) {
        String mode = kpiFactsMode(args);
        int journeys = switch (mode) {
            case "rescan" -> facts.rescan();
            case "rebuild" -> facts.rebuild();
            default -> facts.catchUp();
        };
        out.println("KPI facts (" + mode + "): " + journeys + " ended journeys materialized");
        return 0;
    }

    private record GovernanceCheckOptions(String missionId, boolean all, String from, String to) {}

    private static GovernanceCheckOptions governanceCheckOptions(List<String> args) {
        String missionId = null;
        String from = null;
        String to = null;
        boolean all = false;
        for (String a : args) {
            if (a.equals("--all")) {
                all = true;
            } else if (a.startsWith("--from=")) {
                from = a.substring(7);
            } else if (a.startsWith("--to=")) {
                to = a.substring(5);
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a + "; accepted: --all, --from=…, --to=…");
            } else if (missionId != null) {
                throw new UsageException("one mission id at most, got " + missionId + " and " + a);
            } else {
                missionId = a;
            }
        }
        if (missionId != null && (all || from != null || to != null) || all && (from != null || to != null)) {
            throw new UsageException("give a mission id, --all or a window (--from/--to), not several");
        }
        return new GovernanceCheckOptions(missionId, all, from, to);
    }

    private record TelemetryAuditOptions(boolean check, int days) {}

    private static TelemetryAuditOptions telemetryAuditOptions(List<String> args) {
        String mode = null;
        Integer days = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value;
            if (a.equals("--mode")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--mode needs a value: check or report");
                }
                value = args.get(++i);
            } else if (a.startsWith("--mode=")) {
                value = a.substring(7);
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a + "; accepted: --mode=check|report");
            } else if (a.matches("\\d{1,4}") && Integer.parseInt(a) > 0 && days == null) {
                days = Integer.parseInt(a);
                continue;
            } else {
                throw new UsageException("unexpected argument " + a + "; accepted: --mode=check|report and a number"
                        + " of days (1-9999), once each");
            }
            if (mode != null) {
                throw new UsageException("--mode given twice");
            }
            if (!value.equals("check") && !value.equals("report")) {
                throw new UsageException("unknown mode " + value + "; accepted: check, report");
            }
            mode = value;
        }
        return new TelemetryAuditOptions(!"report".equals(mode), days == null ? 7 : days);
    }

    /**
     * {@code governance-check [missionId | --from=<date or instant>] [--to=…] [--all]}: every active mission plus those
     * that ended in [from, to) (default the trailing seven days), the one mission given, or with {@code --all} every
     * mission of the whole history (an audit: its cost grows with the history); 0 when all pass, 1 otherwise. One line
     * per mission, its failures and warnings indented below it.
     */
    public static int governanceCheckCommand(GovernanceCheck check, List<String> args, PrintStream out) {
        GovernanceCheckOptions options = governanceCheckOptions(args);
        if (options.missionId() != null) {
            return governanceCheck(check, options.missionId(), out);
        }
        if (options.all()) {
            return print(check.checkHistory(), "every mission of the history", out);
        }
        ReportWindow window = ReportWindow.parse(options.from(), options.to());
        return print(
                check.check(window.from(), window.to()),
                "active missions, and missions ended " + window.from() + " – " + window.to(),
                out);
    }

    /**
     * {@code governance-check [missionId]}: the active missions and those ended in the trailing seven days (or the one
     * given); 0 when all pass, 1 otherwise.
     */
    public static int governanceCheck(GovernanceCheck check, String missionId, PrintStream out) {
        if (missionId == null) {
            return governanceCheckCommand(check, List.of(), out);
        }
        return print(check.checkMission(missionId), null, out);
    }

    private static int print(GovernanceReport report, String covers, PrintStream out) {
        GovernanceReport.Summary s = report.summary();
        out.println("Governance check " + s.checkedAt() + (covers == null ? "" : ", " + covers) + ": " + s.missions()
                + (s.missions() == 1 ? " mission, " : " missions, ") + s.passed() + " passed, " + s.failed()
                + " failed");
        for (GovernanceReport.MissionResult m : report.missions()) {
            out.println((m.passed() ? "PASS " : "FAIL ") + m.missionId() + "  " + m.title() + "  ("
                    + m.stage().displayName() + ")");
            m.failures().forEach(f -> out.println("    failure [" + f.rule() + "] " + f.detail()));
            m.warnings().forEach(w -> out.println("    warning [" + w.rule() + "] " + w.detail()));
        }
        return report.passed() ? 0 : 1;
    }

    /**
     * {@code telemetry-audit [--mode check|report] [days]}: missions created in the last {@code days} (default 7);
     * {@code check} records each gap as a telemetry-gap finding. 0 when no gap, 1 otherwise.
     */
    public static int telemetryAudit(TelemetryAudit audit, List<String> args, PrintStream out) {
        TelemetryAuditOptions options = telemetryAuditOptions(args);
        boolean check = options.check();
        int days = options.days();
        Instant to = Instant.now();
        TelemetryAudit.Report report = audit.audit(check, to.minus(Duration.ofDays(days)), to, null);
        // the mode as the command line spells it (--mode=check); the API answers it as CHECK
        out.println("Telemetry audit (" + report.mode().toLowerCase(Locale.ROOT) + ") " + report.from() + " – "
                + report.to() + ": " + report.missions() + " missions, "
                + report.gaps().size() + " gaps");
        report.gaps()
                .forEach(g -> out.println("GAP " + g.missionId() + "  " + g.stage() + "  " + g.event() + "  ("
                        + g.kind() + "): " + g.detail()));
        return report.clean() ? 0 : 1;
    }

    /** Puts {@link #COMMAND_PROPERTIES} first, before Spring binds {@code spring.main.*} and logging starts. */
    private static final class CommandProperties
            implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {
        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            event.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource("command", new LinkedHashMap<>(COMMAND_PROPERTIES)));
        }

        @Override
        public int getOrder() {
            // after the config files are read (HIGHEST_PRECEDENCE + 10), before logging starts (+ 20)
            return Ordered.HIGHEST_PRECEDENCE + 15;
        }
    }
}
