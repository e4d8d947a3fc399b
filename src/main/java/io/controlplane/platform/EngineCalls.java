package io.controlplane.platform;

import java.util.function.Supplier;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/**
 * Engine calls the process makes on its own behalf (a runbook queuing a notification, starting a review) are not
 * acts of the person whose task completion triggered them: they run without that person's authorization checks.
 */
public final class EngineCalls {
    private static final ThreadLocal<Integer> SERVICE = ThreadLocal.withInitial(() -> 0);

    private EngineCalls() {}

    /**
     * Runs {@code call} as the control plane itself: its engine commands are the service's, checked by the service
     * before it calls (e.g. {@code POST /api/missions} validates the brief and chooses the business key), so the
     * journey's engine guard lets them through.
     */
    public static <T> T asService(Supplier<T> call) {
        SERVICE.set(SERVICE.get() + 1);
        try {
            return call.get();
        } finally {
            SERVICE.set(SERVICE.get() - 1);
        }
    }

    /** whether the current thread is inside {@link #asService} */
    public static boolean inService() {
        return SERVICE.get() > 0;
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
