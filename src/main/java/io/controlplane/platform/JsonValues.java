package io.controlplane.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.camunda.spin.json.SpinJsonNode;
import org.camunda.spin.plugin.variable.SpinValues;
import org.springframework.stereotype.Component;

/**
 * Reads the structured variables agents and forms send (a Json variable, a JSON string, or a deserialised
 * list or map) into a Jackson tree, and writes values back as Camunda Json variables.
 */
@Component
public class JsonValues {
    private final ObjectMapper mapper;

    public JsonValues(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @return the tree, or {@code null} when the value is absent */
    public JsonNode read(Object value) throws JsonProcessingException {
        if (value == null) {
            return null;
        }
        if (value instanceof TypedValue typed) {
            return read(typed.getValue());
        }
        if (value instanceof SpinJsonNode spin) {
            return mapper.readTree(spin.toString());
        }
        if (value instanceof String s) {
            return mapper.readTree(s);
        }
        return mapper.valueToTree(value);
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write JSON", e);
        }
    }

    /** A Camunda Json variable, readable by agents through /engine-rest and by Tasklist forms. */
    public TypedValue variable(Object value) {
        return SpinValues.jsonValue(write(value)).create();
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
