package io.controlplane.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conditional updates (RFC 9110 §13): a mutable resource answers its version as a strong {@code ETag}, and a change
 * to it must send that tag back in {@code If-Match}. Without one the answer is {@code 428 Precondition Required}
 * (also for {@code If-Match: *}, which names no version: it would let a change overwrite what the caller never
 * saw); with a tag that is not the current one {@code 412 Precondition Failed}, and nothing changes. The store makes
 * the final check in the same statement that writes ({@code WHERE version = :read}), so of two changes made from the
 * same version only one wins.
 */
public final class ETags {
    /** One entity tag of an {@code If-Match} list: {@code "…"} or {@code W/"…"}. */
    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*(,|$)");

    private ETags() {}

    /** The strong entity tag of a resource's version: {@code "backlog-12-v3"}. */
    public static String strong(String kind, long id, long version) {
        return "\"" + kind + "-" + id + "-v" + version + "\"";
    }

    /**
     * Checks {@code If-Match} against the resource's current tag: 428 when it is missing or {@code *}, 400 naming the
     * header when it is not a list of entity tags, 412 when none of its tags is the current one by strong comparison
     * (a weak tag never matches).
     */
    public static void requireMatch(String ifMatch, String current) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new PreconditionException(
                    Problems.Type.PRECONDITION_REQUIRED,
                    "This change needs If-Match with the "
                            + "ETag of the version you read (GET the resource, send its ETag back), so that it cannot "
                            + "overwrite a change you have not seen");
        }
        if (ifMatch.strip().equals("*")) {
            throw new PreconditionException(
                    Problems.Type.PRECONDITION_REQUIRED,
                    "If-Match: * names no version; send " + "the ETag of the version you read");
        }
        List<String> tags = new ArrayList<>();
        Matcher m = TAG.matcher(ifMatch);
        int at = 0;
        while (at < ifMatch.length() && m.find(at) && m.start() == at) {
            tags.add(m.group(1) == null ? "\"" + m.group(2) + "\"" : null);
            at = m.end();
        }
        if (at < ifMatch.length() || tags.isEmpty()) {
            throw new InvalidInputException(
                    "If-Match",
                    "must be the entity tag the ETag header gave, quotes included, " + "e.g. \"backlog-12-v3\"");
        }
        if (!tags.contains(current)) {
            throw new PreconditionException(
                    Problems.Type.PRECONDITION_FAILED,
                    "The resource changed since the version "
                            + "you sent in If-Match; nothing was changed. GET it again (its new ETag comes with it), and decide "
                            + "on what it says now");
        }
    }

    /**
     * A conditional request refused: 428 or 412. It does not carry the current tag: a client must read the resource
     * again, and see what changed, before it sends a change.
     */
    public static final class PreconditionException extends RuntimeException {
        private final Problems.Type type;

        public PreconditionException(Problems.Type type, String message) {
            super(message);
            this.type = type;
        }

        public Problems.Type type() {
            return type;
        }
    }
}
