package io.controlplane.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Under the {@code prod} profile the service refuses to start on a database a demo run left behind: demo users (the
 * accounts {@link DemoUsers} creates, and the demo's administrator {@code demo} — all with the demo password, and
 * {@code demo} in {@code camunda-admin}) or the missions the mission kernel seeds ({@link DemoMissionFinder}). {@link ProductionSettingsGuard}
 * stops a prod start with demo <em>settings</em>; this one looks at the <em>data</em>, once the engine and Flyway are
 * ready and before the web server takes a request, so {@code demo/demo} is never served under prod.
 * <p>
 * A demo user is a user with one of those ids that still looks like the demo made it: DemoUsers' (or the demo
 * administrator's) first and last name, or the demo password {@code demo}. A real account that happens to be called
 * {@code agent} or {@code mo} is left alone. The configured administrator ({@code CONTROLPLANE_ADMIN_USER}) is never
 * a demo user to remove; should it be {@code demo} (or another demo id) with the demo password still, the start is
 * refused: choose another administrator id. Demo missions are the four seeded titles owned by {@code mo}.
 * <p>
 * With {@code controlplane.prod.remove-demo-data=true} ({@code CONTROLPLANE_PROD_REMOVE_DEMO_DATA}, for one start)
 * the demo users are deleted — their group and tenant memberships, the authorizations granted to them — each removal
 * logged, and the service starts. Demo missions are never deleted (their history, evidence and approvals run through
 * a dozen tables and the engine): a database holding them is refused with or without the property, and production
 * starts on an empty database instead (docs/deployment.md). Only the web service is guarded: the jar's one-shot
 * commands serve nobody and change nothing here.
 */
@Component
@Profile(ProductionSettingsGuard.PROFILE)
@ConditionalOnWebApplication
class DemoDataGuard implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(DemoDataGuard.class);
    static final String REMOVE_PROPERTY = "controlplane.prod.remove-demo-data";
    static final String REMOVE_VARIABLE = "CONTROLPLANE_PROD_REMOVE_DEMO_DATA";
    /** The embedded demo's administrator (application.yaml's default camunda.bpm.admin-user). */
    static final String DEMO_ADMIN = "demo";
    /** What DemoUsers' and the demo administrator's password is unless a demo run chose another. */
    static final String DEMO_PASSWORD = "demo";

    /** What a demo run found in the database. */
    record Findings(List<String> demoUsers, List<String> administrators, List<String> demoMissions) {
        boolean isEmpty() {
            return demoUsers.isEmpty() && administrators.isEmpty() && demoMissions.isEmpty();
        }
    }

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final DemoMissionFinder missions;
    private final String administrator;
    private final boolean remove;
    /** id → first and last name the demo gives the account. */
    private final Map<String, List<String>> accounts;

    @Autowired
    DemoDataGuard(
            IdentityService identity,
            AuthorizationService authorizations,
            DemoMissionFinder missions,
            CamundaBpmProperties camunda,
            ProdProperties prod) {
        this(
                identity,
                authorizations,
                missions,
                camunda.getAdminUser() == null ? null : camunda.getAdminUser().getId(),
                prod.removeDemoData(),
                demoAccounts());
    }

    DemoDataGuard(
            IdentityService identity,
            AuthorizationService authorizations,
            DemoMissionFinder missions,
            String administrator,
            boolean remove,
            Map<String, List<String>> accounts) {
        this.identity = identity;
        this.authorizations = authorizations;
        this.missions = missions;
        this.administrator = administrator == null ? "" : administrator;
        this.remove = remove;
        this.accounts = new TreeMap<>(accounts);
    }

    /** DemoUsers' accounts and the demo's administrator, with the names the demo gives them. */
    static Map<String, List<String>> demoAccounts() {
        Map<String, List<String>> accounts = new LinkedHashMap<>();
        DemoUsers.USERS.forEach((id, data) -> accounts.put(id, List.of(data.get(0), data.get(1))));
        accounts.put(DEMO_ADMIN, List.of("Demo", "Admin"));
        return accounts;
    }

    @Override
    public void afterSingletonsInstantiated() {
        enforce();
    }

    /** Refuses the start while demo data is in the database; removes the demo users first when asked to. */
    void enforce() {
        Findings found = findings();
        // only when removing them lets the service start: nothing is removed from a database refused anyway
        if (remove
                && !found.demoUsers().isEmpty()
                && found.demoMissions().isEmpty()
                && found.administrators().isEmpty()) {
            found.demoUsers().forEach(this::removeUser);
            found = findings();
        }
        if (!found.isEmpty()) {
            throw new IllegalStateException(message(found));
        }
    }

    Findings findings() {
        List<String> users = new ArrayList<>();
        List<String> administrators = new ArrayList<>();
        accounts.forEach((id, names) -> {
            User user = identity.createUserQuery().userId(id).singleResult();
            if (user == null) {
                return;
            }
            if (id.equals(administrator)) {
                if (identity.checkPassword(id, DEMO_PASSWORD)) {
                    administrators.add(id);
                }
            } else if ((names.get(0).equals(user.getFirstName()) && names.get(1).equals(user.getLastName()))
                    || identity.checkPassword(id, DEMO_PASSWORD)) {
                users.add(id);
            }
        });
        return new Findings(users, administrators, missions.demoMissionTitles());
    }

    private void removeUser(String id) {
        List<String> groups = identity.createGroupQuery().groupMember(id).list().stream()
                .map(Group::getId)
                .toList();
        List<Authorization> granted =
                authorizations.createAuthorizationQuery().userIdIn(id).list();
        granted.forEach(a -> authorizations.deleteAuthorization(a.getId()));
        // with its group and tenant memberships and the authorizations on the user itself
        identity.deleteUser(id);
        log.warn(
                "Removed demo user {} (was in groups {}; {} authorizations granted to it deleted)",
                id,
                groups,
                granted.size());
    }

    private String message(Findings found) {
        List<String> what = new ArrayList<>();
        List<String> todo = new ArrayList<>();
        if (!found.demoUsers().isEmpty()) {
            what.add("demo users " + String.join(", ", found.demoUsers()) + " (created by a demo run"
                    + (found.demoUsers().contains(DEMO_ADMIN) ? "; 'demo' is an administrator" : "") + ")");
            todo.add(
                    found.demoMissions().isEmpty()
                            ? "start once with " + REMOVE_VARIABLE + "=true (" + REMOVE_PROPERTY
                                    + ") to delete the demo users"
                                    + " with their memberships and authorizations, then unset it"
                                    + (found.administrators().isEmpty()
                                            ? ""
                                            : " (nothing is removed while the administrator"
                                                    + " below has the demo password)")
                            : "nothing is removed while demo missions are present");
        }
        for (String admin : found.administrators()) {
            what.add("the administrator '" + admin + "' (CONTROLPLANE_ADMIN_USER) still has the demo password");
            todo.add("set CONTROLPLANE_ADMIN_USER to another id (Camunda creates that administrator at start) and"
                    + " remove '" + admin + "' with " + REMOVE_VARIABLE + "=true");
        }
        if (!found.demoMissions().isEmpty()) {
            what.add(found.demoMissions().size() + " demo missions (" + String.join(", ", found.demoMissions()) + ")");
            todo.add("start the prod profile on a new, empty database (demo missions are not removed: a demo"
                    + " database's history, evidence and approvals are the demo's)");
        }
        return "The prod profile cannot start: a demo run left its data in this database: " + String.join("; ", what)
                + ". To fix: " + String.join("; ", todo) + ". See docs/deployment.md.";
    }
}
