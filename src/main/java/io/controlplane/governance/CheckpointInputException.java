package io.controlplane.governance;

import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * A checkpoint completed with a missing or unknown decision, or without a required comment. Camunda's REST layer
 * (and so Tasklist) answers it with 400 and the message; the task stays open.
 */
public class CheckpointInputException extends FormFieldValidationException {
    public CheckpointInputException(String field, String message) {
        super(field, message);
    }
}
