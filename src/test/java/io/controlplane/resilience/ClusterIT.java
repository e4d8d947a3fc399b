package io.controlplane.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster of two: two instances of the packaged service on different ports share one PostgreSQL database, both
 * with the job executor and the simulated agent on, started at the same moment on an empty database (schema, Flyway,
 * deployment and demo users raced). Simulated people start a batch of missions and take them through every checkpoint,
 * sending each request to the next node in turn and signing parallel checkpoints at the same moment. Every mission
 * finishes; no job, agent task, decision, artifact, notification or step happens twice; no person sees a 5xx or an
 * optimistic-locking failure. See docs/cluster.md for the settings this proves.
 */
class ClusterIT {
    private static final int MISSIONS = 24;
    private static final int PEOPLE = 6;

    private final ItDatabase db = new ItDatabase("controlplane_cluster_it");
    private final Ledger ledger = new Ledger(db);
    private final List<ServiceNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(ServiceNode::close);
    }

    private String tails() {
        StringBuilder b = new StringBuilder();
        nodes.forEach(n -> b.append('\n').append(n.tail(50)));
        return b.toString();
    }

    /** Mission {@code i} of the batch: plain, or one that runs a runbook (coverage gap, red play, safeguard violation). */
    private static Map<String, Object> brief(int i) {
        List<String> safeguards = List.of("tone", "rate_limit");
        List<String> scopes = List.of("crm.objects.contacts.read", "crm.objects.contacts.write");
        if (i % 6 == 0) {
            return People.brief(
                    "Cluster " + i + ": safeguard violation",
                    "Reactivation guaranteed for every dormant account",
                    safeguards,
                    "hubspot",
                    scopes);
        }
        if (i % 4 == 1) {
            return People.brief(
                    "Cluster " + i + ": coverage gap", "Re-engage dormant accounts", safeguards, "legacy-crm", scopes);
        }
        if (i % 5 == 2) {
            return People.brief(
                    "Cluster " + i + ": red play",
                    "Re-engage dormant accounts",
                    safeguards,
                    "hubspot",
                    List.of("crm.objects.contacts.read", "crm.objects.contacts.delete"));
        }
        return People.brief("Cluster " + i, "Re-engage dormant accounts", safeguards, "hubspot", scopes);
    }

    @Test
    void twoNodesRunABatchOfMissionsAndDoEverythingOnce() throws Exception {
        db.recreate();
        // both nodes start at the same moment on the empty database
        for (String name : List.of("a", "b")) {
            nodes.add(new ServiceNode(
                    "cluster-node-" + name,
                    db.url(),
                    Map.of(
                            // names the node in the engine's job log (ACT_HI_JOB_LOG.HOSTNAME_), to show who ran what
                            "camunda.bpm.generic-properties.properties.hostname", "node-" + name)));
        }
        Instant booting = Instant.now();
        nodes.forEach(ServiceNode::start);
        // Camunda's schema creation is not guarded against a second JVM: without the startup lock one node lost the
        // race on the empty database (duplicate table) and exited. Now both must come up, one after the other.
        for (ServiceNode n : nodes) {
            n.awaitUp(Duration.ofMinutes(5));
        }
        List<String> lockWaits = nodes.stream()
                .map(n -> n.name() + " "
                        + n.grep("Startup lock taken after").stream()
                                .map(l -> l.replaceAll(".*Startup lock taken after (\\d+ ms).*", "$1"))
                                .findFirst()
                                .orElse("no lock"))
                .toList();
        long startup = Duration.between(booting, Instant.now()).toSeconds();
        long deployments = db.count("SELECT COUNT(*) FROM act_re_deployment");
        long definitionsTwice = db.count("SELECT COUNT(*) FROM act_re_procdef WHERE version_ > 1");
        long migrationsTwice =
                db.count("SELECT COUNT(*) FROM (SELECT version FROM cp_flyway_history WHERE version IS NOT NULL "
                        + "GROUP BY version HAVING COUNT(*) > 1) x");
        long demoUsers = db.count("SELECT COUNT(*) FROM act_id_user");
        assertThat(deployments)
                .as("deployments after two nodes started" + tails())
                .isEqualTo(1);
        assertThat(definitionsTwice).as("process definitions deployed twice").isZero();
        assertThat(migrationsTwice).as("Flyway migrations applied twice").isZero();

        People people = new People(nodes.stream().map(ServiceNode::http).toList()).together();
        List<List<Integer>> shares = new ArrayList<>();
        for (int p = 0; p < PEOPLE; p++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < MISSIONS; i++) {
            shares.get(i % PEOPLE).add(i);
        }
        List<String> missions = Collections.synchronizedList(new ArrayList<>());
        Instant started = Instant.now();
        ExecutorService team = Executors.newFixedThreadPool(PEOPLE);
        List<Future<?>> work = new ArrayList<>();
        for (List<Integer> share : shares) {
            work.add(team.submit(() -> {
                List<String> mine = new ArrayList<>();
                for (int i : share) {
                    mine.add(people.start(brief(i)));
                }
                missions.addAll(mine);
                people.driveToEnd(mine, Duration.ofMinutes(6), () -> {});
                return null;
            }));
        }
        team.shutdown();
        try {
            for (Future<?> f : work) {
                f.get(8, TimeUnit.MINUTES);
            }
        } catch (ExecutionException e) {
            throw new AssertionError(
                    "a simulated person got stuck: " + e.getCause().getMessage() + tails(), e.getCause());
        } finally {
            team.shutdownNow();
        }
        long wall = Duration.between(started, Instant.now()).toSeconds();

        // the queued notifications of the last missions are delivered by whichever node's job executor gets them
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (ledger.pendingWork() > 0 && Instant.now().isBefore(deadline)) {
            ServiceNode.sleep(500);
        }
        assertThat(ledger.pendingWork()).as("engine work left" + tails()).isZero();

        long finished = missions.stream().filter(people::finished).count();
        Map<String, Long> duplicates = ledger.duplicates();
        long jobsRunTwice = duplicates.get("jobs run twice");
        long duplicateTotal =
                duplicates.values().stream().mapToLong(Long::longValue).sum();
        List<Map<String, Object>> jobsByNode = db.rows("SELECT hostname_ AS node, COUNT(DISTINCT job_id_) AS jobs "
                + "FROM act_hi_job_log WHERE job_state_ = 2 GROUP BY hostname_ ORDER BY 1");
        long handoffs = db.count("SELECT COUNT(*) FROM oncall_handoffs");
        long handoffPosts = db.count("SELECT COUNT(*) FROM notification_log WHERE kind = 'oncall_handoff'");
        long lockingInLogs = nodes.stream()
                .mapToLong(n ->
                        n.grep("retrying after an optimistic-locking conflict").size())
                .sum();

        System.out.println("CLUSTER: nodes=" + nodes.size() + ", started together on an empty database in " + startup
                + "s (startup lock waited: " + lockWaits + ", deployments=" + deployments
                + ", definitions deployed twice=" + definitionsTwice
                + ", migrations applied twice=" + migrationsTwice + ", users=" + demoUsers + "), missions="
                + missions.size()
                + ", finished=" + finished + ", people=" + PEOPLE + ", requests=" + people.requests.get()
                + ", jobs=" + ledger.jobsRun() + " " + jobsByNode + ", jobs run twice=" + jobsRunTwice
                + ", agent tasks=" + ledger.agentTasksCompleted() + ", approvals=" + ledger.approvals()
                + ", notifications=" + ledger.notificationsLogged() + ", hand-off posts=" + handoffPosts + "/"
                + handoffs
                + ", duplicates=" + duplicateTotal + " " + duplicates + ", 5xx=" + people.serverErrors.get()
                + ", optimistic-locking seen by users=" + people.optimisticLocking.get() + ", conflicts retried="
                + people.conflicts.get() + ", optimistic-locking conflicts retried by the nodes=" + lockingInLogs
                + ", wall=" + wall + "s");
        people.failures.forEach(f -> System.out.println("CLUSTER:   seen by a user: " + f));
        ledger.jobsRunTwice().forEach(j -> System.out.println("CLUSTER:   job run twice: " + j));

        assertThat(finished).as("missions finished").isEqualTo(MISSIONS);
        assertThat(duplicates)
                .as("duplicates by kind")
                .allSatisfy((kind, n) -> assertThat(n).as(kind).isZero());
        assertThat(handoffPosts)
                .as("hand-off announcements (one per hand-off, whichever node saw it)")
                .isEqualTo(handoffs);
        assertThat(people.serverErrors.get())
                .as("5xx seen by users: " + people.failures)
                .isZero();
        assertThat(people.optimisticLocking.get())
                .as("optimistic-locking failures seen by users: " + people.failures)
                .isZero();
    }
}
