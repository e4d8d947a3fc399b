package io.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import io.controlplane.notify.SlackRequestVerifier.Result;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Slack request signatures: only a fresh request signed with our secret over exactly this body passes. */
class SlackRequestVerifierTest {
    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final long NOW = 1_531_420_618L;
    private static final byte[] BODY = ("payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%22"
                    + "action_id%22%3A%22acknowledge_incident%22%2C%22value%22%3A%22inc-42%22%7D%5D%7D")
            .getBytes(StandardCharsets.UTF_8);

    private static SlackRequestVerifier verifier(String secret, long nowSeconds) {
        return new SlackRequestVerifier(secret, Clock.fixed(Instant.ofEpochSecond(nowSeconds), ZoneOffset.UTC));
    }

    private static String signature(String secret, long timestamp, byte[] body) {
        // Slack's own SDK as an independent signer
        return new SlackSignature.Generator(secret)
                .generate(Long.toString(timestamp), new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void slacksDocumentedExampleIsValid() {
        byte[] body = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGl"
                        + "gcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
                .getBytes(StandardCharsets.UTF_8);
        String expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

        assertThat(verifier(SECRET, NOW).check("1531420618", expected, body)).isEqualTo(Result.VALID);
        assertThat(verifier(SECRET, NOW).sign("1531420618", body)).isEqualTo(expected);
    }

    @Test
    void aRequestSignedWithOurSecretIsValid() {
        assertThat(verifier(SECRET, NOW).check(Long.toString(NOW), signature(SECRET, NOW, BODY), BODY))
                .isEqualTo(Result.VALID);
    }

    @Test
    void aTamperedBodyIsRefused() {
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8)
                .replace("inc-42", "inc-43")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(verifier(SECRET, NOW).check(Long.toString(NOW), signature(SECRET, NOW, BODY), tampered))
                .isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void aBodyReEncodedAfterSigningIsRefused() {
        // the same form, decoded and encoded again (%7B → {): the signature covers the raw bytes only
        byte[] reEncoded =
                new String(BODY, StandardCharsets.UTF_8).replace("%7B", "{").getBytes(StandardCharsets.UTF_8);

        assertThat(verifier(SECRET, NOW).check(Long.toString(NOW), signature(SECRET, NOW, BODY), reEncoded))
                .isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void aSignatureMadeWithAnotherSecretIsRefused() {
        assertThat(verifier(SECRET, NOW).check(Long.toString(NOW), signature("another-secret", NOW, BODY), BODY))
                .isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void aTimestampMoreThanFiveMinutesOldIsRefusedEvenWithAGoodSignature() {
        long sent = NOW - 301;
        assertThat(verifier(SECRET, NOW).check(Long.toString(sent), signature(SECRET, sent, BODY), BODY))
                .isEqualTo(Result.STALE);
        long justInTime = NOW - 300;
        assertThat(verifier(SECRET, NOW).check(Long.toString(justInTime), signature(SECRET, justInTime, BODY), BODY))
                .isEqualTo(Result.VALID);
    }

    @Test
    void aTimestampMoreThanSixtySecondsAheadIsRefused() {
        long ahead = NOW + 61;
        assertThat(verifier(SECRET, NOW).check(Long.toString(ahead), signature(SECRET, ahead, BODY), BODY))
                .isEqualTo(Result.FROM_THE_FUTURE);
        long skewed = NOW + 60;
        assertThat(verifier(SECRET, NOW).check(Long.toString(skewed), signature(SECRET, skewed, BODY), BODY))
                .isEqualTo(Result.VALID);
    }

    @Test
    void missingHeadersAreRefused() {
        String signature = signature(SECRET, NOW, BODY);
        SlackRequestVerifier verifier = verifier(SECRET, NOW);

        assertThat(verifier.check(null, signature, BODY)).isEqualTo(Result.MISSING_HEADERS);
        assertThat(verifier.check(Long.toString(NOW), null, BODY)).isEqualTo(Result.MISSING_HEADERS);
        assertThat(verifier.check(" ", "", BODY)).isEqualTo(Result.MISSING_HEADERS);
    }

    @Test
    void aNonNumericTimestampIsRefused() {
        assertThat(verifier(SECRET, NOW).check("yesterday", signature(SECRET, NOW, BODY), BODY))
                .isEqualTo(Result.MALFORMED_TIMESTAMP);
        assertThat(verifier(SECRET, NOW).check("1531420618.5", signature(SECRET, NOW, BODY), BODY))
                .isEqualTo(Result.MALFORMED_TIMESTAMP);
    }

    @Test
    void withoutASigningSecretEveryRequestIsRefused() {
        SlackRequestVerifier unconfigured = verifier("", NOW);

        assertThat(unconfigured.configured()).isFalse();
        assertThat(unconfigured.check(Long.toString(NOW), signature(SECRET, NOW, BODY), BODY))
                .isEqualTo(Result.NO_SECRET);
        assertThat(verifier(null, NOW).check(Long.toString(NOW), "v0=00", BODY)).isEqualTo(Result.NO_SECRET);
    }
}
