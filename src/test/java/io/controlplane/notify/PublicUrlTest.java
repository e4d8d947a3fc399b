package io.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The base of every notification link: configured, or derived from the port the server listens on. */
class PublicUrlTest {
    @Test
    void unsetItFollowsThePortTheServerListensOnOnceKnown() {
        MockEnvironment env = new MockEnvironment().withProperty("server.port", "0");
        PublicUrl url = new PublicUrl(env, "", "");
        // the web server starts after the notifiers exist: the port is read at each link
        env.setProperty("local.server.port", "18081");

        assertThat(url.base()).isEqualTo("http://localhost:18081");
        assertThat(url.cockpit()).isEqualTo("http://localhost:18081/camunda/app/cockpit/default/");
    }

    @Test
    void aConfiguredUrlIsTheBaseAndACockpitUrlStillWins() {
        MockEnvironment env = new MockEnvironment().withProperty("local.server.port", "18081");

        assertThat(new PublicUrl(env, " https://cp.example.org/ ", "").cockpit())
                .isEqualTo("https://cp.example.org/camunda/app/cockpit/default/");
        assertThat(new PublicUrl(env, "https://cp.example.org", "https://cockpit.example.org/c/").cockpit())
                .isEqualTo("https://cockpit.example.org/c/");
    }

    @Test
    void anythingButAnAbsoluteHttpUrlIsRefusedAtStartup() {
        MockEnvironment env = new MockEnvironment();
        for (String bad : new String[] {
            "cp.example.org", "ftp://cp.example.org", "javascript:alert(1)", "https://cp.example.org/?next=x", "http://"
        }) {
            assertThatThrownBy(() -> new PublicUrl(env, bad, ""))
                    .as(bad)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CONTROLPLANE_PUBLIC_URL");
        }
    }
}
