package io.controlplane.platform;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

/** The variable names a process's constants class declares (its public static String fields), so lists cannot drift. */
public final class VariableNames {
    private VariableNames() {}

    public static Set<String> of(Class<?> constants) {
        Set<String> names = new TreeSet<>();
        for (Field f : constants.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }
}
