package io.controlplane.notify;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsConfig;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.chat.ChatPostEphemeralRequest;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.request.views.ViewsOpenRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.util.json.GsonFactory;
import io.controlplane.platform.PlainText;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Posts a notification to the operations channel as Block Kit, with Acknowledge and Open in Cockpit buttons, and a
 * waiting checkpoint's decisions as buttons; updates a posted message, answers ephemerally and opens modals for
 * {@link SlackDecisions}.
 */
@Component
class SlackNotifier implements AutoCloseable {
    static final String ACKNOWLEDGE_ACTION = "acknowledge_incident";
    /** A decision button's action id is this prefix and the decision ({@code checkpoint_decision_approve}). */
    static final String DECISION_ACTION_PREFIX = "checkpoint_decision_";

    static final String COCKPIT_ACTION = "open_cockpit";
    /** The longest wait a 429's Retry-After may impose before the one retry; the job executor thread is blocked. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    /**
     * Slack's Block Kit limits (characters): a header's text 150, a section's text 3000, each section field 2000.
     * A block over its limit makes chat.postMessage refuse the whole message (invalid_blocks).
     */
    static final int HEADER_MAX = 150;

    static final int SECTION_MAX = 3000;
    static final int FIELD_MAX = 2000;
    /**
     * The fallback {@code text}: Slack cuts it at 40,000 characters and recommends at most 4,000; ours stays within
     * the 4,000 (it is the notification people see on their phones, not a document).
     */
    static final int TEXT_MAX = 4000;
    /** Each value of the fallback's details line (a safeguard finding can be long; the blocks carry it in full). */
    static final int DETAIL_MAX = 200;
    /** The mentions in the fallback text. */
    static final int MENTIONS_MAX = 1000;

    private static final Logger log = LoggerFactory.getLogger(SlackNotifier.class);

    /** How the retry after a 429 waits; tests replace the real sleep. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final String token;
    private final String channel;
    /** Resolved at each message: the public URL may derive from the port, known only once the server runs. */
    private final Supplier<String> cockpitUrl;

    private final Slack slack;
    private final Gson gson;
    private final Sleeper sleeper;

    @Autowired
    SlackNotifier(NotifyProperties properties, PublicUrl publicUrl) {
        this(
                properties.slack().token(),
                properties.slack().channel(),
                properties.slack().apiUrl(),
                publicUrl::cockpit,
                d -> Thread.sleep(d.toMillis()));
    }

    SlackNotifier(String token, String channel, String apiUrl, String cockpitUrl, Sleeper sleeper) {
        this(token, channel, apiUrl, () -> cockpitUrl, sleeper);
    }

    SlackNotifier(String token, String channel, String apiUrl, Supplier<String> cockpitUrl, Sleeper sleeper) {
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
        // the SDK's own serialisation of blocks: what the log keeps is the string that is sent
        this.gson = GsonFactory.createSnakeCase(config);
    }

    boolean configured() {
        return !token.isEmpty();
    }

    String channel() {
        return channel;
    }

    /** The header line (plain text, one line, within the header block's limit), also the log row's subject. */
    String headline(Notification n) {
        return NotificationText.truncate(PlainText.line(NotificationText.headline(n)), HEADER_MAX);
    }

