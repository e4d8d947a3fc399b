package io.controlplane.mission;

import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/** A mission started from the Tasklist start form or a mission owner task completed with invalid input: Tasklist and /engine-rest show the message (400). */
public class MissionInputException extends FormFieldValidationException {
    public MissionInputException(String field, String message) {
        super(field, message);
    }
}
