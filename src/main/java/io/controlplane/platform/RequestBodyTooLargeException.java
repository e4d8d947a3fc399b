package io.controlplane.platform;

import java.io.IOException;

/**
 * Reading a request body went past its limit ({@link LimitedBodyRequest}): answered {@code 413} with problem details,
 * whatever was reading (a JSON converter, a controller, the form parser). An {@link IOException}, because it is thrown
 * from the input stream's {@code read}.
 */
public class RequestBodyTooLargeException extends IOException {
    private final long limit;

    RequestBodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The limit that was passed, when {@code e} or one of its causes is this exception. */
    static RequestBodyTooLargeException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RequestBodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }
}
