package io.controlplane.platform;

import java.util.regex.Pattern;

/**
 * Text someone typed (a mission's title, an agent's play name, a reviewer's comment), made to show as exactly that
 * text where it lands inside markup of ours: the Markdown of the Tasklist forms (form-js renders {@code {{variables}}}
 * as Markdown) and of the SHA-256-sealed evidence, and Slack's mrkdwn. Without it a title such as
 * {@code [click](https://evil.example)} is a live link in a checkpoint form, and {@code | forged | row} a row of its
 * own in sealed evidence.
 */
public final class PlainText {
    /** Every line break a Markdown or Slack renderer may honour. */
    private static final Pattern LINE_BREAKS = Pattern.compile("\\r\\n|[\\r\\n\\u000B\\f\\u0085\\u2028\\u2029]");
    /**
     * What Markdown (CommonMark, GitHub's tables and autolinks, form-js's renderer) or HTML give a meaning: each is
     * backslash-escaped, which CommonMark defines for every ASCII punctuation character, so the reader sees the
     * character itself. The colon too: GitHub-flavoured renderers turn a bare {@code https://…} into a link.
     */
    private static final String MARKDOWN_SPECIALS = "\\`*_{}[]()#+-.!|<>&=~:";

    private PlainText() {}

    /**
     * One line of Markdown text: a table cell, a list item, a heading, a label's value. Markup characters are
     * escaped, and line breaks become spaces, so the text can neither start a row, heading or list item of its own
     * nor close the one it is in. {@code null} stays {@code null}.
     */
    public static String markdown(String text) {
        if (text == null) {
            return null;
        }
        return escapeMarkdown(LINE_BREAKS.matcher(text).replaceAll(" "));
    }

    /**
     * A paragraph of Markdown text (an objective, an agent's data preview, a comment): as {@link #markdown}, but its
     * line breaks are kept. No line can start a block of its own, since every character that could is escaped.
     */
    public static String markdownBlock(String text) {
        if (text == null) {
            return null;
        }
        return escapeMarkdown(LINE_BREAKS.matcher(text).replaceAll("\n"));
    }

    /**
     * An inline code span ({@code `id`}) holding {@code text} as it is: fenced by more backticks than the text holds in
     * a row (CommonMark's rule, as backslashes do not escape inside a code span), on one line, its pipes escaped so it
     * stays within a table cell (GitHub's table rule, which also applies inside code spans).
     */
    public static String codeSpan(String text) {
        if (text == null) {
            return null;
        }
        String line = LINE_BREAKS.matcher(text).replaceAll(" ").replace("|", "\\|");
        int longest = 0;
        int run = 0;
        for (int i = 0; i < line.length(); i++) {
            run = line.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        String pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
        return fence + pad + line + pad + fence;
    }

    /**
     * Text inside Slack's mrkdwn: {@code &}, {@code <} and {@code >} escaped as Slack documents (so no
     * {@code <https://…|link>}, {@code <!channel>} or {@code <@U…>} of someone's making) and line breaks as spaces, so
     * a value cannot forge a line of the message.
     */
    public static String slack(String text) {
        if (text == null) {
            return null;
        }
        return slackBlock(LINE_BREAKS.matcher(text).replaceAll(" "));
    }

    /** As {@link #slack}, keeping line breaks: a message body of several lines. */
    public static String slackBlock(String text) {
        if (text == null) {
            return null;
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** One line of plain text (an e-mail subject or a header-like line of a mail): line breaks become spaces. */
    public static String line(String text) {
        return text == null ? null : LINE_BREAKS.matcher(text).replaceAll(" ");
    }

    private static String escapeMarkdown(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (MARKDOWN_SPECIALS.indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
