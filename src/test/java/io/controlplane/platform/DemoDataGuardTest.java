package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import io.controlplane.IntegrationTest;
import io.controlplane.mission.DemoMissions;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The prod profile's refusal of a demo database ({@link DemoDataGuard}), decided against the real engine of the shared
 * test context — whose database is a demo database: the test profile creates the demo users. Removal is shown on
 * accounts of this test's own, so the demo users every other test needs stay; demo missions are inserted in a
 * transaction that is rolled back.
 */
@IntegrationTest
class DemoDataGuardTest {
    private static final String PROBE = "guard-probe-demo";
    private static final String LOOKALIKE = "guard-probe-real";
    private static final String ADMIN = "guard-probe-admin";
    /** The accounts the removal tests treat as the demo's: id → the first and last name the demo would give. */
    private static final Map<String, List<String>> PROBES = Map.of(
            PROBE,
            List.of("Probe", "Demo"),
            LOOKALIKE,
            List.of("Probe", "Lookalike"),
            ADMIN,
            List.of("Probe", "Admin"));

    @Autowired
    IdentityService identity;

    @Autowired
    AuthorizationService authorizations;

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @Autowired
    DemoMissionFinder missions;

    @Autowired
    PlatformTransactionManager transactions;

    @AfterEach
    void removeProbes() {
        for (String id : PROBES.keySet()) {
            authorizations
                    .createAuthorizationQuery()
                    .userIdIn(id)
                    .list()
                    .forEach(a -> authorizations.deleteAuthorization(a.getId()));
            if (identity.createUserQuery().userId(id).count() > 0) {
                identity.deleteUser(id);
            }
        }
    }

    private DemoDataGuard guard(String administrator, boolean remove) {
        return new DemoDataGuard(
                identity, authorizations, missions, administrator, remove, DemoDataGuard.demoAccounts());
    }

    private DemoDataGuard probeGuard(String administrator, boolean remove) {
        return new DemoDataGuard(identity, authorizations, missions, administrator, remove, PROBES);
    }

    @Test
    void aDatabaseWithTheDemoUsersIsRefusedNamingEachAndHowToRemoveThem() {
        DemoDataGuard guard = guard("ops-admin", false);
        assertThat(guard.findings().demoUsers())
                .containsExactly("agent", "demo", "gv", "gv2", "kc", "mo", "oc", "oc2", "ta");
        assertThatThrownBy(guard::enforce)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("The prod profile cannot start")
                .hasMessageContaining("demo users agent, demo, gv, gv2, kc, mo, oc, oc2, ta")
                .hasMessageContaining("'demo' is an administrator")
                .hasMessageContaining("CONTROLPLANE_PROD_REMOVE_DEMO_DATA=true")
                .hasMessageContaining("docs/deployment.md");
        // the refusal changed nothing
        assertThat(identity.createUserQuery().userIdIn("demo", "mo", "agent").count())
                .isEqualTo(3);
    }

    @Test
    void theDemoAdministratorStillWithTheDemoPasswordIsRefusedAlsoAsTheConfiguredOne() {
        DemoDataGuard.Findings found = guard("demo", false).findings();
        assertThat(found.administrators()).containsExactly("demo");
        assertThat(found.demoUsers()).doesNotContain("demo").contains("mo", "agent");
        assertThatThrownBy(guard("demo", true)::enforce)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the administrator 'demo' (CONTROLPLANE_ADMIN_USER) still has the demo password")
                .hasMessageContaining("set CONTROLPLANE_ADMIN_USER to another id")
                .hasMessageContaining("nothing is removed while the administrator below has the demo password");
        // asked to remove, it still removes nothing from a database it refuses anyway
        assertThat(identity.createUserQuery().userIdIn("demo", "mo", "agent").count())
                .isEqualTo(3);
    }

    @Test
    void theOptInRemovesDemoUsersWithMembershipsAndAuthorizationsButNeitherLookalikesNorTheAdministrator() {
        user(PROBE, "Probe", "Demo", "a-long-random-password-" + UUID.randomUUID());
        user(LOOKALIKE, "Real", "Person", "a-long-random-password-" + UUID.randomUUID());
        user(ADMIN, "Probe", "Admin", "a-long-random-password-" + UUID.randomUUID());
        identity.createMembership(ADMIN, "camunda-admin");
        Authorization tasklist = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
        tasklist.setUserId(PROBE);
        tasklist.setResource(Resources.APPLICATION);
        tasklist.setResourceId("cockpit");
        tasklist.addPermission(Permissions.ACCESS);
        authorizations.saveAuthorization(tasklist);
        assertThat(authorizations.createAuthorizationQuery().userIdIn(PROBE).count())
                .isGreaterThanOrEqualTo(2);

        DemoDataGuard refusing = probeGuard(ADMIN, false);
        // the demo's names mark a demo user; the same id with other names and password is somebody's real account
        assertThat(refusing.findings().demoUsers()).containsExactly(PROBE);
        assertThatThrownBy(refusing::enforce).hasMessageContaining("demo users " + PROBE);

        probeGuard(ADMIN, true).enforce();
        assertThat(identity.createUserQuery().userId(PROBE).count()).isZero();
        assertThat(identity.createGroupQuery().groupMember(PROBE).count())
                .as("memberships")
                .isZero();
        assertThat(authorizations.createAuthorizationQuery().userIdIn(PROBE).count())
                .as("authorizations")
                .isZero();
        assertThat(identity.createUserQuery().userIdIn(LOOKALIKE, ADMIN).count())
                .isEqualTo(2);
        assertThat(identity.createGroupQuery().groupMember(ADMIN).count()).isEqualTo(1);
        // and the next start passes
        probeGuard(ADMIN, false).enforce();
    }

