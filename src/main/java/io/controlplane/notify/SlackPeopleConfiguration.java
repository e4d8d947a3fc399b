package io.controlplane.notify;

import io.controlplane.platform.ApiAccess;
import io.controlplane.platform.DemoProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
    SlackPeople slackPeople(NotifyProperties notify, DemoProperties demo, IdentityService identity) {
        Map<String, String> users = new LinkedHashMap<>();
        if (demo.users()) {
            users.putAll(demo.slackUsers());
        }
        users.putAll(notify.slack().users());
        SlackPeople people = new SlackPeople(
                users,
                person -> identity.createUserQuery().userId(person).count() == 0
                        ? List.of()
                        : identity.createGroupQuery().groupMember(person).list().stream()
                                .map(Group::getId)
                                .toList(),
                ApiAccess.groupsAllowed(ACKNOWLEDGE));
        log.info("Slack users mapped to people: {}", people.mapped());
        return people;
    }
}