    /**
     * The plain-text fallback Slack shows in notifications; with its mentions it is also the logged body. Every value
     * is text ({@link PlainText#slack}): Slack's {@code & < >} escaped, so no link or mention of anyone's making, and
     * no line break inside a one-line value, so a mission title cannot forge a line of the message. At most
     * {@link #TEXT_MAX} characters: the summary gets what the headline, the details, the mentions and the link leave.
     */
    String text(Notification n) {
        StringBuilder text = new StringBuilder(NotificationText.slackLine(NotificationText.headline(n), HEADER_MAX))
                .append('\n')
                .append("Stage: ")
                .append(detail(n.stage()))
                .append(" · Safeguard: ")
                .append(detail(n.safeguard()))
                .append(" · Severity: ")
                .append(detail(n.severity()))
                .append(" · Incident: ")
                .append(detail(n.incidentId()))
                .append('\n');
        StringBuilder tail = new StringBuilder();
        String mentions = mentions(n, MENTIONS_MAX);
        if (!mentions.isEmpty()) {
            tail.append('\n').append(mentions);
        }
        String cockpit = cockpitUrl.get();
        if (NotificationText.hasText(cockpit)) {
            tail.append("\nOpen in Cockpit: ").append(cockpit);
        }
        int room = Math.max(1, TEXT_MAX - text.length() - tail.length());
        return text.append(NotificationText.slackBlock(NotificationText.orNone(n.summary()), room))
                .append(tail)
                .toString();
    }

