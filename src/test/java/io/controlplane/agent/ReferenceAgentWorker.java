package io.controlplane.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.exception.BadRequestException;
import org.camunda.bpm.client.exception.NotFoundException;
import org.camunda.bpm.client.exception.RestException;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.camunda.bpm.client.variable.ClientValues;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference agent runtime (docs/agents.md, "The reference worker"): a worker written with Camunda's own Java
 * external-task client ({@code org.camunda.bpm:camunda-external-task-client}) from the published contract alone — the
 * topic tables of docs/agents.md and the result schemas of docs/contract/topics/ — and nothing of the service's code.
 * It serves every topic of a mission on {@code /engine-rest} as the demo user {@code agent} (group {@code ai-agent},
 * HTTP Basic), working on a real system, the {@link InMemoryCrm}: it inspects the contacts, plans plays, tags contacts
 * and sends messages, and undoes what it did.
 *
 * <p>What it shows an author: one subscription per topic fetching exactly the variables the topic's table lists (and
 * checking that each arrives with its documented Camunda type); results with the schema's variables and types
 * ({@code Double}, {@code String}, {@code Json}); a technical failure counted down ({@code retries} 2, 1, 0 with a
 * {@code retryTimeout}) or, when only a person can fix the cause, sent with {@code retries: 0} so it becomes a Cockpit
 * incident at once; the topic's documented BPMN error ({@code UNDO_FAILED}) for a business outcome; the lock extended
 * during long work; a task that vanished meanwhile (a rollback cancelled it) dropped, not retried.
 *
 * <p>Run it against a running service with the test classpath:
 * {@code java -cp target/test-classes:<test classpath> io.controlplane.agent.ReferenceAgentWorker
 * http://localhost:8080/engine-rest agent demo} (docs/agents.md names the command).
 */
public final class ReferenceAgentWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReferenceAgentWorker.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String WORKER_ID = "reference-agent";
    /** The topics' only BPMN error (docs/agents.md, mission.play.undo). */
    public static final String UNDO_FAILED = "UNDO_FAILED";

    static final String READ_SCOPE = "crm.objects.contacts.read";
    static final String WRITE_SCOPE = "crm.objects.contacts.write";
    private static final long LOCK_MS = 60_000;
    /** Attempts of a technical failure, counting this one (docs/agents.md: "3 is usual"). */
    private static final int ATTEMPTS = 3;

    /**
     * What each topic's task carries: docs/agents.md's "Receives" tables, name → Camunda type. The worker fetches
     * exactly these and checks each arrives with its type; {@code ExternalTaskClientIT} checks that this copy still
     * matches the page.
     */
    public static final Map<String, Map<String, String>> RECEIVES = ordered(
            "mission.data.inspect",
                    ordered(
                            "missionId",
                            "String",
                            "missionTitle",
                            "String",
                            "objective",
                            "String",
                            "persona",
                            "String",
                            "toolkits",
                            "Json",
                            "safeguards",
                            "Json"),
            "mission.play.rank",
                    ordered(
                            "missionId",
                            "String",
                            "missionTitle",
                            "String",
                            "objective",
                            "String",
                            "persona",
                            "String",
                            "toolkits",
                            "Json",
                            "safeguards",
                            "Json",
                            "libraryOffers",
                            "Json"),
            "mission.play.execute",
                    ordered(
                            "play",
                            "Json",
                            "playId",
                            "String",
                            "missionId",
                            "String",
                            "objective",
                            "String",
                            "toolkits",
                            "Json",
                            "safeguards",
                            "Json"),
            "mission.play.undo", ordered("play", "Json", "playId", "String", "missionId", "String", "toolkits", "Json"),
            "mission.play.rollback",
                    ordered(
                            "play",
                            "Json",
                            "playId",
                            "String",
                            "undoErrorMessage",
                            "String",
                            "missionId",
                            "String",
                            "missionTitle",
                            "String"));

    /** One task the worker handled, and how it ended; the IT reads the journal. */
    public record Handled(
            String topic, String businessKey, String taskId, Integer retries, String outcome, String detail) {}

    /** A result or refusal the worker sends, decided while working on a task. */
    @FunctionalInterface
    private interface Work {
        void on(ExternalTask task, ExternalTaskService service) throws Exception;
    }

    private final String engineRestUrl;
    private final String user;
    private final String password;
    private final InMemoryCrm crm;
    private final long retryTimeoutMs;
    private final List<Handled> journal = Collections.synchronizedList(new ArrayList<>());
    private ExternalTaskClient client;

    public ReferenceAgentWorker(
            String engineRestUrl, String user, String password, InMemoryCrm crm, long retryTimeoutMs) {
        this.engineRestUrl = engineRestUrl;
        this.user = user;
        this.password = password;
        this.crm = crm;
        this.retryTimeoutMs = retryTimeoutMs;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: ReferenceAgentWorker <engine-rest URL> <user> <password>");
            System.exit(2);
        }
        try (ReferenceAgentWorker worker = new ReferenceAgentWorker(
                        args[0], args[1], args[2], InMemoryCrm.seeded(24, 2, LocalDate.now()), 30_000)
                .start()) {
            System.out.println(
                    "Serving " + RECEIVES.keySet() + " on " + args[0] + " as " + args[1] + "; Ctrl-C stops.");
            Thread.currentThread().join();
        }
    }

    /** Opens one subscription per topic; the client fetches and locks in a thread of its own. */
    public ReferenceAgentWorker start() {
        client = ExternalTaskClient.create()
                .baseUrl(engineRestUrl)
                .workerId(WORKER_ID)
                .addInterceptor(new BasicAuthProvider(user, password))
                .maxTasks(5)
                // long polling: the service holds fetch-and-lock up to 10 s until a task arrives, so no backoff needed
                .asyncResponseTimeout(10_000)
                .disableBackoffStrategy()
                .lockDuration(LOCK_MS)
                .build();
        subscribe("mission.data.inspect", this::inspect);
        subscribe("mission.play.rank", this::rank);
        subscribe("mission.play.execute", this::execute);
        subscribe("mission.play.undo", this::undo);
        subscribe("mission.play.rollback", this::rollback);
        return this;
    }

    public Set<String> topics() {
        return RECEIVES.keySet();
    }

    public List<Handled> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.stop();
        }
    }

    private void subscribe(String topic, Work work) {
        client.subscribe(topic)
                .lockDuration(LOCK_MS)
                .variables(RECEIVES.get(topic).keySet().toArray(String[]::new))
                .handler((task, service) -> serve(task, service, work))
                .open();
    }

    /** Runs the work on one task and settles it: every path ends in a completion, a failure or a BPMN error. */
    private void serve(ExternalTask task, ExternalTaskService service, Work work) {
        String topic = task.getTopicName();
        try {
            String missing = contractGaps(task);
            if (missing != null) {
                // the service sent what the docs do not describe: a person must look, retrying cannot help
                service.handleFailure(task, "Task does not match docs/agents.md: " + missing, missing, 0, 0L);
                record(task, "CONTRACT", missing);
                return;
            }
            work.on(task, service);
        } catch (InMemoryCrm.CrmException e) {
            fail(task, service, e.getMessage(), e.needsPerson());
        } catch (NotFoundException gone) {
            // the task is no more (a rollback or an abort cancelled it; another worker completed it after our lock
            // expired): nothing to settle
            record(task, "GONE", gone.getMessage());
        } catch (BadRequestException refused) {
            // the service refused the report (400 naming the field) and changed nothing: a bug of this worker. The
            // lock runs out and the task comes back; a person reads the log meanwhile.
            log.error("{} refused our report on task {}: {}", topic, task.getId(), refused.getMessage());
            record(task, "REFUSED", refused.getMessage());
        } catch (RestException e) {
            log.warn(
                    "{}: the service answered {} on task {}: {}",
                    topic,
                    e.getHttpStatusCode(),
                    task.getId(),
                    e.getMessage());
            record(task, "HTTP_" + e.getHttpStatusCode(), e.getMessage());
        } catch (Exception e) {
            fail(task, service, e.toString(), false);
        }
    }

    /**
     * A technical failure: attempts count down from {@link #ATTEMPTS} with a pause between them; with none left (or
     * when only a person can fix the cause) {@code retries: 0} makes the task a Cockpit incident until operations
     * command retries it.
     */
    private void fail(ExternalTask task, ExternalTaskService service, String message, boolean needsPerson) {
        int left = needsPerson ? 0 : Math.max(0, (task.getRetries() == null ? ATTEMPTS : task.getRetries()) - 1);
        try {
            service.handleFailure(
                    task,
                    message,
                    "worker " + WORKER_ID + ", topic " + task.getTopicName(),
                    left,
                    left > 0 ? retryTimeoutMs : 0L);
            record(task, left == 0 ? "INCIDENT" : "FAILED", message);
        } catch (NotFoundException gone) {
            record(task, "GONE", gone.getMessage());
        }
    }

    private void record(ExternalTask task, String outcome, String detail) {
        journal.add(new Handled(
                task.getTopicName(), task.getBusinessKey(), task.getId(), task.getRetries(), outcome, detail));
        log.info(
                "{} {} of {}: {}{}",
                outcome,
                task.getTopicName(),
                task.getBusinessKey(),
                detail == null ? "" : detail,
                task.getRetries() == null ? "" : " (retries were " + task.getRetries() + ")");
    }

    /** Each documented variable must be there with its documented Camunda type; null when all are. */
    private static String contractGaps(ExternalTask task) {
        List<String> gaps = new ArrayList<>();
        RECEIVES.get(task.getTopicName()).forEach((name, type) -> {
            TypedValue value = task.getVariableTyped(name, false);
            if (value == null) {
                gaps.add(name + " is missing");
            } else if (!value.getType().getName().equalsIgnoreCase(type)) {
                gaps.add(name + " is " + value.getType().getName() + ", not " + type);
            }
        });
        return gaps.isEmpty() ? null : String.join("; ", gaps);
    }

    // ---- mission.data.inspect: read only, report the coverage ------------------------------------------------------

    private void inspect(ExternalTask task, ExternalTaskService service) throws JsonProcessingException {
        requireScope(task, READ_SCOPE);
        List<InMemoryCrm.Contact> contacts = crm.contacts();
        long complete = contacts.stream().filter(InMemoryCrm.Contact::complete).count();
        double coverage = contacts.isEmpty() ? 0.0 : Math.round(1000.0 * complete / contacts.size()) / 10.0;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dataCoveragePercent", coverage); // a Java double: Camunda type Double
        result.put(
                "dataPreviewSummary",
                "Read " + contacts.size() + " contacts of the CRM (read-only): " + complete
                        + " carry a name, an e-mail address and a time zone.");
        result.put("agentUsage", usage("reference-reader", 1200, 150, "0.9", List.of("crm.contacts.list"), 40));
        service.complete(task, result);
        record(task, "COMPLETED", coverage + " %");
    }

    // ---- mission.play.rank: plays the granted scopes allow, best first ---------------------------------------------

    private void rank(ExternalTask task, ExternalTaskService service) throws JsonProcessingException {
        requireScope(task, READ_SCOPE);
        long dormant =
                crm.contacts().stream().filter(c -> dormant(c) && c.complete()).count();
        boolean mayWrite = scopes(task).contains(WRITE_SCOPE);
        List<Map<String, Object>> plays = new ArrayList<>();
        plays.add(play(
                "segment-dormant",
                "Segment dormant contacts",
                "Find the " + dormant + " contacts idle for 90 days " + "(read-only)",
                "low",
                "reversible",
                false,
                null));
        if (mayWrite) {
            plays.add(play(
                    "tag-dormant",
                    "Tag dormant contacts for win-back",
                    "Tags the dormant contacts with the " + "mission's win-back tag",
                    "medium",
                    "reversible",
                    true,
                    undoPlan(
                            "Remove the win-back tag",
                            60,
                            List.of(
                                    "Remove the tag from every contact the play tagged, unless someone changed it since"),
                            "Only the tag is touched",
                            "low")));
            plays.add(play(
                    "winback-email",
                    "Send the win-back e-mail",
                    "One e-mail to each dormant contact",
                    "medium",
                    "partial",
                    true,
                    undoPlan(
                            "Send a correction",
                            60,
                            List.of("Send each recipient a short note withdrawing the offer"),
                            "A sent e-mail cannot be recalled; the correction withdraws it",
                            "medium")));
        }
        // reuse what the library offers for a play of ours (same name): the service counts the reuse
        for (JsonNode offer : json(task, "libraryOffers")) {
            plays.stream()
                    .filter(p -> p.get("name").equals(offer.path("name").asText()))
                    .forEach(p ->
                            p.put("libraryAssetId", offer.path("libraryAssetId").asText()));
        }
        service.complete(
                task,
                Map.of(
                        "rankedPlays",
                        ClientValues.jsonValue(JSON.writeValueAsString(plays)),
                        "agentUsage",
                        usage("reference-planner", 3000, 800, "4.2", List.of("library.search"), 120)));
        record(task, "COMPLETED", plays.size() + " plays");
    }

    // ---- mission.play.execute: one play, every step reported ------------------------------------------------------

    private void execute(ExternalTask task, ExternalTaskService service) throws JsonProcessingException {
        JsonNode play = JSON.readTree((String) task.getVariable("play"));
        String playId = task.getVariable("playId");
        String missionId = task.getVariable("missionId");
        String changeSet = changeSet(missionId, playId);
        List<Map<String, Object>> steps = new ArrayList<>();
        int touched = 0;
        switch (playId) {
            case "segment-dormant" -> {
                requireScope(task, READ_SCOPE);
                crm.contacts();
                steps.add(step("read_records", READ_SCOPE, 0, true));
            }
            case "tag-dormant" -> {
                requireScope(task, WRITE_SCOPE);
                List<String> ids = crm.contacts().stream()
                        .filter(c -> dormant(c) && c.complete())
                        .map(InMemoryCrm.Contact::id)
                        .toList();
                crm.tag(changeSet, ids, winbackTag(missionId));
                touched = ids.size();
                steps.add(step("update_records", WRITE_SCOPE, 0, true));
            }
            case "winback-email" -> {
                requireScope(task, WRITE_SCOPE);
                JsonNode tone = safeguard(task, "tone");
                for (InMemoryCrm.Contact c : crm.contacts()) {
                    if (!dormant(c) || !c.complete()) {
                        continue;
                    }
                    if (touched > 0 && touched % 5 == 0) {
                        // long work: keep the task ours rather than let the lock lapse mid-play
                        service.extendLock(task, LOCK_MS);
                    }
                    String text = compose(c, tone);
                    // the CRM bills each message after sending it: report what it cost, the validator checks budgets
                    int cost = crm.send(changeSet, c.id(), text);
                    Map<String, Object> step = step("send_message", WRITE_SCOPE, cost, false);
                    step.put("recipient", c.email());
                    step.put("recipientTimeZone", c.timeZone());
                    step.put("text", text);
                    steps.add(step);
                    touched++;
                }
            }
            default ->
                throw new IllegalStateException(
                        "play " + playId + " (" + play.path("name").asText() + ") is not one this worker planned");
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("status", "succeeded");
        outcome.put("summary", play.path("name").asText() + ": " + touched + " records touched");
        outcome.put("recordsTouched", touched);
        outcome.put("agent", WORKER_ID);
        outcome.put("steps", steps);
        service.complete(
                task,
                Map.of(
                        "playOutcome",
                        ClientValues.jsonValue(JSON.writeValueAsString(outcome)),
                        "agentUsage",
                        usage("reference-executor", 500, 100, "1.5", List.of("crm.contacts.update"), 60)));
        record(task, "COMPLETED", playId + ", " + steps.size() + " steps");
    }

    // ---- mission.play.undo: the play's undo plan, or the documented BPMN error -------------------------------------

    private void undo(ExternalTask task, ExternalTaskService service) throws JsonProcessingException {
        JsonNode play = JSON.readTree((String) task.getVariable("play"));
        String playId = task.getVariable("playId");
        try {
            crm.undo(
                    changeSet(task.getVariable("missionId"), playId),
                    "Please disregard our last e-mail: the offer is withdrawn.");
        } catch (InMemoryCrm.ChangedSinceException e) {
            // a business outcome, not a technical failure: the undo-failure runbook takes over (no variables)
            service.handleBpmnError(
                    task,
                    UNDO_FAILED,
                    "Undo plan '" + play.path("undoPlan").path("label").asText() + "' of " + playId
                            + " cannot be carried out: " + e.getMessage());
            record(task, "BPMN_ERROR", UNDO_FAILED + ": " + e.getMessage());
            return;
        }
        service.complete(task);
        record(task, "COMPLETED", playId + " undone");
    }

    // ---- mission.play.rollback: restore by another route ----------------------------------------------------------

    private void rollback(ExternalTask task, ExternalTaskService service) {
        String playId = task.getVariable("playId");
        // the undo plan failed for the reason in undoErrorMessage; restore the records from the CRM's backup taken
        // before the play ran, exactly those the play touched
        int restored = crm.restoreFromBackup(changeSet(task.getVariable("missionId"), playId));
        service.complete(task);
        record(
                task,
                "COMPLETED",
                playId + ": " + restored + " records restored (undo had failed: " + task.getVariable("undoErrorMessage")
                        + ")");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** The CRM change set of one play of one mission: how the undo finds what the play wrote. */
    public static String changeSet(String missionId, String playId) {
        return missionId + "/" + playId;
    }

    public static String winbackTag(String missionId) {
        return "winback-" + missionId.substring(0, Math.min(8, missionId.length()));
    }

    static boolean dormant(InMemoryCrm.Contact c) {
        return c.lastActivity().isBefore(LocalDate.now().minusDays(90));
    }

    /** The message, kept within the tone safeguard: no forbidden word, every required word. */
    static String compose(InMemoryCrm.Contact c, JsonNode tone) {
        String text = "Hello " + c.name() + ", we have missed " + c.company() + " lately: here is what changed since "
                + "your last visit, and a discount for coming back.";
        if (tone != null) {
            for (JsonNode word : tone.path("parameters").path("forbiddenWords")) {
                text = text.replaceAll("(?i)\\b" + Pattern.quote(word.asText()) + "\\b", "")
                        .replaceAll("  +", " ");
            }
            for (JsonNode word : tone.path("parameters").path("requiredWords")) {
                if (!text.toLowerCase(Locale.ROOT).contains(word.asText().toLowerCase(Locale.ROOT))) {
                    text = text + " " + word.asText();
                }
            }
        }
        return text;
    }

    private static Map<String, Object> step(String action, String scope, int spendCents, boolean reversible) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("action", action);
        step.put("at", Instant.now().toString());
        step.put("spendCents", spendCents);
        step.put("reversible", reversible);
        step.put("scopesUsed", List.of(scope));
        return step;
    }

    private static Map<String, Object> play(
            String id,
            String name,
            String description,
            String impact,
            String reversibility,
            boolean mutating,
            Map<String, Object> undoPlan) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("playId", id);
        p.put("name", name);
        p.put("description", description);
        p.put("impact", impact);
        p.put("reversibility", reversibility);
        p.put("mutating", mutating);
        p.put("undoPlan", undoPlan);
        return p;
    }

    private static Map<String, Object> undoPlan(
            String label, int windowMinutes, List<String> steps, String impactSummary, String riskAssessment) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("label", label);
        u.put("windowMinutes", windowMinutes);
        u.put("steps", steps);
        u.put("impactSummary", impactSummary);
        u.put("riskAssessment", riskAssessment);
        return u;
    }

    /** A Json variable, parsed (its value arrives as JSON text). */
    private static JsonNode json(ExternalTask task, String name) throws JsonProcessingException {
        return JSON.readTree((String) task.getVariable(name));
    }

    private static List<String> scopes(ExternalTask task) throws JsonProcessingException {
        List<String> out = new ArrayList<>();
        json(task, "toolkits").forEach(t -> t.path("scopes").forEach(s -> out.add(s.asText())));
        return out;
    }

    /** The authorised scopes are the only ones the worker may use. */
    private static void requireScope(ExternalTask task, String scope) throws JsonProcessingException {
        if (!scopes(task).contains(scope)) {
            throw new InMemoryCrm.CrmException("scope " + scope + " was not authorised for this mission", true);
        }
    }

    private static JsonNode safeguard(ExternalTask task, String type) throws JsonProcessingException {
        for (JsonNode s : json(task, "safeguards")) {
            if (type.equals(s.path("type").asText())) {
                return s;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> ordered(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * What a task used, for the service's agent ledger (docs/agents.md, "Usage: the agent ledger"): the same figures
     * every time, so a test can add them up. No agent name or mission: the service books the authenticated worker.
     */
    static TypedValue usage(String model, long tokensIn, long tokensOut, String costCents, List<String> tools, long ms)
            throws JsonProcessingException {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("model", model);
        usage.put("tokensIn", tokensIn);
        usage.put("tokensOut", tokensOut);
        usage.put("costCents", new BigDecimal(costCents));
        usage.put(
                "toolCalls",
                tools.stream().map(t -> Map.of("name", t, "count", 1)).toList());
        usage.put("durationMs", ms);
        return ClientValues.jsonValue(JSON.writeValueAsString(usage));
    }
}
