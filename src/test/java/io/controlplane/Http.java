package io.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** A plain HTTP client for tests: what an agent runtime or a script would send, with HTTP Basic. */
public class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public Http(int port) {
        this.base = "http://localhost:" + port;
    }

    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path, String user) {
        return send("GET", path, user, null);
    }

    public Response post(String path, String user, Object body) {
        return send("POST", path, user, body);
    }

    /** A raw POST as Slack sends it: form body, its own headers, no Basic credentials. */
    public Response postRaw(String path, String contentType, byte[] body, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", contentType);
            headers.forEach(b::header);
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response send(String method, String path, String user, Object body) {
        return send(method, path, user, body, Map.of());
    }

    /**
     * A conditional update as a careful client makes it: read {@code readPath} for its {@code ETag}, then send the
     * change with {@code If-Match} (docs/api.md, "Conditional updates"). When the read answers no ETag (the caller
     * may not read it, it does not exist) the change goes without one, and its own answer says why it is refused.
     */
    public Response sendIfMatch(String method, String path, String readPath, String user, Object body) {
        String etag = get(readPath, user).header("ETag");
        return send(method, path, user, body, etag == null ? Map.of() : Map.of("If-Match", etag));
    }

    public Response send(String method, String path, String user, Object body, Map<String, String> headers) {
        try {
            String payload = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .method(
                            method,
                            payload == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
            if (payload != null) {
                b.header("Content-Type", "application/json");
            }
            headers.forEach(b::header);
            if (user != null) {
                String password = user.contains(":") ? "" : ":demo";
                b.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((user + password).getBytes(StandardCharsets.UTF_8)));
            }
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
