package io.controlplane.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.filter.OrderedFormContentFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Spring's form filter parses the body of every form-encoded {@code PUT}, {@code PATCH} and {@code DELETE}, on every
 * path, before any security runs: a malformed escape ({@code a=%zz}) or an unknown charset threw out of it as a 500
 * to anyone, and a body of any size was read into memory. This one (Spring Boot keeps its own away when one is
 * defined) answers a body it cannot parse with a 400 problem and one over {@link #MAX_FORM_BYTES} with a 413, and
 * otherwise behaves exactly as Spring's. Errors after parsing, in the rest of the chain, are not its business.
 */
@Configuration
@ConditionalOnWebApplication
class FormBodies {
    /** No form body this service reads is anywhere near this. */
    static final long MAX_FORM_BYTES = 1 << 20;

    @Bean
    OrderedFormContentFilter checkedFormContentFilter(ObjectMapper json) {
        return new CheckedFormContentFilter(json);
    }

    /** What Spring's filter parses: a form-encoded PUT, PATCH or DELETE. */
    static boolean parses(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null || !List.of("PUT", "PATCH", "DELETE").contains(request.getMethod())) {
            return false;
        }
        try {
            return MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(contentType));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static final class CheckedFormContentFilter extends OrderedFormContentFilter {
        private final ObjectMapper json;

        CheckedFormContentFilter(ObjectMapper json) {
            this.json = json;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            boolean[] parsed = {false};
            FilterChain afterParsing = (req, res) -> {
                parsed[0] = true;
                chain.doFilter(req, res);
            };
            // only a body the filter parses is limited; every other body goes on untouched (deployments may be large)
            HttpServletRequest limited = parses(request) ? new LimitedBodyRequest(request, MAX_FORM_BYTES) : request;
            try {
                super.doFilterInternal(limited, response, afterParsing);
            } catch (RequestBodyTooLargeException e) {
                if (parsed[0] || response.isCommitted()) {
                    throw e;
                }
                Problems.write(json, request, response, Problems.Type.TOO_LARGE, "A form body is at most 1 MiB.");
            } catch (IllegalArgumentException | HttpMessageNotReadableException e) {
                // a malformed %-escape, an unknown charset: the body is not form data, whoever sent it
                if (parsed[0] || response.isCommitted()) {
                    throw e;
                }
                Problems.write(
                        json,
                        request,
                        response,
                        Problems.Type.UNREADABLE,
                        "The form body is not valid application/x-www-form-urlencoded data.");
            }
        }
    }
}
