package io.controlplane.notify;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsConfig;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import io.controlplane.platform.PlainText;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Posts a notification to the operations channel as Block Kit, with Acknowledge and Open in Cockpit buttons. */
@Component
class SlackNotifier implements AutoCloseable {
    static final String ACKNOWLEDGE_ACTION = "acknowledge_incident";
    /** The longest wait a 429's Retry-After may impose before the one retry; the job executor thread is blocked. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(SlackNotifier.class);

    /** How the retry after a 429 waits; tests replace the real sleep. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final String token;
    private final String channel;
    private final String cockpitUrl;
    private final Slack slack;
    private final Sleeper sleeper;

    @Autowired
    SlackNotifier(NotifyProperties properties) {
        this(properties.slack().token(), properties.slack().channel(), properties.slack().apiUrl(),
                properties.slack().cockpitUrl(), d -> Thread.sleep(d.toMillis()));
    }

    SlackNotifier(String token, String channel, String apiUrl, String cockpitUrl, Sleeper sleeper) {
        this.token = token == null ? "" : token.strip();
        this.channel = channel;
        this.cockpitUrl = cockpitUrl;
        this.sleeper = sleeper;
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        // own methods config: the SDK's default one is a shared singleton, and call statistics are not needed here
        MethodsConfig methods = new MethodsConfig();
        methods.setStatsEnabled(false);
        config.setMethodsConfig(methods);
        config.setHttpClientReadTimeoutMillis(10_000);
        config.setHttpClientCallTimeoutMillis(20_000);
        this.slack = Slack.getInstance(config);
    }

    boolean configured() {
        return !token.isEmpty();
    }

    String channel() {
        return channel;
    }

    /** The header line (plain text, one line), also the log row's subject. */
    String headline(Notification n) {
        return NotificationText.truncate(PlainText.line(NotificationText.headline(n)), 150);
    }

    /**
     * The plain-text fallback Slack shows in notifications; with its mentions it is also the logged body. Every value
     * is text ({@link PlainText#slack}): Slack's {@code & < >} escaped, so no link or mention of anyone's making, and
     * no line break inside a one-line value, so a mission title cannot forge a line of the message.
     */
    String text(Notification n) {
        StringBuilder text = new StringBuilder(PlainText.slack(NotificationText.headline(n))).append('\n')
                .append("Stage: ").append(PlainText.slack(NotificationText.orNone(n.stage())))
                .append(" · Safeguard: ").append(PlainText.slack(NotificationText.orNone(n.safeguard())))
                .append(" · Severity: ").append(PlainText.slack(NotificationText.orNone(n.severity())))
                .append(" · Incident: ").append(PlainText.slack(NotificationText.orNone(n.incidentId()))).append('\n')
                .append(PlainText.slackBlock(NotificationText.orNone(n.summary())));
        String mentions = mentions(n);
        if (!mentions.isEmpty()) {
            text.append('\n').append(mentions);
        }
        if (NotificationText.hasText(cockpitUrl)) {
            text.append("\nOpen in Cockpit: ").append(cockpitUrl);
        }
        return text.toString();
    }

