package io.controlplane.platform;

/** One bad field of a request, as it appears in a problem-details body. */
public record FieldError(String field, String message) {}
