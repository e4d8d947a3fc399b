package io.controlplane.platform;

import org.camunda.bpm.engine.BadUserRequestException;

/**
 * A task completion that lost: the task was completed (or cancelled) meanwhile by another request, or never existed.
 * {@code /engine-rest} and Tasklist answer 409 (or 404 for an unknown task) with this message, see
 * {@link EngineRestConflicts}; nothing of the losing attempt is kept.
 */
public class TaskNoLongerOpenException extends BadUserRequestException {
    private final String taskId;
    private final boolean known;

    TaskNoLongerOpenException(String taskId, boolean known, Throwable cause) {
        super(
                known
                        ? "Task " + taskId
                                + " was completed meanwhile by someone else (or by another request of yours) and is "
                                + "no longer open; your input was not recorded. Reload the task list."
                        : "Task " + taskId + " does not exist (it may have been completed and cleaned up).",
                cause);
        this.taskId = taskId;
        this.known = known;
    }

    public String taskId() {
        return taskId;
    }

    /** {@code true}: the task existed and was completed or cancelled meanwhile (409); {@code false}: unknown id (404). */
    public boolean known() {
        return known;
    }
}
