package io.controlplane.platform;

import org.camunda.bpm.engine.BadUserRequestException;

/**
 * The request would duplicate what exists already (a mission's business key that is taken): {@code /engine-rest}
 * answers 409 with this message ({@link EngineRestErrors}). A {@link BadUserRequestException}, so the engine treats it
 * as the caller's mistake and rolls the command back.
 */
public class ConflictException extends BadUserRequestException {
    public ConflictException(String message) {
        super(message);
    }
}