    List<LayoutBlock> blocks(Notification n) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(headline(n), true))));
        blocks.add(section(s -> s.fields(List.of(
                field("*Mission*\n", NotificationText.mission(n)),
                field("*Stage*\n", NotificationText.orNone(n.stage())),
                field("*Safeguard*\n", NotificationText.orNone(n.safeguard())),
                field("*Severity*\n", NotificationText.orNone(n.severity())),
                field("*Incident*\n", NotificationText.orNone(n.incidentId()))))));
        blocks.add(section(
                s -> s.text(mrkdwn(NotificationText.slackBlock(NotificationText.orNone(n.summary()), SECTION_MAX)))));
        String mentions = mentions(n, SECTION_MAX - "On call: ".length());
        if (!mentions.isEmpty()) {
            blocks.add(section(s -> s.text(mrkdwn("On call: " + mentions))));
        }
        List<BlockElement> buttons = new ArrayList<>();
        if (n.offer() != null) {
            // the task id and the decision only: who may press and what it means is read again at the press
            for (String decision : n.offer().decisions()) {
                buttons.add(ButtonElement.builder()
                        .actionId(DECISION_ACTION_PREFIX + decision)
                        .value(n.offer().taskId())
                        .style(style(decision))
                        .text(plainText(label(decision)))
                        .build());
            }
        }
        if (NotificationText.hasText(n.incidentId())) {
            buttons.add(ButtonElement.builder()
                    .actionId(ACKNOWLEDGE_ACTION)
                    .value(n.incidentId())
                    .style("primary")
                    .text(plainText("Acknowledge"))
                    .build());
        }
        String cockpit = cockpitUrl.get();
        if (NotificationText.hasText(cockpit)) {
            buttons.add(ButtonElement.builder()
                    .actionId(COCKPIT_ACTION)
                    .url(cockpit)
                    .text(plainText("Open in Cockpit"))
                    .build());
        }
        if (!buttons.isEmpty()) {
            blocks.add(actions(buttons));
        }
        return blocks;
    }

    /**
     * The message as it goes to chat.postMessage: the fallback text, the blocks as the JSON string that is sent, and
     * the payload the notification log keeps (channel, text, blocks, unfurl flags; the token travels in the
     * Authorization header and is never part of it).
     */
    Message message(Notification n) {
        String text = text(n);
        String blocks = gson.toJson(blocks(n));
        JsonObject payload = new JsonObject();
        payload.addProperty("channel", channel);
        payload.addProperty("text", text);
        payload.add("blocks", JsonParser.parseString(blocks));
        payload.addProperty("unfurl_links", false);
        payload.addProperty("unfurl_media", false);
        return new Message(text, blocks, gson.toJson(payload));
    }

    /** What one chat.postMessage carries; {@code payload} is for the log. */
    record Message(String text, String blocks, String payload) {}

    /** Where Slack put a message: the channel's id and the message's timestamp, what chat.update needs. */
    record Posted(String channel, String ts) {}

    Posted post(Notification n) {
        return post(message(n));
    }

    /**
     * Posts the message. A 429 is retried once after the Retry-After Slack asked for (at most 30 s); anything else
     * that is not an accepted message throws.
     */
    Posted post(Message message) {
        // no previews of links someone put into a title or summary
        ChatPostMessageRequest request = ChatPostMessageRequest.builder()
                .channel(channel)
                .text(message.text())
                .blocksAsString(message.blocks())
                .unfurlLinks(false)
                .unfurlMedia(false)
                .build();
        ChatPostMessageResponse response =
                call("chat.postMessage", () -> slack.methods(token).chatPostMessage(request));
        return new Posted(response.getChannel(), response.getTs());
    }

    /** Replaces a posted message's text and blocks (chat.update), e.g. with who decided what. */
    void update(String channelId, String ts, String text, List<LayoutBlock> blocks) {
        call(
                "chat.update",
                () -> slack.methods(token)
                        .chatUpdate(ChatUpdateRequest.builder()
                                .channel(channelId)
                                .ts(ts)
                                .text(text)
                                .blocksAsString(gson.toJson(blocks))
                                .build()));
    }

    /** A message only {@code user} sees in {@code channelId} (chat.postEphemeral). */
    void ephemeral(String channelId, String user, String text) {
        call(
                "chat.postEphemeral",
                () -> slack.methods(token)
                        .chatPostEphemeral(ChatPostEphemeralRequest.builder()
                                .channel(channelId)
                                .user(user)
                                .text(text)
                                .build()));
    }

    /** Opens a modal for the person who pressed (views.open; the trigger id is valid for 3 s). */
    void openView(String triggerId, String viewJson) {
        call(
                "views.open",
                () -> slack.methods(token)
                        .viewsOpen(ViewsOpenRequest.builder()
                                .triggerId(triggerId)
                                .viewAsString(viewJson)
                                .build()));
    }

    /** One Web API call as the SDK makes it. */
    private interface ApiCall<T extends SlackApiTextResponse> {
        T call() throws IOException, SlackApiException;
    }

    /**
     * Calls {@code method}: a 429 is retried once after the Retry-After Slack asked for (at most 30 s); anything
     * else that is not an accepted call throws {@link NotificationFailedException}.
     */
    private <T extends SlackApiTextResponse> T call(String method, ApiCall<T> call) {
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

    private <T extends SlackApiTextResponse> Attempt<T> attempt(String method, ApiCall<T> call) {
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

    /** A decision's button text: the words of the Tasklist form. */
    static String label(String decision) {
        return switch (decision) {
            case "approve", "confirm" -> "Approve";
            case "reject", "request_changes" -> "Request changes";
            case "rollback" -> "Roll back";
            default ->
                Character.toUpperCase(decision.charAt(0))
                        + decision.substring(1).replace('_', ' ');
        };
    }

    private static String style(String decision) {
        return switch (decision) {
            case "approve", "confirm", "resume" -> "primary";
            case "abort" -> "danger";
            default -> null;
        };
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

    /**
     * The mentions, space-separated, as many whole ones as fit in {@code max} characters: a mention cut in half is
     * neither a mention nor readable.
     */
    private static String mentions(Notification n, int max) {
        StringBuilder out = new StringBuilder();
        for (String mention : NotificationText.listOrEmpty(n.mentions()).stream()
                .map(SlackNotifier::mention)
                .toList()) {
            int length = out.isEmpty() ? mention.length() : out.length() + 1 + mention.length();
            if (length > max) {
                break;
            }
            out.append(out.isEmpty() ? "" : " ").append(mention);
        }
        return out.toString();
    }

    /** One value of the details line of the fallback text. */
    private static String detail(String value) {
        return NotificationText.slackLine(NotificationText.orNone(value), DETAIL_MAX);
    }

    /** A field of the details section: a label and one line of escaped text within the field limit. */
    private static MarkdownTextObject field(String label, String value) {
        return mrkdwn(label + NotificationText.slackLine(value, FIELD_MAX - label.length()));
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
