package io.controlplane.platform;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Demo users, one per role and two for each co-signing group, all with the demo password. Only with
 * {@code controlplane.demo.users=true} (the default profile and the tests); never in production.
 */
@Component
@ConditionalOnProperty(name = "controlplane.demo.users", havingValue = "true")
class DemoUsers {
    private static final Logger log = LoggerFactory.getLogger(DemoUsers.class);

    /** user id → (first name, last name, group) */
    static final Map<String, List<String>> USERS = Map.of(
            "mo", List.of("Mona", "Owner", Roles.MISSION_OWNER),
            "gv", List.of("Grace", "Validator", Roles.GOVERNANCE_VALIDATOR),
            "gv2", List.of("Gabriel", "Validator", Roles.GOVERNANCE_VALIDATOR),
            "oc", List.of("Omar", "Command", Roles.OPERATIONS_COMMAND),
            "oc2", List.of("Olivia", "Command", Roles.OPERATIONS_COMMAND),
            "ta", List.of("Tariq", "Analyst", Roles.TELEMETRY_ANALYST),
            "kc", List.of("Kim", "Curator", Roles.KNOWLEDGE_CURATOR),
            "agent", List.of("Simulated", "Agent", IdentitySetup.AGENT_GROUP));

    private final IdentityService identity;
    private final String password;

    DemoUsers(IdentityService identity, DemoProperties demo) {
        this.identity = identity;
        this.password = demo.password();
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(2)
    public void create() {
        USERS.forEach((id, data) -> {
            if (identity.createUserQuery().userId(id).count() == 0) {
                User u = identity.newUser(id);
                u.setFirstName(data.get(0));
                u.setLastName(data.get(1));
                u.setEmail(id + "@example.org");
                u.setPassword(password);
                identity.saveUser(u);
                identity.createMembership(id, data.get(2));
                log.info("Created demo user {} in {}", id, data.get(2));
            }
        });
    }
}
