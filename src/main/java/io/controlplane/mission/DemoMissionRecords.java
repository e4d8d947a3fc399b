package io.controlplane.mission;

import io.controlplane.platform.DemoMissionFinder;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The missions {@link DemoMissions} seeds, as the prod profile's demo-data guard asks for them. */
@Component
class DemoMissionRecords implements DemoMissionFinder {
    private final NamedParameterJdbcTemplate jdbc;

    DemoMissionRecords(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<String> demoMissionTitles() {
        return jdbc.queryForList(
                "SELECT title FROM missions WHERE owner = :owner AND title IN (:titles) ORDER BY title",
                Map.of("owner", DemoMissions.OWNER, "titles", DemoMissions.TITLES),
                String.class);
    }
}
