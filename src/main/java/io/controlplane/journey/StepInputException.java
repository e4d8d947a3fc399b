package io.controlplane.journey;

import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * A completion or start that sends a variable its step does not declare, or a value outside the step's contract.
 * The engine REST API and Tasklist answer 400 with the message (it names the variable); nothing changes.
 */
public class StepInputException extends FormFieldValidationException {
    public StepInputException(String variable, String message) {
        super(variable, message);
    }
}