    List<LayoutBlock> blocks(Notification n) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(headline(n), true))));
        blocks.add(section(s -> s.fields(List.of(
                mrkdwn("*Mission*\n" + PlainText.slack(NotificationText.mission(n))),
                mrkdwn("*Stage*\n" + PlainText.slack(NotificationText.orNone(n.stage()))),
                mrkdwn("*Safeguard*\n" + PlainText.slack(NotificationText.orNone(n.safeguard()))),
                mrkdwn("*Severity*\n" + PlainText.slack(NotificationText.orNone(n.severity()))),
                mrkdwn("*Incident*\n" + PlainText.slack(NotificationText.orNone(n.incidentId())))))));
        blocks.add(section(s -> s.text(mrkdwn(NotificationText.truncate(
                PlainText.slackBlock(NotificationText.orNone(n.summary())), 3000)))));
        String mentions = mentions(n);
        if (!mentions.isEmpty()) {
            blocks.add(section(s -> s.text(mrkdwn("On call: " + mentions))));
        }
        List<BlockElement> buttons = new ArrayList<>();
        if (NotificationText.hasText(n.incidentId())) {
            buttons.add(ButtonElement.builder().actionId(ACKNOWLEDGE_ACTION).value(n.incidentId()).style("primary")
                    .text(plainText("Acknowledge")).build());
        }
        if (NotificationText.hasText(cockpitUrl)) {
            buttons.add(ButtonElement.builder().actionId("open_cockpit").url(cockpitUrl)
                    .text(plainText("Open in Cockpit")).build());
        }
        if (!buttons.isEmpty()) {
            blocks.add(actions(buttons));
        }
        return blocks;
    }

    /**
     * Posts the message. A 429 is retried once after the Retry-After Slack asked for (at most 30 s); anything else
     * that is not an accepted message throws.
     */
    void post(Notification n) {
        // no previews of links someone put into a title or summary
        ChatPostMessageRequest request = ChatPostMessageRequest.builder().channel(channel).text(text(n))
                .blocks(blocks(n)).unfurlLinks(false).unfurlMedia(false).build();
        Duration wait = attempt(request);
        if (wait == null) {
            return;
        }
        log.info("Slack rate-limited chat.postMessage; retrying once in {} s", wait.toSeconds());
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotificationFailedException(Notifications.SLACK, "interrupted while waiting out HTTP 429", e);
        }
        if (attempt(request) != null) {
            throw new NotificationFailedException(Notifications.SLACK,
                    "HTTP 429 (rate-limited) again after waiting " + wait.toSeconds() + " s");
        }
    }

    /** @return null when Slack took the message, or the wait it asked for with HTTP 429 */
    private Duration attempt(ChatPostMessageRequest request) {
        ChatPostMessageResponse response;
        try {
            response = slack.methods(token).chatPostMessage(request);
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            if (status == 429) {
                return retryAfter(e.getResponse().header("Retry-After"));
            }
            throw new NotificationFailedException(Notifications.SLACK, "HTTP " + status + " from chat.postMessage", e);
        } catch (IOException e) {
            throw new NotificationFailedException(Notifications.SLACK, "chat.postMessage failed: " + e, e);
        }
        if (!response.isOk()) {
            throw new NotificationFailedException(Notifications.SLACK,
                    "chat.postMessage answered ok:false, error " + response.getError());
        }
        return null;
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
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private static String mentions(Notification n) {
        return NotificationText.listOrEmpty(n.mentions()).stream().map(SlackNotifier::mention)
                .collect(Collectors.joining(" "));
    }

    /**
     * Slack only notifies for its own mention syntax: user ids become {@code <@U…>}, user-group ids
     * {@code <!subteam^S…>}, {@code @here}/{@code @channel} {@code <!here>}/{@code <!channel>}; text already in
     * {@code <…>} is kept, anything else is shown as {@code @name}.
     */
    static String mention(String handle) {
        if (handle.startsWith("<") && handle.endsWith(">")) {
            return handle;
        }
        String bare = handle.startsWith("@") ? handle.substring(1) : handle;
        if (bare.matches("[UW][A-Z0-9]{6,}")) {
            return "<@" + bare + ">";
        }
        if (bare.matches("S[A-Z0-9]{6,}")) {
            return "<!subteam^" + bare + ">";
        }
        if (bare.equals("here") || bare.equals("channel")) {
            return "<!" + bare + ">";
        }
        return escape("@" + bare);
    }

    /** Slack's three control characters in message text. */
    static String escape(String text) {
        return PlainText.slackBlock(text);
    }

    /**
     * mrkdwn without Slack's own parsing ({@code verbatim}): a URL or channel name someone typed is not turned into a
     * link; the mentions we build ({@code <@U…>}) still work.
     */
    private static MarkdownTextObject mrkdwn(String text) {
        return MarkdownTextObject.builder().text(text).verbatim(true).build();
    }

    @Override
    public void close() throws Exception {
        slack.close();
    }
}
