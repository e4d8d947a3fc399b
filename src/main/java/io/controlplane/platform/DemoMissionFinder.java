package io.controlplane.platform;

import java.util.List;

/**
 * Finds the demo's seeded missions in the database, for {@link DemoDataGuard}: the mission kernel knows which missions
 * the demo seeds and owns their table, the guard only asks (so the platform depends on no feature).
 */
@FunctionalInterface
public interface DemoMissionFinder {
    /** the titles of the demo missions present, sorted; empty when there are none */
    List<String> demoMissionTitles();
}
