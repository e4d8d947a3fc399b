package io.controlplane.mission;

/**
 * An agent's reported usage for one external task of {@code topic} entered the ledger: published by the journey's agent-ledger listener,
 * counted by the metrics once the report commits.
 */
public record AgentRunRecorded(String topic, long tokensIn, long tokensOut, double costCents) {}
