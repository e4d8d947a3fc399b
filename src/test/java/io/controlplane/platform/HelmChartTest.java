package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The chart in helm/ passes a real {@code helm lint} and renders what a production deployment needs. */
class HelmChartTest {
    private static final Path CHART = Path.of("helm", "control-plane");

    @Test
    void chartLintsStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void rendersValidManifestsWithEveryOptionalPartOn() {
        Manifests m = new Manifests(new Helm(CHART)
                .template()
                .withName("cp")
                .withValuesFile(Path.of("src", "test", "resources", "helm", "all-options.yaml"))
                .call());
        assertThat(m.kinds())
                .contains(
                        "Deployment",
                        "Service",
                        "ConfigMap",
                        "Ingress",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "ServiceMonitor");
        assertThat(m.documents())
                .allSatisfy(d -> assertThat(path(d, "metadata", "labels", "app.kubernetes.io/instance"))
                        .as("%s labelled", d.get("kind"))
                        .isEqualTo("cp"));
        // the base of every notification link; the prod profile refuses to start without it
        assertThat(m.env("CONTROLPLANE_PUBLIC_URL")).containsEntry("value", "https://control-plane.example.org");
    }

    @Test
    void defaultsAreTwoReplicasAgainstPostgresWithAPodDisruptionBudget() {
        Manifests m = render(t -> t);
        Map<String, Object> deployment = m.one("Deployment");
        assertThat(path(deployment, "spec", "replicas")).isEqualTo(2);
        assertThat(m.env("SPRING_PROFILES_ACTIVE")).containsEntry("value", "postgres,prod");
        assertThat(m.env("CONTROLPLANE_DB_URL")).containsEntry("value", "jdbc:postgresql://postgres:5432/controlplane");
        // production defaults: no demo users, no simulated agent
        assertThat(m.env("CONTROLPLANE_DEMO_USERS")).containsEntry("value", "false");
        assertThat(m.env("CONTROLPLANE_AGENT_SIMULATED_ENABLED")).containsEntry("value", "false");
        // failed logins per client address, as application.yaml (LoginThrottleTest binds these variables)
        assertThat(m.env("CONTROLPLANE_SECURITY_LOGINTHROTTLE_MAXFAILURES")).containsEntry("value", "20");
        assertThat(m.env("CONTROLPLANE_SECURITY_LOGINTHROTTLE_WINDOW")).containsEntry("value", "1m");
        assertThat(path(m.one("PodDisruptionBudget"), "spec", "minAvailable")).isEqualTo(1);
        assertThat(m.kinds())
                .contains("Service", "ConfigMap")
                .doesNotContain("Ingress", "HorizontalPodAutoscaler", "ServiceMonitor");
        assertThat(path(m.container(), "resources", "limits", "memory")).isEqualTo("2Gi");
        assertThat(path(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds"))
                .isEqualTo(45);
        // web app logins live in one replica's session; the job log names the pod that ran a job
        assertThat(path(m.one("Service"), "spec", "sessionAffinity")).isEqualTo("ClientIP");
        assertThat(path(
                        m.env("CAMUNDA_BPM_GENERIC_PROPERTIES_PROPERTIES_HOSTNAME"),
                        "valueFrom",
                        "fieldRef",
                        "fieldPath"))
                .isEqualTo("metadata.name");
    }

    @Test
    void probesUseTheActuatorHealthGroups() {
        Map<String, Object> container = render(t -> t).container();
        assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(path(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
    }

    @Test
    void secretsComeFromKubernetesSecretsByReference() {
        Manifests m = render(t -> t.set("notifications.slack.existingSecret", "slack")
                .set("notifications.pagerduty.existingSecret", "pagerduty")
                .set("notifications.smtp.host", "smtp.example.org")
                .set("notifications.smtp.username", "mailer")
                .set("notifications.smtp.existingSecret", "smtp"));
        assertThat(m.secretRef("CONTROLPLANE_DB_USER")).isEqualTo("control-plane-database/username");
        assertThat(m.secretRef("CONTROLPLANE_DB_PASSWORD")).isEqualTo("control-plane-database/password");
        assertThat(m.secretRef("CONTROLPLANE_ADMIN_PASSWORD")).isEqualTo("control-plane-admin/password");
        assertThat(m.secretRef("SLACK_BOT_TOKEN")).isEqualTo("slack/botToken");
        assertThat(m.secretRef("SLACK_SIGNING_SECRET")).isEqualTo("slack/signingSecret");
        assertThat(m.secretRef("PAGERDUTY_ROUTING_KEY")).isEqualTo("pagerduty/routingKey");
        assertThat(m.secretRef("SPRING_MAIL_PASSWORD")).isEqualTo("smtp/password");
        assertThat(m.env("SPRING_MAIL_HOST")).containsEntry("value", "smtp.example.org");
        // no secret value is ever written into a manifest
        assertThat(m.kinds()).doesNotContain("Secret");
    }

    @Test
    void channelsWithoutASecretAreLeftOut() {
        Manifests m = render(t -> t);
        assertThat(m.envNames()).doesNotContain("SLACK_BOT_TOKEN", "PAGERDUTY_ROUTING_KEY", "SPRING_MAIL_HOST");
    }

    @Test
    void refusesMoreThanOneReplicaAgainstAnEmbeddedDatabase() {
        assertThatThrownBy(() -> render(t -> t.set("database.url", "jdbc:h2:file:./data/controlplane")))
                .hasMessageContaining("embedded H2 database")
                .hasMessageContaining("replicaCount: 1");
        assertThatThrownBy(() -> render(t -> t.set("database.url", "jdbc:h2:file:./data/controlplane")
                        .set("replicaCount", "1")
                        .set("autoscaling.enabled", "true")))
                .hasMessageContaining("embedded H2 database");
    }

    @Test
    void oneReplicaAgainstAnEmbeddedDatabaseIsATrialWithoutDatabaseSecret() {
        Manifests m = render(
                t -> t.set("database.url", "jdbc:h2:file:./data/controlplane").set("replicaCount", "1"));
        assertThat(path(m.one("Deployment"), "spec", "strategy", "type")).isEqualTo("Recreate");
        assertThat(m.env("SPRING_PROFILES_ACTIVE")).containsEntry("value", "h2,prod");
        assertThat(m.envNames()).doesNotContain("CONTROLPLANE_DB_PASSWORD");
        assertThat(m.kinds()).doesNotContain("PodDisruptionBudget");
    }

    @Test
    void refusesToRenderWithoutADatabase() {
        assertThatThrownBy(() -> render(t -> t.set("database.url", "")))
                .hasMessageContaining("database.url is required");
    }

    @Test
    void configurationOverridesGoIntoTheConfigMapReadAfterTheDefaults() {
        Manifests m = render(t -> t.set("config.controlplane.kpis.targets.library-reuse", "40"));
        String applicationYaml = (String) path(m.one("ConfigMap"), "data", "application.yaml");
        Map<String, Object> config = new Yaml().load(applicationYaml);
        assertThat(path(config, "controlplane", "kpis", "targets", "library-reuse"))
                .isEqualTo(40);
        assertThat(m.env("SPRING_CONFIG_ADDITIONAL_LOCATION")).containsEntry("value", "optional:file:/config/");
        // a changed configuration rolls the pods
        assertThat((String) path(m.one("Deployment"), "spec", "template", "metadata", "annotations", "checksum/config"))
                .hasSize(64);
    }

    @Test
    void theSlackUserMappingGoesIntoTheConfigMapBesideOtherOverrides() {
        Manifests m = render(t -> t.set("notifications.slack.users.U012ABCDEF", "oc")
                .set("config.controlplane.kpis.targets.library-reuse", "40"));
        Map<String, Object> config = new Yaml().load((String) path(m.one("ConfigMap"), "data", "application.yaml"));
        assertThat(path(config, "controlplane", "notify", "slack", "users", "U012ABCDEF"))
                .isEqualTo("oc");
        assertThat(path(config, "controlplane", "kpis", "targets", "library-reuse"))
                .isEqualTo(40);
        assertThat((String) path(render(t -> t).one("ConfigMap"), "data", "application.yaml"))
                .contains("no overrides");
    }

    @Test
    void optionalPartsRenderWhenEnabled() {
        Manifests m = render(t -> t.set("ingress.enabled", "true")
                .set("ingress.hosts[0].host", "cp.example.org")
                .set("autoscaling.enabled", "true")
                .set("metrics.serviceMonitor.enabled", "true")
                .set("grafanaDashboard.enabled", "true"));
        assertThat(path(m.one("Ingress"), "spec", "rules")).asString().contains("cp.example.org");
        Map<String, Object> hpa = m.one("HorizontalPodAutoscaler");
        assertThat(path(hpa, "spec", "minReplicas")).isEqualTo(2);
        // with an autoscaler the Deployment leaves the replica count to it
        assertThat(path(m.one("Deployment"), "spec", "replicas")).isNull();
        assertThat(path(m.one("ServiceMonitor"), "spec", "endpoints"))
                .asString()
                .contains("/actuator/prometheus", "control-plane-metrics");
        Map<String, Object> dashboard = m.all("ConfigMap").stream()
                .filter(c -> ((Map<?, ?>) c.get("data")).containsKey("control-plane.json"))
                .findFirst()
                .orElseThrow();
        assertThat(path(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
        assertThat((String) path(dashboard, "data", "control-plane.json")).contains("\"panels\"");
    }

    /** values.schema.json: a value of the wrong type is refused by helm template and by helm lint, not ignored. */
    @Test
    void aValueOfTheWrongTypeIsRefused(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> new Helm(CHART)
                        .template()
                        .withName("cp")
                        .withValuesFile(Path.of("src", "test", "resources", "helm", "wrong-type.yaml"))
                        .call())
                .hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> render(t -> t.set("demo.users", "yes"))).hasMessageContaining("demo");
        // --set turns a tag like 2 into a number: still a tag
        assertThat((String) render(t -> t.set("image.tag", "2")).container().get("image"))
                .endsWith(":2");
        LintResult lint = new Helm(chartWithValues(tmp, "replicaCount: 2", "replicaCount: \"two\""))
                .lint()
                .strict()
                .call();
        assertThat(lint.isFailed()).as("lint of replicaCount: \"two\"").isTrue();
        assertThat(String.join("\n", lint.getMessages())).contains("replicaCount");
    }

    /** values.schema.json: a misspelt or misplaced key is refused, at the top level and inside a known section. */
    @Test
    void anUnknownKeyIsRefused(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> new Helm(CHART)
                        .template()
                        .withName("cp")
                        .withValuesFile(Path.of("src", "test", "resources", "helm", "unknown-key.yaml"))
                        .call())
                .hasMessageContaining("replicaCont");
        assertThatThrownBy(() -> render(t -> t.set("database.passwrdKey", "pw")))
                .hasMessageContaining("passwrdKey");
        LintResult lint = new Helm(chartWithValues(tmp, "replicaCount: 2", "replicaCount: 2\nreplicaCont: 3"))
                .lint()
                .strict()
                .call();
        assertThat(lint.isFailed()).as("lint of replicaCont: 3").isTrue();
        assertThat(String.join("\n", lint.getMessages())).contains("replicaCont");
        // free-form maps take any key
        render(t -> t.set("config.spring.main.banner-mode", "off").set("podSecurityContext.runAsGroup", "10001"));
    }

    @Test
    void thePodRunsWithTheRuntimeDefaultSeccompProfileAndAServiceAccountWithoutAToken() {
        Manifests m = render(t -> t);
        Map<String, Object> pod = m.pod();
        assertThat(path(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
        assertThat(path(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        Map<String, Object> account = m.one("ServiceAccount");
        assertThat(path(account, "metadata", "name")).isEqualTo("cp-control-plane");
        assertThat(pod.get("serviceAccountName")).isEqualTo("cp-control-plane");
        // the service never calls the Kubernetes API: no token on the account, none mounted in the pod
        assertThat(account.get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
        // an account of one's own: none created, the pod still mounts no token
        Manifests own = render(t -> t.set("serviceAccount.create", "false").set("serviceAccount.name", "workload"));
        assertThat(own.kinds()).doesNotContain("ServiceAccount");
        assertThat(own.pod().get("serviceAccountName")).isEqualTo("workload");
        assertThat(own.pod().get("automountServiceAccountToken")).isEqualTo(false);
        // a podSecurityContext override is merged with the defaults: the seccomp profile stays
        assertThat(path(
                        render(t -> t.set("podSecurityContext.runAsUser", "20002"))
                                .pod(),
                        "securityContext",
                        "seccompProfile",
                        "type"))
                .isEqualTo("RuntimeDefault");
    }

    /** The chart README lists every value of values.yaml (nested keys joined with dots), and nothing else. */
    @Test
    void theChartReadmeListsEveryValueAndOnlyThose() throws IOException {
        Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
        Set<String> keys = new TreeSet<>();
        leafKeys("", values, keys);
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(Files.readString(CHART.resolve("README.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(keys).as("values.yaml").hasSizeGreaterThan(50);
        assertThat(documented).as("values in helm/control-plane/README.md").containsExactlyElementsOf(keys);
    }

    @SuppressWarnings("unchecked")
    private static void leafKeys(String prefix, Map<String, Object> node, Set<String> out) {
        node.forEach((k, v) -> {
            if (v instanceof Map<?, ?> map && !map.isEmpty()) {
                leafKeys(prefix + k + ".", (Map<String, Object>) v, out);
            } else {
                out.add(prefix + k);
            }
        });
    }

    /** What an operator sees after installing: how to reach it, which secrets must exist, what is switched off. */
    @Test
    void theInstallNotesSayHowToReachTheServiceAndWhatIsMissing() {
        String notes = new Helm(CHART)
                .install()
                .withName("cp")
                .withNamespace("ops")
                .clientOnly()
                .dryRun()
                .call()
                .getOutput();
        assertThat(notes)
                .contains(
                        "kubectl -n ops port-forward service/cp-control-plane 8080:8080",
                        "rollout status deployment/cp-control-plane",
                        "control-plane-admin (admin), control-plane-database (database)",
                        "no Slack secret",
                        "/camunda/app/",
                        "ERROR: publicUrl is empty");
        assertThat(new Helm(CHART)
                        .install()
                        .withName("cp")
                        .clientOnly()
                        .dryRun()
                        .set("publicUrl", "https://cp.example.org")
                        .call()
                        .getOutput())
                .doesNotContain("publicUrl is empty");
        String withIngress = new Helm(CHART)
                .install()
                .withName("cp")
                .clientOnly()
                .dryRun()
                .set("ingress.enabled", "true")
                .set("ingress.hosts[0].host", "cp.example.org")
                .set("demo.users", "true")
                .call()
                .getOutput();
        assertThat(withIngress)
                .contains("http://cp.example.org/camunda/app/", "WARNING: demo users")
                .doesNotContain("port-forward");
    }

    /** The chart in a temporary directory with one line of its values.yaml replaced (helm lint reads no values file). */
    private static Path chartWithValues(Path tmp, String line, String replacement) throws IOException {
        Path copy = tmp.resolve("control-plane");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(CHART.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path values = copy.resolve("values.yaml");
        String text = Files.readString(values);
        assertThat(text).contains("\n" + line + "\n");
        Files.writeString(values, text.replace("\n" + line + "\n", "\n" + replacement + "\n"));
        return copy;
    }

    private static Manifests render(UnaryOperator<TemplateCommand> options) {
        return new Manifests(
                options.apply(new Helm(CHART).template().withName("cp")).call());
    }

    @SuppressWarnings("unchecked")
    static Object path(Map<String, Object> node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    /** The rendered documents, parsed. */
    private record Manifests(List<Map<String, Object>> documents) {
        @SuppressWarnings("unchecked")
        Manifests(String rendered) {
            this(new ArrayList<>());
            for (Object doc : new Yaml().loadAll(rendered)) {
                if (doc instanceof Map) {
                    documents.add((Map<String, Object>) doc);
                }
            }
        }

        List<String> kinds() {
            return documents.stream().map(d -> (String) d.get("kind")).toList();
        }

        List<Map<String, Object>> all(String kind) {
            return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> found = all(kind);
            assertThat(found).as(kind).hasSize(1);
            return found.get(0);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> pod() {
            return (Map<String, Object>) path(one("Deployment"), "spec", "template", "spec");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> container() {
            List<Map<String, Object>> containers =
                    (List<Map<String, Object>>) path(one("Deployment"), "spec", "template", "spec", "containers");
            return containers.get(0);
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> env() {
            return (List<Map<String, Object>>) container().get("env");
        }

        List<String> envNames() {
            return env().stream().map(e -> (String) e.get("name")).toList();
        }

        Map<String, Object> env(String name) {
            return env().stream()
                    .filter(e -> name.equals(e.get("name")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no env " + name + " in " + envNames()));
        }

        String secretRef(String name) {
            Map<String, Object> ref = (Map<String, Object>) (Object) path(env(name), "valueFrom", "secretKeyRef");
            assertThat(ref).as(name + " from a secret").isNotNull();
            return ref.get("name") + "/" + ref.get("key");
        }
    }
}
