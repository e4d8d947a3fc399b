package io.controlplane.telemetry;

import static io.controlplane.mission.MissionJourney.Topics;
import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.Http;
import io.controlplane.IntegrationTest;
import io.controlplane.JourneyDriver;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code /actuator/prometheus} shows the control plane's figures, to an authenticated scraper only. */
@IntegrationTest
class MetricsTest {
    @LocalServerPort
    int port;

    @Autowired
    JourneyDriver drive;

    @Test
    void prometheusExposesMissionsIncidentsNotificationsAndAgentLatency() {
        String id = drive.start("mo", JourneyDriver.brief("Metrics"));
        drive.confirmIntent(id);
        drive.agent(id, Topics.DATA_INSPECT, drive.coverage(91));
        Http http = new Http(port);
        assertThat(http.get("/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(http.get("/actuator/prometheus", "mo").status()).isEqualTo(403);
        Http.Response scrape = http.get("/actuator/prometheus", "ta");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("controlplane_missions_active\\{[^}]*stage=\"PREPARE\"[^}]*} [1-9]")
                .contains(
                        "controlplane_incidents_open{",
                        "controlplane_notifications_total{",
                        "controlplane_agent_task_seconds_count{",
                        "topic=\"mission.data.inspect\"",
                        "controlplane_kpi_target{kpi=\"undo-execution-success\"} 98.0",
                        "controlplane_kpi_value{kpi=\"mission-throughput\"}");
    }
}
