package io.controlplane.platform;

import java.util.function.Supplier;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/**
 * Engine calls the process makes on its own behalf (a runbook queuing a notification, starting a review) are not
 * acts of the person whose task completion triggered them: they run without that person's authorization checks.
 */
public final class EngineCalls {
    private EngineCalls() {
    }

    public static <T> T asProcess(Supplier<T> call) {
        CommandContext context = Context.getCommandContext();
        return context == null ? call.get() : context.runWithoutAuthorization(call::get);
    }

    public static void asProcess(Runnable call) {
        asProcess(() -> {
            call.run();
            return null;
        });
    }
}
