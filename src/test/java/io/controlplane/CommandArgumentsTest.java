package io.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A one-shot command refuses what it would otherwise ignore or misread (before, {@code telemetry-audit --mode=report}
 * ran check mode and recorded findings): exit 2, a message saying what it accepts, and nothing started.
 */
class CommandArgumentsTest {

    @Test
    void bothSpellingsOfTheModeAreAcceptedAndApplicationPropertiesPassThrough() {
        assertThatCode(() -> Commands.check(Commands.TELEMETRY_AUDIT, List.of("--mode=report", "14")))
                .doesNotThrowAnyException();
        assertThatCode(() -> Commands.check(Commands.TELEMETRY_AUDIT, List.of("--mode", "check")))
                .doesNotThrowAnyException();
        assertThatCode(() -> Commands.check(Commands.GOVERNANCE_CHECK, List.of("--from=2026-01-01", "--to=2026-02-01")))
                .doesNotThrowAnyException();
        assertThatCode(() -> Commands.check(Commands.GOVERNANCE_CHECK, List.of("some-mission-id")))
                .doesNotThrowAnyException();
    }

    @Test
    void unknownModesOptionsAndArgumentsAreRefusedBeforeAnythingStarts() {
        Run weekly = run("telemetry-audit", "--mode=weekly", "--spring.datasource.url=jdbc:h2:mem:never-opened");
        assertThat(weekly.exit()).isEqualTo(2);
        assertThat(weekly.err())
                .contains(
                        "unknown mode weekly; accepted: check, report",
                        "usage: telemetry-audit [--mode=check|report | --mode check|report]");
        assertThat(weekly.err()).doesNotContain("starting");
        assertThat(weekly.out()).isEmpty();

        assertThat(run("telemetry-audit", "report").err()).contains("unexpected argument report");
        assertThat(run("telemetry-audit", "--mode").err()).contains("--mode needs a value");
        assertThat(run("telemetry-audit", "--days=3").err()).contains("unknown option --days=3");
        assertThat(run("telemetry-audit", "0").exit()).isEqualTo(2);
        assertThat(run("governance-check", "--everything").err())
                .contains("unknown option --everything; accepted: --all");
        assertThat(run("governance-check", "m1", "m2").err()).contains("one mission id at most");
        assertThat(run("governance-check", "m1", "--all").err()).contains("not several");
        assertThatThrownBy(() -> Commands.check(Commands.GOVERNANCE_CHECK, List.of("--all", "--from=2026-01-01")))
                .hasMessageContaining("not several");
        assertThat(run("kpi-facts", "rebuilt").err())
                .contains("unknown mode rebuilt; accepted: catch-up, rescan, rebuild");
        assertThat(run("kpi-facts", "rescan", "rebuild").exit()).isEqualTo(2);
        assertThatCode(() -> Commands.check(Commands.KPI_FACTS, List.of("rescan")))
                .doesNotThrowAnyException();
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Commands.run(
                ControlPlaneApplication.class,
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
