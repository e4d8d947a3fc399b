package io.controlplane.resilience;

import io.controlplane.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One instance of the service as operations runs it: the packaged jar in a JVM of its own ({@code java -jar}), on a
 * free port, against a PostgreSQL database, with the job executor and the simulated agent working (unless the
 * settings say otherwise: each replaces the default it names). Its output goes to
 * {@code target/it-logs/<name>.log}; a failed check prints the log's tail. Public for the ITs of other packages (the
 * reference agent's {@code ExternalTaskClientIT}).
 */
public final class ServiceNode implements AutoCloseable {
    private static final Path LOGS = Path.of("target", "it-logs");

    private final String name;
    private final String jdbcUrl;
    private final Map<String, String> settings;
    private final Path log;
    private Process process;
    private int port;

    public ServiceNode(String name, String jdbcUrl, Map<String, String> settings) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.settings = settings;
        this.log = LOGS.resolve(name + ".log");
    }

    /** The repackaged (executable) jar {@code ./mvnw package} built: not the plain {@code .jar.original}. */
    static Path jar() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("ai-employee-control-plane-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "No service jar in target/: these tests run after `package` (./mvnw verify -Ppostgres)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the JVM (same port on a restart, as a replaced pod keeps its service address). */
    public ServiceNode start() {
        if (port == 0) {
            port = freePort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a small, quickly started JVM: the CI machine has two cores shared by everything else
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar().toString()));
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("server.port", Integer.toString(port));
        arguments.put("spring.profiles.active", "postgres");
        arguments.put("spring.datasource.url", jdbcUrl);
        arguments.put("spring.datasource.username", ItDatabase.user());
        arguments.put("spring.datasource.password", ItDatabase.password());
        arguments.put("controlplane.demo.users", "true");
        arguments.put("controlplane.demo.missions", "false");
        arguments.put("controlplane.agent.simulated.enabled", "true");
        arguments.put("camunda.bpm.job-execution.enabled", "true");
        // a setting replaces the default rather than being given twice: Spring joins a repeated option with commas
        arguments.putAll(settings);
        arguments.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            Files.createDirectories(LOGS);
            // a fresh log per test run; a restart appends to it
            Files.writeString(
                    log,
                    "\n===== " + Instant.now() + " start " + name + " on port " + port + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    process == null ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // the command line decides the database and profile, not the CI's environment
            pb.environment()
                    .keySet()
                    .removeIf(k -> k.startsWith("CONTROLPLANE_") || k.startsWith("SPRING_") || k.equals("PORT"));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Waits until {@code /actuator/health} says UP; fails with the log's tail when the JVM dies or time runs out. */
    public ServiceNode awaitUp(Duration timeout) {
        if (!awaitUpOrExit(timeout)) {
            throw new AssertionError(name + " exited with " + process.exitValue() + " while starting\n" + tail(60));
        }
        return this;
    }

    /** Like {@link #awaitUp}, but returns false when the JVM exits while starting. */
    boolean awaitUpOrExit(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Http http = http();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                Http.Response r = http.get("/actuator/health", null);
                if (r.status() == 200 && r.body().contains("\"UP\"")) {
                    return true;
                }
            } catch (RuntimeException notYet) {
                // connection refused while Tomcat starts
            }
            sleep(500);
        }
        throw new AssertionError(name + " not UP after " + timeout + "\n" + tail(60));
    }

    /** {@code kill -9}: no shutdown hook, no transaction finished, no lock released. */
    void killHard() {
        long pid = process.pid();
        try {
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                process.destroyForcibly(); // SIGKILL as well, on Linux
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + pid + ") survived kill -9");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    String name() {
        return name;
    }

    public Http http() {
        return new Http(port);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The last {@code lines} lines of the node's log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "----- " + log + " (last " + lines + " lines) -----\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Lines of the log containing {@code text}. */
    List<String> grep(String text) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains(text))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A graceful stop (SIGTERM), then SIGKILL if it hangs. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
