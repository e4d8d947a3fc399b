package io.controlplane.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.util.ClassUtil;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Every bad field of an API body in one 400. Jackson stops at the first unknown field or value of the wrong type, so
 * a body with an unknown field and a bad one was answered naming only the first. While a controller's
 * {@code @RequestBody} is read, this handler notes each unknown field (skipping it) and each value of the wrong
 * type (read as empty), and after the read the body is refused with all of them, plus the fields bean validation
 * finds wrong in what could be read. Nothing reaches the controller: the request changes nothing. Outside a request
 * body read (the engine's variables, Spin) the handler does nothing and Jackson fails as it always did.
 */
@ControllerAdvice
class BodyProblems extends RequestBodyAdviceAdapter {
    /** The problems of the body being read on this thread; null when no request body is being read. */
    private static final ThreadLocal<Map<String, String>> READING = new ThreadLocal<>();

    private final Validator validator;

    BodyProblems(Validator validator) {
        this.validator = validator;
    }

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        READING.set(new LinkedHashMap<>());
        return input;
    }

    @Override
    public Object afterBodyRead(
            Object body,
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        Map<String, String> problems = stop();
        if (problems == null || problems.isEmpty()) {
            return body;
        }
        // the fields that were read are checked too, so the answer names every bad field at once (a body of the
        // wrong shape altogether, such as [] for an object, was read as nothing: there is nothing more to check)
        if (body != null) {
            for (ConstraintViolation<Object> v : validator.validate(body)) {
                String field = v.getPropertyPath()
                        .toString()
                        .replace(".<list element>", "")
                        .replace("<list element>", "");
                problems.putIfAbsent(field, v.getMessage());
            }
        }
        List<FieldError> errors = new ArrayList<>();
        problems.forEach((field, message) -> errors.add(new FieldError(field.isEmpty() ? "body" : field, message)));
        throw new InvalidInputException(
                errors.size() == 1
                        ? "The request body has a bad field"
                        : "The request body has " + errors.size() + " bad fields",
                errors);
    }

    @Override
    public Object handleEmptyBody(
            Object body,
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        stop();
        return body;
    }

    /** Ends collecting on this thread (also after a read that failed: malformed JSON, a body too large). */
    static Map<String, String> stop() {
        Map<String, String> problems = READING.get();
        READING.remove();
        return problems;
    }

    /** Added to Spring's ObjectMapper by {@link JsonInputRules}. */
    static final class Handler extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt,
                JsonParser p,
                JsonDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName)
                throws IOException {
            Map<String, String> problems = READING.get();
            if (problems == null) {
                return false;
            }
            problems.putIfAbsent(path(p, propertyName), "is not a known field");
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleUnexpectedToken(
                DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p, String failureMsg)
                throws IOException {
            Map<String, String> problems = READING.get();
            if (problems == null || targetType == null) {
                return NOT_HANDLED;
            }
            problems.putIfAbsent(
                    path(p, null), "must be a " + ProblemDetailsAdvice.simpleType(targetType.getRawClass()));
            p.skipChildren();
            return empty(targetType.getRawClass());
        }

        @Override
        public Object handleWeirdStringValue(
                DeserializationContext ctxt, Class<?> targetType, String valueToConvert, String failureMsg) {
            return weird(ctxt, targetType, failureMsg);
        }

        @Override
        public Object handleWeirdNumberValue(
                DeserializationContext ctxt, Class<?> targetType, Number valueToConvert, String failureMsg) {
            return weird(ctxt, targetType, failureMsg);
        }

        private static Object weird(DeserializationContext ctxt, Class<?> targetType, String failureMsg) {
            Map<String, String> problems = READING.get();
            if (problems == null) {
                return NOT_HANDLED;
            }
            String message = failureMsg != null && failureMsg.contains("NUL character")
                    ? "must not contain a NUL character"
                    : "must be a " + ProblemDetailsAdvice.simpleType(targetType);
            problems.putIfAbsent(path(ctxt.getParser(), null), message);
            return empty(targetType);
        }

        /** What a refused value is read as: nothing (the body is refused anyway), a primitive's default. */
        private static Object empty(Class<?> type) {
            return type.isPrimitive() ? ClassUtil.defaultValue(type) : null;
        }

        /** {@code toolkits[0].slug}, as bean validation names fields. */
        static String path(JsonParser p, String last) {
            Deque<String> parts = new ArrayDeque<>();
            if (last != null) {
                parts.push(last);
            }
            JsonStreamContext c = p.getParsingContext();
            if (c != null
                    && (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY)) {
                c = c.getParent(); // the value's own container, just entered
            }
            if (last != null && c != null && c.inObject()) {
                c = c.getParent(); // its name is the one given
            }
            for (; c != null && !c.inRoot(); c = c.getParent()) {
                if (c.inArray()) {
                    parts.push("[" + c.getCurrentIndex() + "]");
                } else if (c.getCurrentName() != null) {
                    parts.push(c.getCurrentName());
                }
            }
            return String.join(".", parts).replace(".[", "[");
        }
    }
}
