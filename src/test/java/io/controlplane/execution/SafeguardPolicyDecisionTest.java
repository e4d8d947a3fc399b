package io.controlplane.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionTableResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The safeguard-policy table as designers edit it in {@code bpmn/}, evaluated by the standalone DMN engine. */
class SafeguardPolicyDecisionTest {
    private static final String CATCH_ALL_REASON =
            "No automatic fix applies or the retries are used up: a Governance Validator decides";

    private static DmnEngine engine;
    private static DmnDecision decision;

    @BeforeAll
    static void parse() throws Exception {
        engine = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
        try (InputStream in = Files.newInputStream(Path.of("bpmn", "safeguard-policy.dmn"))) {
            decision = engine.parseDecision("safeguard-policy", in);
        }
    }

    private static Map<String, Object> decide(String code, String severity, Integer attempt) {
        DmnDecisionTableResult result = engine.evaluateDecisionTable(
                decision,
                Variables.createVariables()
                        .putValue("findingCode", code)
                        .putValue("severity", severity)
                        .putValue("attempt", attempt));
        assertThat(result).as("FIRST hit policy: one result").hasSize(1);
        return result.getSingleResult().getEntryMap();
    }

    @Test
    void theDecisionIsAFirstHitTableWithItsReadableName() {
        assertThat(decision.getKey()).isEqualTo("safeguard-policy");
        assertThat(decision.getName()).isEqualTo("What to do about a safeguard finding");
        assertThat(decision.isDecisionTable()).isTrue();
    }

    @ParameterizedTest(name = "{0} ({1}) attempt {2} -> {3}")
    @CsvSource({
        "rate_limit_exceeded,medium,0,auto_fix",
        "rate_limit_exceeded,medium,4,auto_fix",
        "rate_limit_exceeded,medium,5,escalate",
        "burst_exceeded,high,0,auto_fix",
        "burst_exceeded,high,5,escalate",
        "quiet_window,medium,0,retry_later",
        "quiet_window,medium,2,retry_later",
        "quiet_window,medium,3,escalate",
        "budget_exceeded,low,0,retry_later",
        "budget_exceeded,medium,0,retry_later",
        "budget_exceeded,medium,1,escalate",
        "budget_exceeded,high,0,escalate",
        "budget_exceeded,critical,0,escalate",
        "forbidden_word,low,0,escalate",
        "required_word_missing,low,0,escalate",
        "irreversible_without_undo,high,0,escalate",
        "scope_not_granted,high,0,escalate",
        "something_new,low,0,escalate"
    })
    void eachRuleDecides(String code, String severity, int attempt, String outcome) {
        Map<String, Object> d = decide(code, severity, attempt);
        assertThat(d).containsEntry("outcome", outcome);
        assertThat((String) d.get("reason")).isNotBlank();
    }

    @Test
    void theRateLimitRuleSaysToBackOff() {
        assertThat(decide("rate_limit_exceeded", "medium", 0))
                .containsEntry("reason", "Back off 2^attempt seconds (at most 60) and run the step again");
        assertThat(decide("rate_limit_exceeded", "medium", 5)).containsEntry("reason", CATCH_ALL_REASON);
    }

    @Test
    void anUnknownCodeFallsToTheCatchAll() {
        assertThat(decide("something_new", "low", 0))
                .containsEntry("outcome", "escalate")
                .containsEntry("reason", CATCH_ALL_REASON);
        assertThat(decide("forbidden_word", "low", 0)).doesNotContainEntry("reason", CATCH_ALL_REASON);
    }

    @Test
    void everyCodeTheChecksProduceHasItsOwnRule() {
        for (String code : SafeguardFinding.CODES) {
            assertThat(decide(code, "medium", 0).get("reason"))
                    .as("reason for %s", code)
                    .isNotEqualTo(CATCH_ALL_REASON);
        }
    }
}
