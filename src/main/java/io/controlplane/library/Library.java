package io.controlplane.library;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.controlplane.mission.MissionStore;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The knowledge library: the curator promotes executed plays to reusable assets at the retrospective; the planner is
 * offered the assets matching a new mission (same persona, or a tag naming one of its toolkits); an asset counts its
 * reuse when a plan using it is approved, and its rating from those missions' feedback.
 */
@Component("library")
public class Library {
    public static final List<String> CATEGORIES =
            List.of("outreach", "segmentation", "data_hygiene", "reporting", "other");

    public record Asset(
            String id,
            String name,
            String description,
            String category,
            String persona,
            String tags,
            String impact,
            String reversibility,
            boolean mutating,
            String sourceMissionId,
            String sourcePlayId,
            String createdBy,
            Instant createdAt,
            int reuseCount,
            Double averageRating) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final MissionStore missions;
    private final JsonValues json;

    Library(NamedParameterJdbcTemplate jdbc, MissionStore missions, JsonValues json) {
        this.jdbc = jdbc;
        this.missions = missions;
        this.json = json;
    }

    /** Promotes executed plays of the mission's approved round; returns the new asset ids. Unknown plays are refused. */
    public List<String> promote(String missionId, List<String> playIds, String category, List<String> tags, String by) {
        MissionStore.Mission m = missions.find(missionId).orElseThrow();
        List<String> ids = new ArrayList<>();
        for (String playId : playIds) {
            List<Map<String, Object>> play = jdbc.queryForList(
                    "SELECT * FROM mission_plays WHERE mission_id = :m AND play_id = :p "
                            + "AND executed_at IS NOT NULL AND approval_round = (SELECT MAX(approval_round) FROM mission_plays WHERE mission_id = :m)",
                    new MapSqlParameterSource("m", missionId).addValue("p", playId));
            if (play.isEmpty()) {
                throw new IllegalArgumentException("play '" + playId + "' was not executed in this mission");
            }
            Map<String, Object> p = play.get(0);
            String id = "asset-" + Integer.toHexString((missionId + "/" + playId).hashCode() & 0x7fffffff);
            jdbc.update(
                    """
                    INSERT INTO library_assets (id, name, description, category, persona, tags, impact, reversibility, mutating,
                      undo_plan_json, source_mission_id, source_play_id, created_by, created_at, reuse_count, rating_sum, rating_count)
                    VALUES (:id, :name, :description, :category, :persona, :tags, :impact, :reversibility, :mutating, :undo,
                      :mission, :play, :by, :at, 0, 0, 0)""",
                    new MapSqlParameterSource("id", id)
                            .addValue("name", p.get("name"))
                            .addValue("description", p.get("description"))
                            .addValue("category", category)
                            .addValue("persona", m.persona())
                            .addValue("tags", String.join(",", tags))
                            .addValue("impact", p.get("impact"))
                            .addValue("reversibility", p.get("reversibility"))
                            .addValue("mutating", p.get("mutating"))
                            .addValue("undo", p.get("undo_plan_json"))
                            .addValue("mission", missionId)
                            .addValue("play", playId)
                            .addValue("by", by)
                            .addValue("at", MissionStore.odt(Instant.now())));
            ids.add(id);
        }
        return ids;
    }

    /** The assets to offer the planner of {@code missionId}, as a Json variable {@code libraryOffers}. */
    public TypedValue offersFor(String missionId) {
        MissionStore.Mission m = missions.find(missionId).orElseThrow();
        List<String> slugs = new ArrayList<>();
        try {
            json.read(m.toolkitsJson())
                    .forEach(t -> slugs.add(t.path("slug").asText().toLowerCase(Locale.ROOT)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        List<Map<String, Object>> offers = new ArrayList<>();
        for (Asset a : list(null)) {
            boolean tagMatch = a.tags() != null
                    && Arrays.stream(a.tags().split(","))
                            .anyMatch(t -> slugs.contains(t.strip().toLowerCase(Locale.ROOT)));
            if ((a.persona().equalsIgnoreCase(m.persona()) || tagMatch)
                    && !a.sourceMissionId().equals(missionId)) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("libraryAssetId", a.id());
                o.put("name", a.name());
                o.put("category", a.category());
                o.put("impact", a.impact());
                o.put("reversibility", a.reversibility());
                o.put("mutating", a.mutating());
                o.put("averageRating", a.averageRating());
                offers.add(o);
            }
        }
        return json.variable(offers);
    }

    public boolean exists(String assetId) {
        Long n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM library_assets WHERE id = :id",
                new MapSqlParameterSource("id", assetId),
                Long.class);
        return n != null && n > 0;
    }

    /** Counts a reuse for every asset the mission's approved plan uses (once per mission). */
    public void recordReuse(String missionId) {
        jdbc.update(
                "UPDATE library_assets SET reuse_count = reuse_count + 1 WHERE id IN (SELECT DISTINCT library_asset_id "
                        + "FROM mission_plays WHERE mission_id = :m AND library_asset_id IS NOT NULL AND approval_round = "
                        + "(SELECT MAX(approval_round) FROM mission_plays WHERE mission_id = :m))",
                new MapSqlParameterSource("m", missionId));
    }

    /** Adds the mission owner's rating to every asset the mission reused. */
    public void rate(String missionId, int rating) {
        jdbc.update(
                "UPDATE library_assets SET rating_sum = rating_sum + :r, rating_count = rating_count + 1 WHERE id IN ("
                        + "SELECT DISTINCT library_asset_id FROM mission_plays WHERE mission_id = :m AND library_asset_id IS NOT NULL)",
                new MapSqlParameterSource("m", missionId).addValue("r", rating));
    }

    public List<Asset> list(String persona) {
        return assets(persona, "", new MapSqlParameterSource());
    }

    /** One page of the library, most reused first, and how many assets match in all. */
    public Page<Asset> page(String persona, Page.Request paging) {
        List<Asset> items = assets(
                persona,
                " LIMIT :limit OFFSET :offset",
                new MapSqlParameterSource("limit", paging.size()).addValue("offset", paging.offset()));
        Long total = jdbc.queryForObject(
                "SELECT COUNT(*) FROM library_assets" + where(persona),
                new MapSqlParameterSource("persona", persona),
                Long.class);
        return Page.of(paging, items, total == null ? 0 : total);
    }

    private static String where(String persona) {
        return persona == null ? "" : " WHERE LOWER(persona) = LOWER(:persona)";
    }

    private List<Asset> assets(String persona, String limit, MapSqlParameterSource p) {
        return jdbc.query(
                "SELECT * FROM library_assets" + where(persona) + " ORDER BY reuse_count DESC, created_at DESC, id"
                        + limit,
                p.addValue("persona", persona),
                (rs, n) -> new Asset(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getString("description"),
                        rs.getString("category"),
                        rs.getString("persona"),
                        rs.getString("tags"),
                        rs.getString("impact"),
                        rs.getString("reversibility"),
                        rs.getBoolean("mutating"),
                        rs.getString("source_mission_id"),
                        rs.getString("source_play_id"),
                        rs.getString("created_by"),
                        MissionStore.instant(rs, "created_at"),
                        rs.getInt("reuse_count"),
                        rs.getInt("rating_count") == 0
                                ? null
                                : (double) rs.getInt("rating_sum") / rs.getInt("rating_count")));
    }
}
