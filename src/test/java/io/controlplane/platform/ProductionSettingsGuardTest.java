package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.controlplane.ControlPlaneApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.mock.env.MockEnvironment;

/**
 * The prod profile starts only with the first administrator from the environment and no demo data. The failing start
 * is a real {@link SpringApplication} run: the guard stops it before any bean exists, so it cannot touch the process
 * engine the other tests share in this JVM.
 */
class ProductionSettingsGuardTest {
    private static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

    @Test
    void aProdStartWithoutAnAdministratorFailsNamingWhatIsMissing() {
        String before = System.getProperty(LOGGING_SYSTEM);
        // leave the shared test logging alone: the failed run would otherwise re-initialise and clean it up
        System.setProperty(LOGGING_SYSTEM, "none");
        try {
            SpringApplication app = new SpringApplication(ControlPlaneApplication.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            assertThatThrownBy(() -> app.run(
                            "--spring.profiles.active=prod",
                            "--CONTROLPLANE_ADMIN_USER=",
                            "--CONTROLPLANE_ADMIN_PASSWORD=",
                            "--spring.main.banner-mode=off"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("The prod profile cannot start")
                    .hasMessageContaining("CONTROLPLANE_ADMIN_USER")
                    .hasMessageContaining("CONTROLPLANE_ADMIN_PASSWORD")
                    .hasMessageContaining("CONTROLPLANE_PUBLIC_URL");
        } finally {
            if (before == null) {
                System.clearProperty(LOGGING_SYSTEM);
            } else {
                System.setProperty(LOGGING_SYSTEM, before);
            }
        }
    }

    @Test
    void theGuardAcceptsAProperAdministratorAndRefusesDemoSettings() {
        assertThat(ProductionSettingsGuard.problems(prod("ops-admin", "correct horse battery")))
                .isEmpty();
        assertThat(ProductionSettingsGuard.problems(prod("ops-admin", "demo")))
                .singleElement()
                .asString()
                .contains("at least 12 characters");
        assertThat(ProductionSettingsGuard.problems(prod("ops-admin", "short"))).hasSize(1);
        assertThat(ProductionSettingsGuard.problems(prod("", "correct horse battery")))
                .singleElement()
                .asString()
                .contains("CONTROLPLANE_ADMIN_USER");
        MockEnvironment demo = prod("ops-admin", "correct horse battery")
                .withProperty("controlplane.demo.users", "true")
                .withProperty("controlplane.demo.missions", "true");
        assertThat(ProductionSettingsGuard.problems(demo)).hasSize(2);
        // links in Slack, PagerDuty and e-mail would lead to localhost
        MockEnvironment noPublicUrl =
                prod("ops-admin", "correct horse battery").withProperty("controlplane.public-url", " ");
        assertThat(ProductionSettingsGuard.problems(noPublicUrl))
                .singleElement()
                .asString()
                .contains("CONTROLPLANE_PUBLIC_URL");
        // other profiles are not checked: the embedded demo keeps demo/demo
        MockEnvironment embedded = new MockEnvironment().withProperty("camunda.bpm.admin-user.password", "demo");
        new ProductionSettingsGuard().postProcessEnvironment(embedded, null);
    }

    private static MockEnvironment prod(String user, String password) {
        MockEnvironment env = new MockEnvironment()
                .withProperty("camunda.bpm.admin-user.id", user)
                .withProperty("camunda.bpm.admin-user.password", password)
                .withProperty("controlplane.public-url", "https://control-plane.example.org");
        env.setActiveProfiles("prod");
        return env;
    }
}
