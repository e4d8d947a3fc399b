package io.controlplane.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The address people open the service at ({@code controlplane.public-url}, {@code CONTROLPLANE_PUBLIC_URL}), the base
 * of every link a notification carries (Slack, PagerDuty, e-mail). Unset, it is {@code http://localhost:<port>} with
 * the port the server actually listens on ({@code local.server.port}, known once the server has started), so a
 * local run on another port does not send links to 8080. The {@code prod} profile refuses to start without it
 * ({@code ProductionSettingsGuard}): localhost means nothing in a Slack channel.
 */
@Component
class PublicUrl {
    static final String PROPERTY = "controlplane.public-url";
    static final String COCKPIT_PATH = "/app/cockpit/default/";

    private final Environment environment;
    private final String configured;
    private final String cockpitOverride;

    @Autowired
    PublicUrl(Environment environment, NotifyProperties properties) {
        this(
                environment,
                environment.getProperty(PROPERTY, ""),
                properties.slack().cockpitUrl());
    }

    PublicUrl(Environment environment, String configured, String cockpitOverride) {
        this.environment = environment;
        this.configured = validated(configured);
        this.cockpitOverride = cockpitOverride == null ? "" : cockpitOverride.strip();
    }

    /** The base, without a trailing slash. */
    String base() {
        if (!configured.isEmpty()) {
            return configured;
        }
        // read at each call: the port is known only once the web server has started, after this bean exists
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://localhost:" + port + environment.getProperty("server.servlet.context-path", "");
    }

    /** Where "Open in Cockpit" leads: {@code controlplane.notify.slack.cockpit-url} when set, else under {@link #base}. */
    String cockpit() {
        if (!cockpitOverride.isEmpty()) {
            return cockpitOverride;
        }
        return base() + environment.getProperty("camunda.bpm.webapp.application-path", "/camunda") + COCKPIT_PATH;
    }

    /** An absolute http(s) URL, or refused at startup: a typo would otherwise only show in a broken Slack button. */
    static String validated(String url) {
        String value = url == null ? "" : url.strip();
        if (value.isEmpty()) {
            return value;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && uri.getQuery() == null
                    && uri.getFragment() == null) {
                return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalStateException(PROPERTY + " (CONTROLPLANE_PUBLIC_URL) must be an absolute http(s) URL "
                + "without query or fragment, e.g. https://control-plane.example.org");
    }
}
