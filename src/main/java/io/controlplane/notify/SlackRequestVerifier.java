package io.controlplane.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Slack's request signature, so only Slack (holding the signing secret) can press buttons on our behalf.
 *
 * <p>{@code X-Slack-Signature = "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body))}, compared
 * in constant time, with a timestamp at most 5 minutes old and at most 60 s ahead of our clock (replays are refused).
 */
public final class SlackRequestVerifier {
    public static final String SIGNATURE_HEADER = "X-Slack-Signature";
    public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    private static final String HMAC = "HmacSHA256";

    /** Why a request was accepted or refused. */
    public enum Result {
        VALID("valid"),
        NO_SECRET("no Slack signing secret is configured"),
        MISSING_HEADERS("the X-Slack-Signature or X-Slack-Request-Timestamp header is missing"),
        MALFORMED_TIMESTAMP("X-Slack-Request-Timestamp is not a number of seconds"),
        STALE("the request timestamp is more than 5 minutes old"),
        FROM_THE_FUTURE("the request timestamp lies in the future"),
        BAD_SIGNATURE("the signature does not match the request");

        private final String description;

        Result(String description) {
            this.description = description;
        }

        public boolean valid() {
            return this == VALID;
        }

        public String description() {
            return description;
        }
    }

    private final byte[] secret;
    private final Clock clock;

    /** @param signingSecret the Slack app's signing secret; empty or {@code null} refuses every request */
    public SlackRequestVerifier(String signingSecret, Clock clock) {
        this.secret =
                signingSecret == null ? new byte[0] : signingSecret.strip().getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    public boolean configured() {
        return secret.length > 0;
    }

    /** Checks one request: its two headers and the body exactly as received. */
    public Result check(String timestamp, String signature, byte[] rawBody) {
        if (!configured()) {
            return Result.NO_SECRET;
        }
        if (timestamp == null || timestamp.isBlank() || signature == null || signature.isBlank() || rawBody == null) {
            return Result.MISSING_HEADERS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Result.MALFORMED_TIMESTAMP;
        }
        long now = clock.instant().getEpochSecond();
        if (now - seconds > MAX_AGE.toSeconds()) {
            return Result.STALE;
        }
        if (seconds - now > MAX_CLOCK_SKEW.toSeconds()) {
            return Result.FROM_THE_FUTURE;
        }
        byte[] expected = sign(timestamp.strip(), rawBody).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII))
                ? Result.VALID
                : Result.BAD_SIGNATURE;
    }

    /** The {@code X-Slack-Signature} value Slack would send for this timestamp and body. */
    public String sign(String timestamp, byte[] rawBody) {
        if (!configured()) {
            throw new IllegalStateException(Result.NO_SECRET.description());
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(rawBody));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
