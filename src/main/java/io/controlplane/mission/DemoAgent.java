package io.controlplane.mission;

/**
 * The built-in simulated agent as the demo seeding drives it ({@link DemoMissions}): implemented by the execution
 * package's {@code SimulatedAgent}, so the mission kernel needs no feature to seed its demo.
 */
public interface DemoAgent {
    /** {@code controlplane.agent.simulated.enabled}: off, nothing at all (not even demo seeding) works as this agent */
    boolean enabled();

    /** Serves the open tasks of the mission (and its runbooks) with this business key; returns how many it completed. */
    int runOnce(String businessKey);
}
