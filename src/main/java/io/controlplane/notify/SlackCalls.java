package io.controlplane.notify;

import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Slack Web API call as {@link SlackNotifier} makes it: a 429 is retried once after the Retry-After Slack asked
 * for (at most {@link SlackNotifier#MAX_RETRY_AFTER}); anything else that is not an accepted call throws
 * {@link NotificationFailedException}.
 */
final class SlackCalls {
    // the calls' log lines keep the category operators know them under
    private static final Logger log = LoggerFactory.getLogger(SlackNotifier.class);

    private final SlackNotifier.Sleeper sleeper;

    SlackCalls(SlackNotifier.Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /** One Web API call as the SDK makes it. */
    interface ApiCall<T extends SlackApiTextResponse> {
        T call() throws IOException, SlackApiException;
    }

    /** Calls {@code method}, retrying once after a 429. */
    <T extends SlackApiTextResponse> T call(String method, ApiCall<T> call) {
        Attempt<T> first = attempt(method, call);
        if (first.response() != null) {
            return first.response();
        }
        Duration wait = first.retryAfter();
        log.info("Slack rate-limited {}; retrying once in {} s", method, wait.toSeconds());
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotificationFailedException(Notifications.SLACK, "interrupted while waiting out HTTP 429", e);
        }
        Attempt<T> second = attempt(method, call);
        if (second.response() == null) {
            throw new NotificationFailedException(
                    Notifications.SLACK, "HTTP 429 (rate-limited) again after waiting " + wait.toSeconds() + " s");
        }
        return second.response();
    }

    /** Slack's answer, or the wait it asked for with HTTP 429. */
    private record Attempt<T>(T response, Duration retryAfter) {}

    private static <T extends SlackApiTextResponse> Attempt<T> attempt(String method, ApiCall<T> call) {
        T response;
        try {
            response = call.call();
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            if (status == 429) {
                return new Attempt<>(null, retryAfter(e.getResponse().header("Retry-After")));
            }
            throw new NotificationFailedException(Notifications.SLACK, "HTTP " + status + " from " + method, e);
        } catch (IOException e) {
            throw new NotificationFailedException(Notifications.SLACK, method + " failed: " + e, e);
        }
        if (!response.isOk()) {
            throw new NotificationFailedException(
                    Notifications.SLACK, method + " answered ok:false, error " + response.getError());
        }
        return new Attempt<>(response, null);
    }

    /** Slack sends whole seconds; a missing or unreadable value waits one second. */
    static Duration retryAfter(String header) {
        long seconds;
        try {
            seconds = header == null ? 1 : Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            seconds = 1;
        }
        Duration wait = Duration.ofSeconds(Math.max(0, seconds));
        return wait.compareTo(SlackNotifier.MAX_RETRY_AFTER) > 0 ? SlackNotifier.MAX_RETRY_AFTER : wait;
    }
}
