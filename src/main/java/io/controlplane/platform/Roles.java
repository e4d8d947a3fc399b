package io.controlplane.platform;

import java.util.List;

/** The Camunda groups of the operating model, one per role of the operations guide. */
public final class Roles {
    public static final String MISSION_OWNER = "mission-owner";
    public static final String GOVERNANCE_VALIDATOR = "governance-validator";
    public static final String OPERATIONS_COMMAND = "operations-command";
    public static final String TELEMETRY_ANALYST = "telemetry-analyst";
    public static final String KNOWLEDGE_CURATOR = "knowledge-curator";
    /** Agent runtimes that fetch and complete external tasks through /engine-rest (not an operating role). */
    public static final String AGENT = "ai-agent";
    /** Camunda's own administrators group. */
    public static final String ADMIN = "camunda-admin";

    public static final List<String> OPERATING_ROLES =
            List.of(MISSION_OWNER, GOVERNANCE_VALIDATOR, OPERATIONS_COMMAND, TELEMETRY_ANALYST, KNOWLEDGE_CURATOR);

    private Roles() {}

    public static String displayName(String groupId) {
        return switch (groupId) {
            case MISSION_OWNER -> "Mission Owner";
            case GOVERNANCE_VALIDATOR -> "Governance Validator";
            case OPERATIONS_COMMAND -> "Operations Command";
            case TELEMETRY_ANALYST -> "Telemetry Analyst";
            case KNOWLEDGE_CURATOR -> "Knowledge Curator";
            case ADMIN -> "Camunda Administrator";
            default -> groupId;
        };
    }
}
