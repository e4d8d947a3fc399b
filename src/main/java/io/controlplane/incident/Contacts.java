package io.controlplane.incident;

import io.controlplane.notify.NotifyProperties;
import io.controlplane.platform.Roles;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The guide's contacts and escalation paths: a lead per role (configuration, defaults from the guide), the Slack
 * channel and the PagerDuty schedule. Runbook notifications mention the lead of the role that acts on them.
 */
@Component
public class Contacts {

    /** {@code controlplane.contacts.leads.<group id>}: the lead's Slack handle per role. */
    @ConfigurationProperties(prefix = "controlplane.contacts")
    public record ContactsProperties(Map<String, String> leads) {
        public ContactsProperties {
            Map<String, String> merged = new LinkedHashMap<>(Map.of(
                    Roles.MISSION_OWNER,
                    "@mo-lead",
                    Roles.GOVERNANCE_VALIDATOR,
                    "@governance",
                    Roles.OPERATIONS_COMMAND,
                    "@ops-lead",
                    Roles.TELEMETRY_ANALYST,
                    "@analytics",
                    Roles.KNOWLEDGE_CURATOR,
                    "@knowledge"));
            if (leads != null) {
                merged.putAll(leads);
            }
            leads = Map.copyOf(merged);
        }
    }

    /** Which role acts on which kind of notification, and so whose lead it mentions. */
    private static final Map<String, String> ROLE_BY_KIND = Map.of(
            "safeguard_violation",
            Roles.GOVERNANCE_VALIDATOR,
            "coverage_gap",
            Roles.GOVERNANCE_VALIDATOR,
            "undo_failure",
            Roles.OPERATIONS_COMMAND,
            "oauth_drift",
            Roles.OPERATIONS_COMMAND,
            "review_overdue",
            Roles.OPERATIONS_COMMAND,
            "kpi_miss",
            Roles.TELEMETRY_ANALYST,
            "weekly_audit",
            Roles.TELEMETRY_ANALYST);

    private final ContactsProperties properties;
    private final OnCallSchedule onCall;
    private final String slackChannel;

    Contacts(ContactsProperties properties, OnCallSchedule onCall, NotifyProperties notify) {
        this.properties = properties;
        this.onCall = onCall;
        this.slackChannel = notify.slack().channel();
    }

    /** The lead to mention for a notification of this kind, or {@code null}. */
    public String leadFor(String kind) {
        String role = ROLE_BY_KIND.get(kind);
        return role == null ? null : properties.leads().get(role);
    }

    public String leadOf(String role) {
        return properties.leads().get(role);
    }

    public record View(
            Map<String, String> leads,
            String slackChannel,
            String pagerDutySchedule,
            String escalationLead,
            OnCall onCallNow) {}

    public View view() {
        return new View(
                new TreeMap<>(properties.leads()),
                slackChannel,
                onCall.pagerDutySchedule(),
                onCall.lead().slack(),
                onCall.onCallAt(Instant.now()));
    }

    /** {@code GET /api/contacts}. */
    @RestController
    static class ContactsController {
        private final Contacts contacts;

        ContactsController(Contacts contacts) {
            this.contacts = contacts;
        }

        @Operation(summary = "The operating model's contacts: leads per role, channels, who is on call")
        @GetMapping("/api/contacts")
        View contacts() {
            return contacts.view();
        }
    }
}
