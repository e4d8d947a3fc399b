package io.controlplane.notify;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static io.controlplane.notify.SlackNotifier.DETAIL_MAX;
import static io.controlplane.notify.SlackNotifier.FIELD_MAX;
import static io.controlplane.notify.SlackNotifier.HEADER_MAX;
import static io.controlplane.notify.SlackNotifier.MENTIONS_MAX;
import static io.controlplane.notify.SlackNotifier.SECTION_MAX;
import static io.controlplane.notify.SlackNotifier.TEXT_MAX;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import io.controlplane.platform.PlainText;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@link SlackNotifier} posts for a notification: the Block Kit blocks (header, details, summary, mentions,
 * buttons) and the plain-text fallback, each value escaped and within Slack's limits.
 */
final class SlackBlocks {
    /** Resolved at each message: the public URL may derive from the port, known only once the server runs. */
    private final Supplier<String> cockpitUrl;

    SlackBlocks(Supplier<String> cockpitUrl) {
        this.cockpitUrl = cockpitUrl;
    }

    /** The header line (plain text, one line, within the header block's limit), also the log row's subject. */
    String headline(Notification n) {
        return NotificationText.truncate(PlainText.line(NotificationText.headline(n)), HEADER_MAX);
    }

    /**
     * The plain-text fallback Slack shows in notifications; with its mentions it is also the logged body. Every value
     * is text ({@link PlainText#slack}): Slack's {@code & < >} escaped, so no link or mention of anyone's making, and
     * no line break inside a one-line value, so a mission title cannot forge a line of the message. At most
     * {@link SlackNotifier#TEXT_MAX} characters: the summary gets what the headline, the details, the mentions and
     * the link leave.
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
        List<BlockElement> buttons = buttons(n);
        if (!buttons.isEmpty()) {
            blocks.add(actions(buttons));
        }
        return blocks;
    }

    /** The offered decisions, Acknowledge for an incident, Open in Cockpit. */
    private List<BlockElement> buttons(Notification n) {
        List<BlockElement> buttons = new ArrayList<>();
        if (n.offer() != null) {
            // the task id and the decision only: who may press and what it means is read again at the press
            for (String decision : n.offer().decisions()) {
                buttons.add(ButtonElement.builder()
                        .actionId(SlackNotifier.DECISION_ACTION_PREFIX + decision)
                        .value(n.offer().taskId())
                        .style(style(decision))
                        .text(plainText(label(decision)))
                        .build());
            }
        }
        if (NotificationText.hasText(n.incidentId())) {
            buttons.add(ButtonElement.builder()
                    .actionId(SlackNotifier.ACKNOWLEDGE_ACTION)
                    .value(n.incidentId())
                    .style("primary")
                    .text(plainText("Acknowledge"))
                    .build());
        }
        String cockpit = cockpitUrl.get();
        if (NotificationText.hasText(cockpit)) {
            buttons.add(ButtonElement.builder()
                    .actionId(SlackNotifier.COCKPIT_ACTION)
                    .url(cockpit)
                    .text(plainText("Open in Cockpit"))
                    .build());
        }
        return buttons;
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

    /**
     * The mentions, space-separated, as many whole ones as fit in {@code max} characters: a mention cut in half is
     * neither a mention nor readable.
     */
    private static String mentions(Notification n, int max) {
        StringBuilder out = new StringBuilder();
        for (String mention : NotificationText.listOrEmpty(n.mentions()).stream()
                .map(SlackBlocks::mention)
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
}
