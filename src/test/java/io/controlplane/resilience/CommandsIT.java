package io.controlplane.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar's one-shot commands, run as operations runs them ({@code java -jar … governance-check}, docs/
 * operations.md) against a PostgreSQL database: they start without web server or job executor, print their report
 * and exit 0 when nothing fails. The in-JVM tests call the commands' methods; only the jar shows the whole start-up.
 */
class CommandsIT {

    @Test
    void governanceCheckAndTelemetryAuditRunFromTheJar() throws Exception {
        ItDatabase db = new ItDatabase("controlplane_commands_it").recreate();
        Result check = run(db, "governance-check");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).as(check.output()).doesNotContain("APPLICATION FAILED TO START");

        Result audit = run(db, "telemetry-audit", "--mode", "report");
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.output()).as(audit.output()).doesNotContain("APPLICATION FAILED TO START");
        System.out.printf("COMMANDS: governance-check exit=%d, telemetry-audit exit=%d%n", check.exit(), audit.exit());
    }

    private record Result(int exit, String output) {}

    private static Result run(ItDatabase db, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                ServiceNode.jar().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + ItDatabase.user(),
                "--spring.datasource.password=" + ItDatabase.password()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("CONTROLPLANE_") || k.startsWith("SPRING_"));
        Process process = pb.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the command ends").isTrue();
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
