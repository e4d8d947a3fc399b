package io.controlplane;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md (issue #14), over the main code's bytecode (so an inline fully-qualified
 * name is a dependency like any import):
 * <ul>
 * <li>layers: {@code platform} at the bottom, the mission kernel ({@code mission}) on it, the features above
 * (governance, execution, incident, notify, library, backlog, legacy), the reports on top (telemetry, rhythm), and
 * {@code journey} — the glue to the BPMN models — beside them, the only package that may reach every layer;</li>
 * <li>no package dependency beyond the recorded graph ({@code architecture/package-edges.txt}), which shrinks until it
 * is a DAG;</li>
 * <li>no Camunda delegate types ({@code DelegateExecution}, {@code DelegateTask}) outside {@code journey}.</li>
 * </ul>
 * All three hold strictly. The delegate rule was a ratchet while it was not met (ArchUnit's frozen store: 165 uses in
 * 18 classes when it was adopted); since the delegates, listeners and checkpoint listeners became journey adapters
 * there are none, and the store is gone.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainCode() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.controlplane");
    }

    static final ArchRule LAYERS = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Platform")
            .definedBy("io.controlplane.platform..")
            .layer("Kernel")
            .definedBy("io.controlplane.mission..")
            .layer("Features")
            .definedBy(
                    "io.controlplane.governance..",
                    "io.controlplane.execution..",
                    "io.controlplane.incident..",
                    "io.controlplane.notify..",
                    "io.controlplane.library..",
                    "io.controlplane.backlog..",
                    "io.controlplane.legacy..")
            .layer("Reports")
            .definedBy("io.controlplane.telemetry..", "io.controlplane.rhythm..")
            .layer("Journey")
            .definedBy("io.controlplane.journey..")
            .whereLayer("Journey")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Reports")
            .mayOnlyBeAccessedByLayers("Journey")
            .whereLayer("Features")
            .mayOnlyBeAccessedByLayers("Reports", "Journey")
            .whereLayer("Kernel")
            .mayOnlyBeAccessedByLayers("Features", "Reports", "Journey")
            .as("packages depend downwards only: journey, reports > features > mission kernel > platform");

    static final ArchRule DELEGATES_IN_JOURNEY = noClasses()
            .that()
            .resideOutsideOfPackage("io.controlplane.journey..")
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.camunda.bpm.engine.delegate.DelegateExecution")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.camunda.bpm.engine.delegate.DelegateTask")
            .as("no DelegateExecution or DelegateTask outside the journey package");

    @Test
    void packagesDependDownwardsOnly() {
        LAYERS.check(classes);
    }

    /** The features' packages form a DAG: no cycle between any two top-level packages, whatever their layers. */
    @Test
    void packagesFormADag() {
        slices().matching("io.controlplane.(*)..").should().beFreeOfCycles().check(classes);
    }

    /**
     * The package graph, edge by edge: every dependency of a class in one package on a class in another is an edge, and
     * the edges are those listed in {@code architecture/package-edges.txt} — a new edge fails, and so does a listed edge
     * the code no longer has (delete its line: the file is the graph docs/architecture.md draws, so a
     * new edge is a reviewed change of the drawing, even one the layers allow).
     */
    @Test
    void packageEdgesAreTheRecordedOnes() throws Exception {
        Set<String> actual = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = feature(c.getPackageName());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                if (target.getPackageName().startsWith("io.controlplane")) {
                    String to = feature(target.getPackageName());
                    if (!from.equals(to)) {
                        actual.add(from + " -> " + to);
                    }
                }
            }
        }
        Set<String> recorded = new TreeSet<>();
        try (var in = ArchitectureTest.class.getResourceAsStream("/architecture/package-edges.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    recorded.add(line.trim());
                }
            }
        }
        Set<String> added = new TreeSet<>(actual);
        added.removeAll(recorded);
        Set<String> gone = new TreeSet<>(recorded);
        gone.removeAll(actual);
        assertThat(added)
                .as("package dependencies not in architecture/package-edges.txt (the graph must not grow)")
                .isEmpty();
        assertThat(gone)
                .as("edges in architecture/package-edges.txt the code no longer has (delete their lines)")
                .isEmpty();
    }

    /** the first package under io.controlplane ("(root)" for the application class) */
    private static String feature(String packageName) {
        String rest = packageName.equals("io.controlplane") ? "" : packageName.substring("io.controlplane.".length());
        return rest.isEmpty() ? "(root)" : rest.split("\\.")[0];
    }

    @Test
    void onlyTheJourneyPackageTouchesCamundaDelegates() {
        DELEGATES_IN_JOURNEY.check(classes);
    }
}
