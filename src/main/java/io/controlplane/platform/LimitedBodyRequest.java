package io.controlplane.platform;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * A request whose body can be read up to {@code limit} bytes and no further: the read that would pass the limit throws
 * {@link RequestBodyTooLargeException}. Counts the bytes actually read, so it holds for a chunked body (no
 * {@code Content-Length}) as for a declared one — a Content-Length check alone lets a chunked body of any size through.
 */
final class LimitedBodyRequest extends HttpServletRequestWrapper {
    private final long limit;
    private LimitedStream stream;
    private BufferedReader reader;

    LimitedBodyRequest(HttpServletRequest request, long limit) {
        super(request);
        this.limit = limit;
    }

    /** Whether a read went past the limit. */
    boolean exceeded() {
        return stream != null && stream.exceeded;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (stream == null) {
            stream = new LimitedStream(super.getInputStream(), limit);
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            String encoding = getCharacterEncoding();
            Charset charset;
            try {
                charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                throw new UnsupportedEncodingException(encoding);
            }
            reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
        return reader;
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;
        private boolean exceeded;

        LimitedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        private void count(long n) throws RequestBodyTooLargeException {
            if (n > 0) {
                read += n;
            }
            if (read > limit) {
                exceeded = true;
                throw new RequestBodyTooLargeException(limit);
            }
        }

        @Override
        public int read() throws IOException {
            if (exceeded) {
                throw new RequestBodyTooLargeException(limit);
            }
            int b = in.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (exceeded) {
                throw new RequestBodyTooLargeException(limit);
            }
            // never ask for more than one byte past the limit: enough to know it was passed
            int n = in.read(b, off, (int) Math.min(len, limit - read + 1));
            count(n);
            return n;
        }

        @Override
        public int readLine(byte[] b, int off, int len) throws IOException {
            if (exceeded) {
                throw new RequestBodyTooLargeException(limit);
            }
            int n = in.readLine(b, off, (int) Math.min(len, limit - read + 1));
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, limit - read + 1));
            count(skipped);
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