    @Test
    void aDemoAccountRenamedButStillWithTheDemoPasswordIsADemoUser() {
        user(PROBE, "Renamed", "Somebody", "demo");
        assertThat(probeGuard(ADMIN, false).findings().demoUsers()).containsExactly(PROBE);
    }

    @Test
    void demoMissionsAreRefusedAndNothingIsRemovedWhileTheyArePresent() {
        user(PROBE, "Probe", "Demo", "demo");
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> {
            status.setRollbackOnly();
            mission(DemoMissions.TITLES.get(0), DemoMissions.OWNER);
            mission(DemoMissions.TITLES.get(1), DemoMissions.OWNER);
            // a real mission owner's mission of the same title is not the demo's
            mission(DemoMissions.TITLES.get(2), "someone-else");
            DemoDataGuard guard = probeGuard(ADMIN, true);
            assertThat(guard.findings().demoMissions())
                    .containsExactly(DemoMissions.TITLES.get(0), DemoMissions.TITLES.get(1));
            assertThatThrownBy(guard::enforce)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("2 demo missions (" + DemoMissions.TITLES.get(0))
                    .hasMessageContaining(
                            "start the prod profile on a new, empty database (demo missions are not removed")
                    .hasMessageContaining("nothing is removed while demo missions are present");
            assertThat(identity.createUserQuery().userId(PROBE).count()).isEqualTo(1);
        });
        assertThat(probeGuard(ADMIN, false).findings().demoMissions())
                .as("rolled back")
                .isEmpty();
    }

    @Test
    void aDatabaseWithoutDemoDataStarts() {
        DemoDataGuard guard = probeGuard(ADMIN, false);
        assertThat(guard.findings().isEmpty()).isTrue();
        guard.enforce();
    }

    @Test
    void theGuardRunsWhileTheProdWebServiceStartsAndNowhereElse() {
        // the wiring alone, with stand-ins for the engine: a demo mission in the "database" stops the start
        DemoMissionFinder demoDatabase = () -> List.of(DemoMissions.TITLES.get(0));
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withBean(IdentityService.class, () -> Mockito.mock(IdentityService.class, Mockito.RETURNS_DEEP_STUBS))
                .withBean(AuthorizationService.class, () -> Mockito.mock(AuthorizationService.class))
                .withPropertyValues("camunda.bpm.admin-user.id=ops-admin")
                .withUserConfiguration(DemoDataGuard.class, GuardSettings.class);
        web.withBean(DemoMissionFinder.class, () -> demoDatabase)
                .withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
                .run(context -> assertThat(context.getStartupFailure())
                        .hasMessageContaining("The prod profile cannot start")
                        .hasMessageContaining("1 demo missions (" + DemoMissions.TITLES.get(0) + ")"));
        web.withBean(DemoMissionFinder.class, () -> demoDatabase)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DemoDataGuard.class));
        web.withBean(DemoMissionFinder.class, () -> List::of)
                .withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(DemoDataGuard.class));
        // the jar's one-shot commands (no web server) are not guarded
        new ApplicationContextRunner()
                .withUserConfiguration(DemoDataGuard.class, GuardSettings.class)
                .withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DemoDataGuard.class));
    }

    /** The settings the guard reads, bound as the application binds them. */
    @EnableConfigurationProperties({CamundaBpmProperties.class, ProdProperties.class})
    static class GuardSettings {}

    private void user(String id, String first, String last, String password) {
        User u = identity.newUser(id);
        u.setFirstName(first);
        u.setLastName(last);
        u.setPassword(password);
        identity.saveUser(u);
    }

    private void mission(String title, String owner) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(
                "INSERT INTO missions (id, title, objective, persona, kpi_metric, kpi_target, safeguards_json,"
                        + " toolkits_json, owner, stage, status, created_at, updated_at) VALUES (:id, :title, 'o', 'p',"
                        + " 'm', 1, '[]', '[]', :owner, 'DEFINE', 'ACTIVE', :now, :now)",
                Map.of("id", UUID.randomUUID().toString(), "title", title, "owner", owner, "now", now));
    }
}
