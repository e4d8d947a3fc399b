package io.controlplane.platform;

/** A resource the caller named does not exist: becomes a 404 problem-details answer. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
