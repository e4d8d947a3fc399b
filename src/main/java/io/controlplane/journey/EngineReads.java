package io.controlplane.journey;

import java.lang.reflect.Field;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * How {@link EngineGuard}'s checks look at a command and at the engine: the command's own fields (Camunda's commands
 * expose no getters for what they will do), and the engine's rows without authorization checks.
 */
final class EngineReads {
    private final CommandInterceptor guard;

    EngineReads(CommandInterceptor guard) {
        this.guard = guard;
    }

    /**
     * A read of the engine's own rows without authorization checks, in the checked command's context (its entity
     * cache: the command then finds the same task without a second query).
     */
    <T> T read(Command<T> query) {
        var context = Context.getCommandContext();
        if (context != null) {
            return context.runWithoutAuthorization(() -> query.execute(context));
        }
        return guard.getNext().execute(c -> c.runWithoutAuthorization(() -> query.execute(c)));
    }

    @SuppressWarnings("unchecked")
    static <T> T field(Object target, Class<?> declaring, String name) {
        try {
            Field f = declaring.getDeclaredField(name);
            f.setAccessible(true);
            return (T) f.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    declaring.getName() + " no longer has the field " + name
                            + ": review EngineGuard for this Camunda version",
                    e);
        }
    }
}
