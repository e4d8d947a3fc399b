package io.controlplane.journey;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Camunda's REST resources take an empty JSON body, or {@code null}, as no object at all and fail with a
 * NullPointerException (500) on completions, starts and external-task reports. For those resources such a body is
 * read as {@code {}}: the request then means "no variables" and the contract and the checkpoint rules answer it (400).
 */
final class EmptyBody {
    /** The resources whose body is an object Camunda dereferences without a check. */
    private static final Pattern OBJECT_BODY =
            Pattern.compile(".*/(complete|submit-form|start|failure|bpmnError|extendLock"
                    + "|claim|assignee|fetchAndLock|retries|modification|variables|suspended)");

    private static final int PEEK = 16;

    private EmptyBody() {}

    static HttpServletRequest orEmptyObject(HttpServletRequest request, String path) throws IOException {
        String type = request.getContentType();
        boolean json = type == null || type.toLowerCase().startsWith("application/json");
        if (!json
                || !OBJECT_BODY.matcher(path).matches()
                || !("POST".equals(request.getMethod()) || "PUT".equals(request.getMethod()))
                || request.getContentLengthLong() > PEEK) {
            return request;
        }
        byte[] body = request.getInputStream().readNBytes(PEEK + 1);
        String text = new String(body, StandardCharsets.UTF_8).strip();
        byte[] replaced = text.isEmpty() || text.equals("null") ? "{}".getBytes(StandardCharsets.UTF_8) : body;
        if (body.length > PEEK) {
            // a chunked body longer than the peek: give back what was read, followed by the rest of the stream
            return new Replayed(
                    request, new SequenceInputStream(new ByteArrayInputStream(body), request.getInputStream()));
        }
        return new Replayed(request, new ByteArrayInputStream(replaced));
    }

    private static final class Replayed extends HttpServletRequestWrapper {
        private final InputStream body;

        Replayed(HttpServletRequest request, InputStream body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return body.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return body.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    try {
                        return body.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }
    }
}
