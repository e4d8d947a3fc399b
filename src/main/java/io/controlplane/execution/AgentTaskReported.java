package io.controlplane.execution;

import java.time.Duration;

/**
 * An agent reported one external task of {@code topic}, {@code duration} after the task was created: published by the
 * reporting step, counted by the metrics (which the execution package does not know).
 */
public record AgentTaskReported(String topic, Duration duration) {}
