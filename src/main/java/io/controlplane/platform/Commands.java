package io.controlplane.platform;

import io.controlplane.governance.GovernanceCheck;
import io.controlplane.telemetry.TelemetryAudit;
import io.controlplane.governance.GovernanceReport;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 * web server, job executor, demo data, simulated agent or hand-off posts, runs the command, prints its result and
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

    private static final Map<String, Command> COMMANDS = Map.of(
            GOVERNANCE_CHECK, (context, args, out) -> governanceCheckCommand(context.getBean(GovernanceCheck.class), args, out),
            TELEMETRY_AUDIT, (context, args, out) -> telemetryAudit(context.getBean(TelemetryAudit.class), args, out));

    /** Settings every command runs with, above any other property source: nothing starts working on missions. */
    static final Map<String, Object> COMMAND_PROPERTIES = Map.of(
            "spring.main.web-application-type", "none",
            "spring.main.banner-mode", "off",
            "logging.level.root", "warn",
            // Camunda's REST API (/engine-rest) needs a servlet container even when there is none
            "spring.autoconfigure.exclude", "org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration",
            "camunda.bpm.job-execution.enabled", "false",
            "controlplane.demo.missions", "false",
            "controlplane.demo.users", "false",
            "controlplane.agent.simulated.enabled", "false",
            "controlplane.oncall.handoff-summary", "false");

    private Commands() {
    }

    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.containsKey(args[0]);
    }

    /**
     * Runs the command {@code args[0]}: arguments starting with {@code --} configure the application as usual (e.g.
     * {@code --spring.profiles.active=postgres}), the others are the command's own.
     */
    public static int run(Class<?> application, String[] args) {
        Command command = COMMANDS.get(args[0]);
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        List<String> commandArgs = rest.stream().filter(a -> !a.startsWith("--") || ownOption(args[0], a)).toList();
        String[] springArgs = rest.stream().filter(a -> a.startsWith("--") && !ownOption(args[0], a)).toArray(String[]::new);

        SpringApplication app = new SpringApplication(application);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.addListeners(new CommandProperties());
        try (ConfigurableApplicationContext context = app.run(springArgs)) {
            return command.run(context, commandArgs, System.out);
        } catch (RuntimeException e) {
            System.err.println(args[0] + " could not run: " + e.getMessage());
            return 1;
        }
    }

    /** The {@code --} options a command reads itself (every other {@code --} argument configures the application). */
    private static boolean ownOption(String command, String arg) {
        return GOVERNANCE_CHECK.equals(command)
                && (arg.equals("--all") || arg.startsWith("--from=") || arg.startsWith("--to="));
    }

    /**
     * {@code governance-check [missionId | --from=<date or instant>] [--to=…] [--all]}: every active mission plus those
     * that ended in [from, to) (default the trailing seven days), the one mission given, or with {@code --all} every
     * mission of the whole history (an audit: its cost grows with the history); 0 when all pass, 1 otherwise. One line
     * per mission, its failures and warnings indented below it.
     */
    public static int governanceCheckCommand(GovernanceCheck check, List<String> args, PrintStream out) {
        String missionId = args.stream().filter(a -> !a.startsWith("--")).findFirst().orElse(null);
        if (missionId != null) {
            return governanceCheck(check, missionId, out);
        }
        if (args.contains("--all")) {
            return print(check.checkHistory(), "every mission of the history", out);
        }
        String from = args.stream().filter(a -> a.startsWith("--from=")).findFirst().map(a -> a.substring(7)).orElse(null);
        String to = args.stream().filter(a -> a.startsWith("--to=")).findFirst().map(a -> a.substring(5)).orElse(null);
        ReportWindow window = ReportWindow.parse(from, to);
        return print(check.check(window.from(), window.to()), "active missions, and missions ended "
                + window.from() + " – " + window.to(), out);
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
                + (s.missions() == 1 ? " mission, " : " missions, ") + s.passed() + " passed, " + s.failed() + " failed");
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
        boolean check = !args.contains("report");
        int days = args.stream().filter(a -> a.matches("\\d{1,4}")).findFirst().map(Integer::parseInt).orElse(7);
        java.time.Instant to = java.time.Instant.now();
        TelemetryAudit.Report report = audit.audit(check, to.minus(java.time.Duration.ofDays(days)), to, null);
        out.println("Telemetry audit (" + report.mode() + ") " + report.from() + " – " + report.to() + ": "
                + report.missions() + " missions, " + report.gaps().size() + " gaps");
        report.gaps().forEach(g -> out.println("GAP " + g.missionId() + "  " + g.stage() + "  " + g.event() + "  (" + g.kind()
                + "): " + g.detail()));
        return report.clean() ? 0 : 1;
    }

    /** Puts {@link #COMMAND_PROPERTIES} first, before Spring binds {@code spring.main.*} and logging starts. */
    private static final class CommandProperties implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {
        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            event.getEnvironment().getPropertySources().addFirst(new MapPropertySource("command",
                    new LinkedHashMap<>(COMMAND_PROPERTIES)));
        }

        @Override
        public int getOrder() {
            // after the config files are read (HIGHEST_PRECEDENCE + 10), before logging starts (+ 20)
            return Ordered.HIGHEST_PRECEDENCE + 15;
        }
    }
}
