package io.controlplane.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.IntegrationTest;
import java.time.Instant;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The warm hand-off: each shift change is announced once, to the incoming person, with the open incidents. */
@IntegrationTest
class HandoffAnnouncerTest {
    @Autowired
    HandoffAnnouncer announcer;

    @Autowired
    OnCallSchedule schedule;

    @Autowired
    RuntimeService runtime;

    @Autowired
    IncidentService incidents;

    @Test
    void eachHandoffIsAnnouncedOnceWithTheOpenIncidents() {
        String incident = incidents.open("oauth_drift", null, null, "medium", "hubspot write scope revoked", null);
        Instant duringAmer = Instant.parse("2031-01-15T17:00:00Z");
        assertThat(schedule.onCallAt(duringAmer).shift()).isEqualTo("AMER");
        long before = runtime.createProcessInstanceQuery()
                .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                .processInstanceBusinessKey("oncall-handoff")
                .count();

        assertThat(announcer.announce(duringAmer)).isTrue();
        assertThat(announcer.announce(duringAmer.plusSeconds(600)))
                .as("same hand-off")
                .isFalse();

        var queued = runtime.createProcessInstanceQuery()
                .processDefinitionKey(Runbooks.NOTIFICATION_DELIVERY)
                .processInstanceBusinessKey("oncall-handoff")
                .list();
        assertThat(queued).hasSize((int) before + 1);
        String payload = runtime.getVariable(queued.get(queued.size() - 1).getId(), Runbooks.Vars.DELIVERY_PAYLOAD)
                .toString();
        assertThat(payload).contains("AMER shift starts", incident, "@oc2");
        assertThat(announcer.announce(Instant.parse("2031-01-15T23:30:00Z")))
                .as("APAC takes over")
                .isTrue();
    }
}
