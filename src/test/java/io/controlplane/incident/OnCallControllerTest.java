package io.controlplane.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnCallControllerTest {

    private final OnCallController controller = new OnCallController(new OnCallSchedule(OnCallScheduleTest.DEFAULTS));

    @Test
    void atTakesAnInstantInUtcOrWithAnOffset() {
        assertThat(OnCallController.parseAt("2026-11-26T10:00:00Z")).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(OnCallController.parseAt("2026-11-26T11:00:00+01:00"))
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(OnCallController.parseAt(" 2026-11-26T10:00Z ")).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(OnCallController.parseAt(null)).isNull();
        assertThat(OnCallController.parseAt("")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-26T10:00:00",
                "2026-11-26",
                "tomorrow",
                "2026-11-26T25:00:00Z",
                "2026-11-26T11:00:00 01:00",
                "+999999999-12-31T23:59:59Z",
                "1969-12-31T23:59:59Z"
            })
    void aBadAtIsA400NamingTheField(String bad) {
        assertThatThrownBy(() -> controller.now(bad))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("at"));
    }

    @Test
    void nowAnswersForTheGivenInstantOrForNow() {
        assertThat(controller.now("2026-11-26T10:00:00Z").shift()).isEqualTo("EMEA");
        assertThat(controller.now("2026-11-26T16:00:00+01:00").shift()).isEqualTo("AMER");
        Instant before = Instant.now();
        OnCall now = controller.now(null);
        assertThat(now.since()).isBeforeOrEqualTo(before);
        assertThat(now.until()).isAfter(before).isBefore(before.plus(1, ChronoUnit.DAYS));
    }

    @Test
    void theScheduleListsTheShiftsAndTheLeadAsJson() {
        JsonNode json = new ObjectMapper().valueToTree(controller.schedule());
        assertThat(json.path("shifts")).hasSize(3);
        JsonNode emea = json.path("shifts").get(1);
        assertThat(emea.path("name").asText()).isEqualTo("EMEA");
        assertThat(emea.path("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(emea.path("start").asText()).isEqualTo("08:00");
        assertThat(emea.path("end").asText()).isEqualTo("16:00");
        assertThat(emea.path("slack").asText()).isEqualTo("@oc");
        assertThat(emea.has("zone"))
                .as("derived values are not part of the answer")
                .isFalse();
        assertThat(json.path("lead").path("slack").asText()).isEqualTo("@ops-lead");
        assertThat(json.path("pagerDutySchedule").asText()).isEqualTo("Mission Ops On-Call");
        assertThat(json.path("escalateAfter").asText()).isEqualTo("PT15M");
        assertThat(json.path("handoffSummary").asBoolean()).isTrue();
    }
}
