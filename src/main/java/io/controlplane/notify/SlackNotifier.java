package io.controlplane.notify;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsConfig;
import com.slack.api.methods.request.chat.ChatPostEphemeralRequest;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.request.views.ViewsOpenRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
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

    /** How the retry after a 429 waits; tests replace the real sleep. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final String token;
    private final String channel;
    private final SlackBlocks content;
    private final Slack slack;
    private final Gson gson;
    private final SlackCalls calls;

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
        this.content = new SlackBlocks(cockpitUrl);
        this.calls = new SlackCalls(sleeper);
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
        return content.headline(n);
    }

    /** The plain-text fallback Slack shows in notifications ({@link SlackBlocks#text}); also the logged body. */
    String text(Notification n) {
        return content.text(n);
    }

    List<LayoutBlock> blocks(Notification n) {
        return content.blocks(n);
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
                calls.call("chat.postMessage", () -> slack.methods(token).chatPostMessage(request));
        return new Posted(response.getChannel(), response.getTs());
    }

    /** Replaces a posted message's text and blocks (chat.update), e.g. with who decided what. */
    void update(String channelId, String ts, String text, List<LayoutBlock> blocks) {
        calls.call(
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
        calls.call(
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
        calls.call(
                "views.open",
                () -> slack.methods(token)
                        .viewsOpen(ViewsOpenRequest.builder()
                                .triggerId(triggerId)
                                .viewAsString(viewJson)
                                .build()));
    }

    @Override
    public void close() throws Exception {
        slack.close();
    }
}
