package io.controlplane.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A JSON string holding a NUL character is refused when it is read (a 400 naming the field), not when PostgreSQL
 * refuses to store or compare it (a 500). Spring Boot adds every {@link Module} bean to its ObjectMapper. Unknown
 * fields and values of the wrong type are collected while a request body is read, so one 400 names them all.
 */
@Configuration
class JsonInputRules {

    @Bean
    Module refuseNulCharacters() {
        SimpleModule module = new SimpleModule("refuse-nul-characters");
        module.addDeserializer(String.class, new StringDeserializer() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String value = super.deserialize(p, ctxt);
                if (value != null && value.indexOf('\0') >= 0) {
                    // through the problem handlers: BodyProblems names it with the body's other bad fields
                    return (String) ctxt.handleWeirdStringValue(String.class, value, "a NUL character is not allowed");
                }
                return value;
            }
        });
        return module;
    }

    /** Every bad field of a request body in one answer (BodyProblems); inactive outside request body reads. */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer collectBodyProblems() {
        return builder -> builder.postConfigurer(mapper -> mapper.addHandler(new BodyProblems.Handler()));
    }
}
