package io.controlplane.mission;

import static io.controlplane.mission.MissionJourney.Elements;
import static io.controlplane.mission.MissionJourney.Topics;
import static io.controlplane.mission.MissionJourney.Vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import io.controlplane.library.Library;
import io.controlplane.telemetry.Boards;
import io.controlplane.telemetry.KpiService;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.BadUserRequestException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A play promoted at one mission's retrospective is offered to a later mission, counted as reused and rated. */
@IntegrationTest
class LibraryTest {
    @Autowired
    JourneyDriver drive;

    @Autowired
    Library library;

    @Autowired
    Boards boards;

    @Autowired
    KpiService kpis;

    private static MissionRequest brief(String title, String persona, String toolkit) {
        return new MissionRequest(
                title,
                "Re-engage dormant accounts",
                persona,
                new MissionRequest.Kpi("replies", BigDecimal.TEN),
                List.of(new MissionRequest.Safeguard("tone", null, null)),
                List.of(new MissionRequest.Toolkit(toolkit, List.of("read"))));
    }

    private void toExecution(String id, Map<String, Object> ranking) {
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(id);
        drive.agent(id, Topics.PLAY_RANK, ranking);
        drive.coSign(id, "gv", "oc");
    }

    private void reflect(String id, long rating, Map<String, Object> curator) {
        drive.complete(
                id,
                Elements.MISSION_FEEDBACK,
                "mo",
                Map.of(
                        Vars.FEEDBACK_RATING,
                        rating,
                        Vars.EFFORT_SAVED_HOURS,
                        1L,
                        Vars.FEEDBACK_SATISFACTION,
                        "satisfied"));
        drive.complete(id, Elements.RETRO_SIGN_OFF_OWNER, "mo", Map.of(Vars.OWNER_SIGN_OFF, true));
        drive.complete(id, Elements.RETRO_SIGN_OFF_CURATOR, "kc", curator);
        drive.complete(id, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
    }

    @Test
    void aPromotedPlayIsOfferedToALaterMissionAndCountedAsReused() throws Exception {
        String persona = "Library persona " + System.nanoTime();
        // a toolkit and persona of its own: other tests' missions must not be offered this asset
        String first = drive.start("mo", brief("Library source", persona, "library-test-crm"));
        toExecution(first, drive.ranking("low/reversible", "medium/reversible"));
        drive.agent(first, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "segmented"));
        drive.agent(first, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "drafted"));
        assertThatThrownBy(() -> reflect(
                        first,
                        4,
                        Map.of(
                                Vars.CURATOR_SIGN_OFF,
                                true,
                                Vars.LIBRARY_PLAYS,
                                "play-9",
                                Vars.LIBRARY_CATEGORY,
                                "segmentation")))
                .hasMessageContaining("play-9");
        drive.complete(
                first,
                Elements.RETRO_SIGN_OFF_CURATOR,
                "kc",
                Map.of(
                        Vars.CURATOR_SIGN_OFF,
                        true,
                        Vars.LIBRARY_PLAYS,
                        "play-1",
                        Vars.LIBRARY_CATEGORY,
                        "segmentation",
                        Vars.LIBRARY_TAGS,
                        "library-test-crm"));
        drive.complete(first, Elements.RETRO_SIGN_OFF_ANALYST, "ta", Map.of(Vars.ANALYST_SIGN_OFF, true));
        List<Library.Asset> assets = library.list(persona);
        assertThat(assets).hasSize(1);
        Library.Asset asset = assets.get(0);
        assertThat(asset.sourceMissionId()).isEqualTo(first);
        assertThat(asset.category()).isEqualTo("segmentation");
        assertThat(asset.reuseCount()).isZero();

        // a later mission of the same persona: the planner is offered the asset and reuses it
        String second = drive.start("mo", brief("Library reuse", persona, "library-test-desk"));
        drive.confirmIntent(second);
        drive.agent(second, Topics.DATA_INSPECT, drive.coverage(95));
        drive.authorizeToolkits(second);
        var locked = drive.lock(second, Topics.PLAY_RANK);
        JsonNode offers = drive.json().read(locked.getVariables().get(Vars.LIBRARY_OFFERS));
        assertThat(offers.findValuesAsText("libraryAssetId")).containsExactly(asset.id());
        var bad = Map.<String, Object>of(
                Vars.RANKED_PLAYS,
                drive.json()
                        .variable(List.of(Map.of(
                                "playId",
                                "x",
                                "name",
                                "X",
                                "impact",
                                "low",
                                "reversibility",
                                "reversible",
                                "mutating",
                                false,
                                "libraryAssetId",
                                "asset-unknown"))));
        Assertions.assertThatThrownBy(() -> drive.engineComplete(locked.getId(), bad))
                .isInstanceOf(BadUserRequestException.class)
                .hasMessageContaining("not in the library");
        drive.engineComplete(
                locked.getId(),
                Map.of(
                        Vars.RANKED_PLAYS,
                        drive.json()
                                .variable(List.of(Map.of(
                                        "playId",
                                        "reuse",
                                        "name",
                                        "Reuse segmentation",
                                        "impact",
                                        "low",
                                        "reversibility",
                                        "reversible",
                                        "mutating",
                                        false,
                                        "libraryAssetId",
                                        asset.id())))));
        drive.coSign(second, "gv", "oc");
        assertThat(library.list(persona).get(0).reuseCount()).isEqualTo(1);
        drive.agent(second, Topics.PLAY_EXECUTE, drive.outcome("succeeded", "reused"));
        reflect(second, 5, Map.of(Vars.CURATOR_SIGN_OFF, true));
        assertThat(library.list(persona).get(0).averageRating()).isEqualTo(5.0);

        // one definition of reuse (issue #15): the feedback board counts the mission that reused a play through its
        // ranking (its feedback names no asset) exactly as the library-reuse KPI does, over the same window
        Instant from = KpiService.now().minus(Duration.ofDays(1));
        Instant to = KpiService.now().plusSeconds(1);
        Boards.FeedbackInsights board = boards.feedbackInsights(from, to);
        KpiService.Kpi reuse = kpis.report(from, to).kpis().stream()
                .filter(k -> k.key().equals("library-reuse"))
                .findFirst()
                .orElseThrow();
        assertThat(board.missionsReusingAssets()).isEqualTo(reuse.numerator()).isPositive();
        assertThat(board.reusedAssets()).contains(new Boards.LibraryReuse(second, asset.id()));
    }
}
