package io.controlplane.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.camunda.spin.json.SpinJsonNode;
import org.camunda.spin.plugin.variable.SpinValues;

/**
 * A process variable's name and Java type (camunda-bpm-data's {@code VariableFactory<T>}, in a few lines): the one
 * place a stored value becomes a typed one, so no reader casts. Numbers arrive as Integer, Long or Double depending
 * on who wrote them (Java, a form, JSON over {@code /engine-rest}) and are converted here; structured values (a Spin
 * Json variable, a JSON string, a deserialised map or list) are read into a Jackson tree. A value of another type is
 * a {@link WrongTypeException} naming the variable, never a {@link ClassCastException} somewhere downstream.
 *
 * <p>Descriptors live beside the names they type ({@code MissionJourney.Vars}, {@code Runbooks.Vars}, …); the
 * journey's adapters use them to read and write, the features' services only ever see the typed values.
 */
public final class ProcessVariable<T> {
    /**
     * Trees only: no binding to the API's records, so of the application's mapper settings (JsonValues) only the
     * modules and the null inclusion matter, and they are the same here.
     */
    private static final ObjectMapper TREES = JsonMapper.builder()
            .findAndAddModules()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final String name;
    private final Function<Object, T> convert;
    private final boolean json;

    private ProcessVariable(String name, Function<Object, T> convert, boolean json) {
        this.name = name;
        this.convert = convert;
        this.json = json;
    }

    /** Text; anything else is a wrong type. */
    public static ProcessVariable<String> text(String name) {
        return new ProcessVariable<>(name, v -> cast(name, v, String.class), false);
    }

    /** Any value as its text ({@code toString}), for the variables people and models write as numbers or text. */
    public static ProcessVariable<String> asText(String name) {
        return new ProcessVariable<>(name, Object::toString, false);
    }

    public static ProcessVariable<Long> longValue(String name) {
        return new ProcessVariable<>(name, v -> cast(name, v, Number.class).longValue(), false);
    }

    public static ProcessVariable<Integer> integer(String name) {
        return new ProcessVariable<>(name, v -> cast(name, v, Number.class).intValue(), false);
    }

    public static ProcessVariable<Double> decimalNumber(String name) {
        return new ProcessVariable<>(name, v -> cast(name, v, Number.class).doubleValue(), false);
    }

    /** A number or numeric text as an exact decimal (a Double's shortest text, so 0.1 stays 0.1). */
    public static ProcessVariable<BigDecimal> decimal(String name) {
        return new ProcessVariable<>(
                name,
                v -> {
                    try {
                        return new BigDecimal(
                                v instanceof Number n
                                        ? n.toString()
                                        : v.toString().strip());
                    } catch (NumberFormatException e) {
                        throw new WrongTypeException(name, "is not a number: '" + v + "'", e);
                    }
                },
                false);
    }

    /** A flag the models test null-safe: only {@code true} is true (see {@link #isTrue(VariableScope)}). */
    public static ProcessVariable<Boolean> flag(String name) {
        return new ProcessVariable<>(name, v -> cast(name, v, Boolean.class), false);
    }

    /** A structured value as a Jackson tree; written back as a Camunda Json variable (readable by agents and forms). */
    public static ProcessVariable<JsonNode> json(String name) {
        return new ProcessVariable<>(name, v -> tree(name, v), true);
    }

    /**
     * The value as stored, for the few readers that judge what an untrusted caller sent (an agent's report) and
     * answer a wrong type with their own refusal.
     */
    public static ProcessVariable<Object> value(String name) {
        return new ProcessVariable<>(name, Function.identity(), false);
    }

    public String name() {
        return name;
    }

    /** The converted value, empty when the variable is absent or null. */
    public T convert(Object stored) {
        Object v = stored instanceof TypedValue typed ? typed.getValue() : stored;
        return v == null ? null : convert.apply(v);
    }

    public Optional<T> from(VariableScope scope) {
        return Optional.ofNullable(convert(scope.getVariable(name)));
    }

    public Optional<T> from(Map<String, ?> variables) {
        return Optional.ofNullable(variables == null ? null : convert(variables.get(name)));
    }

    public T orNull(VariableScope scope) {
        return convert(scope.getVariable(name));
    }

    public T orNull(Map<String, ?> variables) {
        return variables == null ? null : convert(variables.get(name));
    }

    /** @throws IllegalStateException naming the variable when it is absent: the model did not set what it must */
    public T required(VariableScope scope) {
        return from(scope).orElseThrow(this::missing);
    }

    public T required(Map<String, ?> variables) {
        return from(variables).orElseThrow(this::missing);
    }

    /** Null-safe, like the models' conditions: absent, null or anything but {@code true} is false. */
    public boolean isTrue(VariableScope scope) {
        return Boolean.TRUE.equals(scope.getVariable(name));
    }

    public boolean isTrue(Map<String, ?> variables) {
        return variables != null && Boolean.TRUE.equals(variables.get(name));
    }

    /** Sets the variable where the scope finds it (or on the scope itself when no parent holds it). */
    public void set(VariableScope scope, T value) {
        scope.setVariable(name, stored(value));
    }

    /**
     * Sets the value unless the variable already holds an equal one: a write of the same value still costs the engine
     * an update of the variable and of its history (a select and an update), and changes nothing a reader sees.
     */
    public void setIfChanged(VariableScope scope, T value) {
        if (scope.hasVariable(name) && Objects.equals(from(scope).orElse(null), value)) {
            return;
        }
        set(scope, value);
    }

    public void setLocal(VariableScope scope, T value) {
        scope.setVariableLocal(name, stored(value));
    }

    private Object stored(T value) {
        if (json && value != null) {
            try {
                return SpinValues.jsonValue(TREES.writeValueAsString(value)).create();
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Cannot write " + name + " as JSON", e);
            }
        }
        return value;
    }

    private IllegalStateException missing() {
        return new IllegalStateException("Process variable " + name + " is not set");
    }

    private static <V> V cast(String name, Object value, Class<V> type) {
        if (!type.isInstance(value)) {
            throw new WrongTypeException(
                    name,
                    "must be " + type.getSimpleName() + ", not "
                            + value.getClass().getSimpleName() + " '" + value + "'",
                    null);
        }
        return type.cast(value);
    }

    private static JsonNode tree(String name, Object value) {
        try {
            if (value instanceof SpinJsonNode spin) {
                return TREES.readTree(spin.toString());
            }
            if (value instanceof String s) {
                return TREES.readTree(s);
            }
            return TREES.valueToTree(value);
        } catch (JsonProcessingException e) {
            throw new WrongTypeException(name, "is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new WrongTypeException(name, "is not valid JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** A stored value that is not of the variable's type: the message names the variable and what it holds. */
    public static final class WrongTypeException extends IllegalArgumentException {
        private final String variable;

        WrongTypeException(String variable, String problem, Throwable cause) {
            super(variable + " " + problem, cause);
            this.variable = variable;
        }

        public String variable() {
            return variable;
        }

        /** What is wrong without the variable's name (for refusals that phrase it themselves). */
        public String problem() {
            return getMessage().substring(variable.length() + 1);
        }
    }
}
