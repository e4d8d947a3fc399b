package io.controlplane.platform;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * With the {@code prod} profile the service refuses to start unless the first administrator comes from the
 * environment ({@code CONTROLPLANE_ADMIN_USER}, {@code CONTROLPLANE_ADMIN_PASSWORD}), the public URL is set
 * ({@code CONTROLPLANE_PUBLIC_URL}) and no demo users or missions are switched on. It runs as an environment post-processor (META-INF/spring.factories): before any bean, so a
 * misconfigured production start fails in a second with one message naming every missing setting, never with the
 * demo password. Values are checked, never logged. What a demo run left in the database (demo users, demo missions)
 * is {@link DemoDataGuard}'s, once the engine is up.
 */
public class ProductionSettingsGuard implements EnvironmentPostProcessor, Ordered {
    public static final String PROFILE = "prod";
    static final int MIN_PASSWORD_LENGTH = 12;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of(PROFILE))) {
            return;
        }
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "The prod profile cannot start: " + String.join("; ", problems) + ". See docs/security.md.");
        }
    }

    static List<String> problems(ConfigurableEnvironment env) {
        List<String> problems = new ArrayList<>();
        String user = env.getProperty("camunda.bpm.admin-user.id", "");
        String password = env.getProperty("camunda.bpm.admin-user.password", "");
        if (user.isBlank()) {
            problems.add("set CONTROLPLANE_ADMIN_USER to the first administrator's user id");
        }
        if (password.isBlank()) {
            problems.add("set CONTROLPLANE_ADMIN_PASSWORD to the first administrator's password");
        } else if (password.length() < MIN_PASSWORD_LENGTH
                || password.equalsIgnoreCase("demo")
                || password.equalsIgnoreCase(user)) {
            problems.add("CONTROLPLANE_ADMIN_PASSWORD must have at least " + MIN_PASSWORD_LENGTH
                    + " characters and be neither 'demo' nor the user id");
        }
        // every Slack, PagerDuty and e-mail link starts with it: localhost would lead people nowhere
        if (env.getProperty("controlplane.public-url", "").isBlank()) {
            problems.add("set CONTROLPLANE_PUBLIC_URL to the address people open the service at"
                    + " (e.g. https://control-plane.example.org), the base of every notification's links");
        }
        if (env.getProperty("controlplane.demo.users", Boolean.class, false)) {
            problems.add("demo users must be off (CONTROLPLANE_DEMO_USERS=false)");
        }
        if (env.getProperty("controlplane.demo.missions", Boolean.class, false)) {
            problems.add("demo missions must be off (CONTROLPLANE_DEMO_MISSIONS=false)");
        }
        return problems;
    }

    /** After the config files are read, so the prod profile's own settings count. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
