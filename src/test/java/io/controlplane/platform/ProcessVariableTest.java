package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.spin.Spin;
import org.camunda.spin.plugin.variable.SpinValues;
import org.camunda.spin.plugin.variable.value.JsonValue;
import org.junit.jupiter.api.Test;

/** The conversions done once in the descriptor, and the errors that name the variable. */
class ProcessVariableTest {

    @Test
    void numbersOfAnyWidthBecomeTheDeclaredType() {
        Map<String, Object> vars = Map.of("a", 7, "b", 7L, "c", 2.5d, "d", 0.1d, "e", "12.50");
        assertThat(ProcessVariable.longValue("a").required(vars)).isEqualTo(7L);
        assertThat(ProcessVariable.integer("b").required(vars)).isEqualTo(7);
        assertThat(ProcessVariable.integer("c").required(vars)).isEqualTo(2);
        assertThat(ProcessVariable.decimalNumber("a").required(vars)).isEqualTo(7.0);
        // a Double's shortest text, not its binary expansion
        assertThat(ProcessVariable.decimal("d").required(vars)).isEqualTo(new BigDecimal("0.1"));
        assertThat(ProcessVariable.decimal("e").required(vars)).isEqualTo(new BigDecimal("12.50"));
        assertThat(ProcessVariable.longValue("a").convert(Variables.integerValue(3)))
                .isEqualTo(3L);
    }

    @Test
    void structuredValuesOfEveryShapeBecomeOneTree() {
        JsonValue spin = SpinValues.jsonValue("{\"x\":[1,2]}").create();
        Map<String, Object> vars = new HashMap<>();
        vars.put("typed", spin);
        vars.put("spin", Spin.JSON("{\"x\":[1,2]}"));
        vars.put("string", "{\"x\":[1,2]}");
        vars.put("map", Map.of("x", List.of(1, 2)));
        for (String name : List.of("typed", "spin", "string", "map")) {
            JsonNode tree = ProcessVariable.json(name).required(vars);
            assertThat(tree.path("x").get(1).asInt()).as(name).isEqualTo(2);
        }
    }

    @Test
    void aValueOfAnotherTypeIsRefusedNamingTheVariable() {
        Map<String, Object> vars = Map.of("title", 42, "target", "lots", "plays", "[1,");
        assertThatThrownBy(() -> ProcessVariable.text("title").orNull(vars))
                .isInstanceOf(ProcessVariable.WrongTypeException.class)
                .hasMessage("title must be String, not Integer '42'");
        assertThatThrownBy(() -> ProcessVariable.decimal("target").orNull(vars))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("target is not a number");
        assertThatThrownBy(() -> ProcessVariable.json("plays").orNull(vars))
                .isInstanceOfSatisfying(ProcessVariable.WrongTypeException.class, e -> {
                    assertThat(e.variable()).isEqualTo("plays");
                    assertThat(e.problem()).startsWith("is not valid JSON");
                });
        assertThat(ProcessVariable.asText("title").required(vars)).isEqualTo("42");
    }

    @Test
    void anAbsentVariableIsEmptyOrAnErrorNamingIt() {
        Map<String, Object> vars = new HashMap<>();
        vars.put("nothing", null);
        assertThat(ProcessVariable.text("nothing").from(vars)).isEmpty();
        assertThat(ProcessVariable.text("missing").orNull(vars)).isNull();
        assertThat(ProcessVariable.text("missing").from((Map<String, ?>) null)).isEmpty();
        assertThatThrownBy(() -> ProcessVariable.text("missionId").required(vars))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missionId");
    }

    @Test
    void onlyTrueIsTrue() {
        Map<String, Object> vars = Map.of("yes", true, "no", false, "text", "true");
        ProcessVariable<Boolean> yes = ProcessVariable.flag("yes");
        assertThat(yes.isTrue(vars)).isTrue();
        assertThat(ProcessVariable.flag("no").isTrue(vars)).isFalse();
        assertThat(ProcessVariable.flag("text").isTrue(vars)).isFalse();
        assertThat(ProcessVariable.flag("absent").isTrue(vars)).isFalse();
        assertThat(yes.isTrue((Map<String, ?>) null)).isFalse();
    }
}
