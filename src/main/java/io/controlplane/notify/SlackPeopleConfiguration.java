package io.controlplane.notify;

import io.controlplane.platform.ApiAccess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Slack user mapping: {@code controlplane.notify.slack.users} (Slack user id → Camunda user id). With the demo
 * users on, {@code controlplane.demo.slack-users} maps the demo workspace's ids to them as well (never in production,
 * which refuses demo users); the configured mapping wins where both name an id.
 */
@Configuration(proxyBeanMethods = false)
class SlackPeopleConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SlackPeopleConfiguration.class);
    /** Who may acknowledge an incident: whom {@code POST /api/incidents/{id}/acknowledge} admits, from Slack too. */
    static final String ACKNOWLEDGE = "POST /api/incidents/{id}/acknowledge";

    @Bean
    SlackPeople slackPeople(Environment environment, IdentityService identity) {
        Binder binder = Binder.get(environment);
        Bindable<Map<String, String>> map = Bindable.mapOf(String.class, String.class);
        Map<String, String> users = new LinkedHashMap<>();
        if (binder.bind("controlplane.demo.users", Boolean.class).orElse(false)) {
            users.putAll(binder.bind("controlplane.demo.slack-users", map).orElse(Map.of()));
        }
        users.putAll(binder.bind("controlplane.notify.slack.users", map).orElse(Map.of()));
        SlackPeople people = new SlackPeople(users, person -> identity.createUserQuery().userId(person).count() == 0
                ? List.of() : identity.createGroupQuery().groupMember(person).list().stream().map(Group::getId).toList(),
                ApiAccess.groupsAllowed(ACKNOWLEDGE));
        log.info("Slack users mapped to people: {}", people.mapped());
        return people;
    }
}
