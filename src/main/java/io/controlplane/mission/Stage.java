package io.controlplane.mission;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The five stages of the mission journey, with the readiness artifact each one leaves behind. */
public enum Stage {
    DEFINE("Define", "define_intake_validation.md", List.of("Intake", "Mission Brief")),
    PREPARE("Prepare", "prepare_toolkit_attestation.md", List.of("Toolkits & Connect", "Data Inspect")),
    PLAN_APPROVE("Plan & Approve", "plan_approval_packet.md", List.of("Plan")),
    EXECUTE_OBSERVE("Execute & Observe", "execute_observe_runlog.md", List.of("Governed Execution", "Evidence")),
    REFLECT_IMPROVE("Reflect & Improve", "reflect_improve_retro.md", List.of("Feedback"));

    private final String displayName;
    private final String evidenceTemplate;
    private final List<String> legacyNames;

    Stage(String displayName, String evidenceTemplate, List<String> legacyNames) {
        this.displayName = displayName;
        this.evidenceTemplate = evidenceTemplate;
        this.legacyNames = legacyNames;
    }

    public String displayName() {
        return displayName;
    }

    public String evidenceTemplate() {
        return evidenceTemplate;
    }

    public List<String> legacyNames() {
        return legacyNames;
    }

    /** Accepts a stage code in any case ({@code plan_approve}); legacy names are handled by {@link #fromLegacy}. */
    public static Optional<Stage> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String normalised = code.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(s -> s.name().equals(normalised)).findFirst();
    }

    /** Maps one of the eight legacy stage names (case and separators ignored) to its five-stage successor. */
    public static Optional<Stage> fromLegacy(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = simplify(name);
        return Arrays.stream(values())
                .filter(s -> s.legacyNames.stream().anyMatch(l -> simplify(l).equals(key)))
                .findFirst();
    }

    private static String simplify(String s) {
        return s.toLowerCase(Locale.ROOT).replace("&", "and").replaceAll("[^a-z]", "");
    }
}
