package io.controlplane.mission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.controlplane.platform.FieldError;
import io.controlplane.platform.InvalidInputException;
import jakarta.validation.Validation;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The brief check shared by the REST API and the Tasklist start form, without an engine. */
class MissionBriefsTest {
    private final MissionBriefs briefs =
            new MissionBriefs(Validation.buildDefaultValidatorFactory().getValidator(), new SafeguardPolicy());

    private static MissionRequest request(List<MissionRequest.Safeguard> safeguards) {
        return new MissionRequest(
                " Title ",
                "Objective",
                "Persona",
                new MissionRequest.Kpi("metric", BigDecimal.TEN),
                safeguards,
                List.of(new MissionRequest.Toolkit("hubspot", List.of("read"))));
    }

    @Test
    void templatesFillInDefaultsAndOverridesWin() {
        MissionRequest valid = briefs.validate(request(List.of(
                new MissionRequest.Safeguard("rate_limit", null, Map.of("perHour", 12)),
                new MissionRequest.Safeguard("budget_cap", "critical", null))));
        assertThat(valid.title()).isEqualTo("Title");
        assertThat(valid.safeguards().get(0).severity()).isEqualTo("medium");
        assertThat(valid.safeguards().get(0).parameters())
                .containsEntry("perHour", 12)
                .containsEntry("burst", 10);
        assertThat(valid.safeguards().get(1).severity()).isEqualTo("critical");
        assertThat(valid.safeguards().get(1).parameters()).containsEntry("centsPerDay", 5000);
    }

    @Test
    void everyBadParameterIsNamed() {
        assertThatThrownBy(() -> briefs.validate(request(List.of(
                        new MissionRequest.Safeguard("rate_limit", null, Map.of("perHour", 5, "burst", 9)),
                        new MissionRequest.Safeguard("quiet_window", null, Map.of("start", "8pm", "volume", 3)),
                        new MissionRequest.Safeguard("escalation_contacts", null, Map.of("contacts", List.of()))))))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly(
                                        "safeguards[0].parameters.burst",
                                        "safeguards[1].parameters.start",
                                        "safeguards[1].parameters.volume",
                                        "safeguards[2].parameters.contacts"));
    }

    @Test
    void toolkitTextFromTheStartFormIsParsedOrRefusedByLine() {
        assertThat(briefs.parseToolkits("toolkitRequest", "hubspot: a.read, a.write\n\nstripe: customers.read"))
                .containsExactly(
                        new MissionRequest.Toolkit("hubspot", List.of("a.read", "a.write")),
                        new MissionRequest.Toolkit("stripe", List.of("customers.read")));
        assertThatThrownBy(() -> briefs.parseToolkits("toolkitRequest", "hubspot a.read"))
                .hasMessageContaining("Invalid request");
        assertThatThrownBy(() -> briefs.parseToolkits("toolkitRequest", "HubSpot: read"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("toolkitRequest[0].slug"));
        assertThatThrownBy(() -> briefs.parseToolkits("toolkitRequest", "hubspot:"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("toolkitRequest[0].scopes"));
    }

    @Test
    void aToolkitNamedTwiceIsRefused() {
        MissionRequest twice = new MissionRequest(
                "t",
                "o",
                "p",
                new MissionRequest.Kpi("m", BigDecimal.ONE),
                List.of(),
                List.of(new MissionRequest.Toolkit("a", List.of("x")), new MissionRequest.Toolkit("a", List.of("y"))));
        assertThatThrownBy(() -> briefs.validate(twice))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .contains("toolkits", "safeguards"));
    }
}
