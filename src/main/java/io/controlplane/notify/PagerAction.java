package io.controlplane.notify;

/** PagerDuty Events API v2 actions; all three carry the incident id as {@code dedup_key}. */
public enum PagerAction {
    TRIGGER,
    ACKNOWLEDGE,
    RESOLVE
}
