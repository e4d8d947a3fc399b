package io.controlplane.governance;

import org.camunda.bpm.engine.AuthorizationException;

/**
 * A checkpoint completion that breaks segregation of duties. Extends the engine's {@link AuthorizationException} so
 * Tasklist and {@code /engine-rest} answer 403 with this message and the engine rolls the completion back.
 */
public class SegregationOfDutiesException extends AuthorizationException {
    public SegregationOfDutiesException(String message) {
        super(message);
    }
}
