package io.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.controlplane.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A form-encoded PUT, PATCH or DELETE whose body is not valid URL encoding is parsed by the form filter before any
 * security runs, on every path: it answers 400 problem details, not a 500, to anyone and on every door. Sent over a
 * raw socket, so nothing normalises the request on the way.
 */
@IntegrationTest
class MalformedFormBodyTest {
    private static final List<String> PATHS = List.of(
            "/api/meetings/1/decisions",
            "/api/backlog/1",
            "/api/missions",
            "/engine-rest/task/no-such-task/variables/x",
            "/engine-rest/process-instance/no-such-instance",
            "/camunda/api/engine/engine/default/task/no-such-task",
            "/camunda/app/tasklist/default/",
            "/no-such-path");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    record Answer(int status, String head, String body) {}

    private Answer raw(String method, String path, String credentials, String contentType, byte[] body)
            throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nConnection: close\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                    + "\r\n");
            if (credentials != null) {
                head.append("Authorization: Basic ")
                        .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            String headers = split < 0 ? response : response.substring(0, split);
            return new Answer(
                    Integer.parseInt(response.substring(9, 12)),
                    headers,
                    split < 0 ? "" : response.substring(split + 4));
        }
    }

    @Test
    void aMalformedEscapeIsA400ProblemOnEveryPathForEveryone() throws IOException {
        long backlogBefore = jdbc.queryForObject("SELECT COUNT(*) FROM backlog_items", Long.class);
        List<String> failures = new ArrayList<>();
        String[] bodies = {"a=%zz", "%=x", "title=ok&b=%2", "a=%"};
        for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
            for (String path : PATHS) {
                for (String credentials : new String[] {null, "demo:demo", "mo:demo"}) {
                    for (String body : bodies) {
                        Answer a = raw(
                                method,
                                path,
                                credentials,
                                "application/x-www-form-urlencoded",
                                body.getBytes(StandardCharsets.US_ASCII));
                        check(failures, method + " " + path + " as " + credentials + " body " + body, a, 400);
                    }
                }
                // a charset nobody knows: not parsed as a form, and no 5xx either
                Answer charset = raw(
                        method,
                        path,
                        null,
                        "application/x-www-form-urlencoded; charset=no-such-charset",
                        "a=%zz".getBytes(StandardCharsets.US_ASCII));
                if (charset.status() >= 500) {
                    failures.add(method + " " + path + " unknown charset: " + charset.status() + " " + charset.body());
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM backlog_items", Long.class))
                .isEqualTo(backlogBefore);
    }

    @Test
    void aWellFormedFormBodyStillGoesThroughAndAHugeOneIsRefused() throws IOException {
        // well-formed: the request reaches security and the handler as before (401 anonymous, 415 at a JSON endpoint)
        assertThat(raw(
                                "PUT",
                                "/api/meetings/1/decisions",
                                null,
                                "application/x-www-form-urlencoded",
                                "decisions=x".getBytes(StandardCharsets.US_ASCII))
                        .status())
                .isEqualTo(401);
        assertThat(raw(
                                "PUT",
                                "/api/meetings/1/decisions",
                                "oc:demo",
                                "application/x-www-form-urlencoded",
                                "decisions=x".getBytes(StandardCharsets.US_ASCII))
                        .status())
                .isEqualTo(415);
        // over 1 MiB of form data is not parsed at all
        byte[] huge = ("a=" + "b".repeat((1 << 20) + 10)).getBytes(StandardCharsets.US_ASCII);
        Answer tooLarge = raw("PUT", "/no-such-path", null, "application/x-www-form-urlencoded", huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.head()).containsIgnoringCase("Content-Type: application/problem+json");
    }

    private static void check(List<String> failures, String what, Answer a, int expected) {
        if (a.status() != expected) {
            failures.add(what + ": " + a.status() + " " + a.body());
        } else if (!a.head().toLowerCase(Locale.ROOT).contains("content-type: application/problem+json")) {
            failures.add(what + ": no problem details: " + a.head());
        } else if (!a.body().contains("\"status\":" + expected)
                || a.body().contains("Exception")
                || a.body().contains("java.")
                || a.body().contains("org.")) {
            failures.add(what + ": body " + a.body());
        }
    }
}
