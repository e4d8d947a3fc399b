package io.controlplane.execution;

import java.util.List;

/**
 * One way a step broke a mission safeguard. {@code code} is the stable machine code the {@code safeguard-policy}
 * decision matches on; {@code detail} is the sentence a reviewer reads, with the numbers.
 */
public record SafeguardFinding(String type, String severity, String code, String detail) {
    public static final String FORBIDDEN_WORD = "forbidden_word";
    public static final String REQUIRED_WORD_MISSING = "required_word_missing";
    public static final String QUIET_WINDOW = "quiet_window";
    public static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";
    public static final String BURST_EXCEEDED = "burst_exceeded";
    public static final String BUDGET_EXCEEDED = "budget_exceeded";
    public static final String IRREVERSIBLE_WITHOUT_UNDO = "irreversible_without_undo";
    public static final String SCOPE_NOT_GRANTED = "scope_not_granted";

    /** Every code the checks produce, so the decision table can be tested against the full list. */
    public static final List<String> CODES = List.of(
            FORBIDDEN_WORD,
            REQUIRED_WORD_MISSING,
            QUIET_WINDOW,
            RATE_LIMIT_EXCEEDED,
            BURST_EXCEEDED,
            BUDGET_EXCEEDED,
            IRREVERSIBLE_WITHOUT_UNDO,
            SCOPE_NOT_GRANTED);
}
