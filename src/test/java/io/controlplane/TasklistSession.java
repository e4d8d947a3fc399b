package io.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A browser's session with the Camunda web apps, as Tasklist holds one: logged in through the web apps' login with
 * the demo password, and the CSRF token the session's first read hands out, sent on every call.
 */
public record TasklistSession(HttpClient client, String token, String base) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static TasklistSession login(int port, String user) {
        try {
            CookieManager cookies = new CookieManager();
            HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
            String base = "http://localhost:" + port;
            browser.send(
                    HttpRequest.newBuilder(URI.create(base + "/camunda/app/tasklist/default/"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String token = token(cookies, false);
            HttpResponse<String> login = browser.send(
                    HttpRequest.newBuilder(URI.create(base + "/camunda/api/admin/auth/user/default/login/tasklist"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-XSRF-TOKEN", token)
                            .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=demo"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (login.statusCode() != 200) {
                throw new AssertionError("Tasklist login of " + user + " answered " + login.statusCode());
            }
            // the login starts a new session; its first read hands out that session's token, as Tasklist's next call
            // does
            browser.send(
                    HttpRequest.newBuilder(URI.create(base + "/camunda/api/engine/engine/default/task/count"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new TasklistSession(browser, token(cookies, true), base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String token(CookieManager cookies, boolean latest) {
        var tokens = cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue);
        return (latest ? tokens.reduce((a, b) -> b) : tokens.findFirst()).orElseThrow();
    }

    public HttpResponse<String> post(String path, Object body) throws Exception {
        return send("POST", path, JSON.writeValueAsString(body));
    }

    /** {@code method path} with the session's cookie and CSRF token, a JSON body when one is given. */
    public HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("X-XSRF-TOKEN", token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
