package io.controlplane.platform;

import java.util.List;

/** Bad input at the API edge: becomes a 400 problem-details answer naming each bad field. */
public class InvalidInputException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidInputException(String message, List<FieldError> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, String message) {
        this("Invalid request", List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** A one-line summary, for places (Tasklist) that show a single message. */
    public String summary() {
        return getMessage() + ": "
                + String.join(
                        "; ",
                        errors.stream().map(e -> e.field() + " " + e.message()).toList());
    }
}
