package io.controlplane.rhythm;

import io.controlplane.mission.Stage;
import io.controlplane.platform.PlainText;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a digest reads: as Markdown (the meeting notes' export, format of {@code docs/readiness/ops_meeting_notes/})
 * and as the Slack post. One digest, two renderings of the same sections.
 */
final class MeetingMarkdown {
    static final String NO_DECISIONS = "_Not filled in yet: the meeting records its decisions, owners and due dates "
            + "with `PUT /api/meetings/{id}/decisions`._";

    private MeetingMarkdown() {}

    /** The digest's sections as Markdown: "### heading", bullets, then a table. */
    static String body(RhythmDigests.Digest<?> d) {
        StringBuilder md = new StringBuilder();
        for (RhythmDigests.Section s : d.sections()) {
            md.append("### ").append(s.heading()).append("\n\n");
            s.lines().forEach(l -> md.append("- ").append(escape(l)).append('\n'));
            if (!s.lines().isEmpty()) {
                md.append('\n');
            }
            if (s.table() != null && !s.table().isEmpty()) {
                md.append(row(s.table().get(0)))
                        .append(row(s.table().get(0).stream().map(c -> "---").toList()));
                s.table().subList(1, s.table().size()).forEach(r -> md.append(row(r)));
                md.append('\n');
            }
        }
        return md.toString().strip() + "\n";
    }

    /** The whole notes file: front matter, header, figures, decisions. */
    static String document(MeetingNotes.Note n) {
        String tags = n.stageTags().stream().map(Stage::name).collect(Collectors.joining(", "));
        return "---\n"
                + "meeting: " + n.type() + "\n"
                + "date: " + n.date() + "\n"
                + "time_zone: " + n.timeZone() + "\n"
                + "held_at: " + n.heldAt() + "\n"
                + "period: " + n.periodFrom() + " / " + n.periodTo() + "\n"
                + "attendees: [" + String.join(", ", n.attendees()) + "]\n"
                + "stage_tags: [" + tags + "]\n"
                + "notes_id: " + n.id() + "\n"
                + "---\n\n"
                + "# " + n.title() + "\n\n"
                + "- **Date:** " + n.date() + " (" + n.timeZone() + ")\n"
                + "- **Meeting type:** " + n.type() + "\n"
                + "- **Attendees (roles):** " + MeetingNotes.roleNames(n.attendees()) + "\n"
                + "- **Stage tags:** "
                + n.stageTags().stream()
                        .map(s -> "#" + s.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .collect(Collectors.joining(" "))
                + "\n"
                + "- **Figures cover:** " + n.periodFrom() + " to " + n.periodTo() + "\n\n"
                + "## Figures\n\n"
                + n.digestMarkdown().replace("\n### ", "\n### ").strip() + "\n\n"
                + "## Decisions\n\n"
                + (n.decisions() == null
                        ? NO_DECISIONS
                        : n.decisions() + "\n\n_Recorded by " + n.decisionsBy() + " at " + n.decisionsAt() + "._")
                + "\n";
    }

    /** The Slack post: the title, then each section as a bold heading and bullets (tables as one bullet per row). */
    static String slack(RhythmDigests.Digest<?> d, long noteId) {
        StringBuilder text = new StringBuilder(d.title())
                .append(" — meeting notes #")
                .append(noteId)
                .append('\n');
        for (RhythmDigests.Section s : d.sections()) {
            text.append('\n').append('*').append(s.heading()).append("*\n");
            // one bullet per line, whatever a title holds (Slack's & < > are escaped when the post is sent)
            s.lines().forEach(l -> text.append("• ").append(PlainText.line(l)).append('\n'));
            if (s.table() != null && s.table().size() > 1) {
                List<String> header = s.table().get(0);
                for (List<String> r : s.table().subList(1, s.table().size())) {
                    StringBuilder line =
                            new StringBuilder("• ").append(r.get(0)).append(": ");
                    for (int i = 1; i < r.size(); i++) {
                        line.append(i > 1 ? " · " : "")
                                .append(header.size() > 2 ? header.get(i) + " " : "")
                                .append(r.get(i));
                    }
                    text.append(line).append('\n');
                }
            }
        }
        return text.toString().strip();
    }

    private static String row(List<String> cells) {
        return "| " + cells.stream().map(MeetingMarkdown::escape).collect(Collectors.joining(" | ")) + " |\n";
    }

    /**
     * A bullet or a table cell of the digest: plain text (mission and backlog titles among it), so it shows as text
     * and stays in its bullet or cell ({@link PlainText#markdown}).
     */
    private static String escape(String cell) {
        return cell == null ? "" : PlainText.markdown(cell);
    }
}
