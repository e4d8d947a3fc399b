package io.controlplane.rhythm;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.controlplane.mission.MissionStore;
import io.controlplane.mission.Stage;
import io.controlplane.platform.ETags;
import io.controlplane.platform.InvalidInputException;
import io.controlplane.platform.JsonValues;
import io.controlplane.platform.NotFoundException;
import io.controlplane.platform.Page;
import io.controlplane.platform.Problems;
import io.controlplane.platform.Roles;
import io.controlplane.rhythm.Rhythm.Meeting;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code meeting_notes} (V7): what each run of a rhythm process recorded, searchable by stage tag and type, exported
 * as Markdown in the format of {@code docs/readiness/ops_meeting_notes/README.md}; people fill in the decisions.
 */
@Service
public class MeetingNotes {
    static final int MAX_DECISIONS = 8000;

    /**
     * A stored note as the API answers it; {@code digestMarkdown} is the digest's body, figures its numbers. Its
     * {@code version} travels as the {@code ETag} header, which {@code If-Match} sends back to change the decisions.
     */
    public record Note(
            long id,
            String type,
            String title,
            LocalDate date,
            String timeZone,
            Instant heldAt,
            Instant periodFrom,
            Instant periodTo,
            List<String> attendees,
            List<Stage> stageTags,
            Object figures,
            String digestMarkdown,
            String decisions,
            String decisionsBy,
            Instant decisionsAt,
            String processInstanceId,
            @JsonIgnore long version) {
        /** The strong entity tag of this version of the notes. */
        public String etag() {
            return ETags.strong("meeting", id, version);
        }
    }

    /** A note in a list: no figures, no body. */
    public record Summary(long id, String type, String title, LocalDate date, List<Stage> stageTags, boolean decided) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonValues json;

    MeetingNotes(NamedParameterJdbcTemplate jdbc, JsonValues json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores the digest of one run; returns the note's id. */
    @Transactional
    public long record(RhythmDigests.Digest<?> d, String processInstanceId) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(
                """
                INSERT INTO meeting_notes (meeting_type, meeting_date, time_zone, held_at, period_from, period_to, title,
                                           attendees, figures_json, digest_markdown, process_instance_id)
                VALUES (:type, :date, :zone, :held, :from, :to, :title, :attendees, :figures, :markdown, :pi)""",
                new MapSqlParameterSource("type", d.meeting().type())
                        .addValue("date", d.date())
                        .addValue("zone", d.zone().getId())
                        .addValue("held", MissionStore.odt(d.heldAt()))
                        .addValue("from", MissionStore.odt(d.from()))
                        .addValue("to", MissionStore.odt(d.to()))
                        .addValue("title", d.title())
                        .addValue("attendees", String.join(",", d.meeting().attendees()))
                        .addValue("figures", json.write(d.figures()))
                        .addValue("markdown", MeetingMarkdown.body(d))
                        .addValue("pi", processInstanceId),
                key,
                new String[] {"id"});
        long id = key.getKey().longValue();
        for (Stage s : d.stages()) {
            jdbc.update(
                    "INSERT INTO meeting_note_stages (note_id, stage) VALUES (:id, :stage)",
                    new MapSqlParameterSource("id", id).addValue("stage", s.name()));
        }
        return id;
    }

    /** One page of notes, newest first, filtered by stage tag and/or meeting type when given. */
    public Page<Summary> list(Stage stage, Meeting type, Page.Request paging) {
        String where = (stage == null
                        ? "1=1"
                        : "EXISTS (SELECT 1 FROM meeting_note_stages s WHERE s.note_id = n.id AND s.stage = :stage)")
                + (type == null ? "" : " AND n.meeting_type = :type");
        MapSqlParameterSource p = new MapSqlParameterSource("stage", stage == null ? null : stage.name())
                .addValue("type", type == null ? null : type.type())
                .addValue("limit", paging.size())
                .addValue("offset", paging.offset());
        List<Summary> items = jdbc.query(
                "SELECT n.id, n.meeting_type, n.title, n.meeting_date, n.decisions FROM " + "meeting_notes n WHERE "
                        + where + " ORDER BY n.held_at DESC, n.id DESC LIMIT :limit OFFSET :offset",
                p,
                (rs, n) -> new Summary(
                        rs.getLong("id"),
                        rs.getString("meeting_type"),
                        rs.getString("title"),
                        rs.getObject("meeting_date", LocalDate.class),
                        stages(rs.getLong("id")),
                        rs.getString("decisions") != null));
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM meeting_notes n WHERE " + where, p, Long.class);
        return Page.of(paging, items, total == null ? 0 : total);
    }

    public Note get(long id) {
        return jdbc
                .query("SELECT * FROM meeting_notes WHERE id = :id", new MapSqlParameterSource("id", id), this::note)
                .stream()
                .findFirst()
                .orElseThrow(() -> new NotFoundException("No meeting notes with id " + id));
    }

    /**
     * Records what the meeting decided (replacing earlier text), with who wrote it and when. A conditional update:
     * {@code ifMatch} must name the version the caller read (428 without, 412 when the notes changed since), checked
     * again by the statement that writes, so of two people deciding from one version only the first is recorded.
     */
    @Transactional
    public Note decide(long id, String decisions, String by, String ifMatch) {
        Note note = get(id);
        ETags.requireMatch(ifMatch, note.etag());
        if (decisions == null || decisions.isBlank()) {
            throw new InvalidInputException("decisions", "is required: what the meeting decided, with owners");
        }
        if (decisions.length() > MAX_DECISIONS) {
            throw new InvalidInputException("decisions", "must be at most " + MAX_DECISIONS + " characters");
        }
        int changed = jdbc.update(
                "UPDATE meeting_notes SET decisions = :decisions, decisions_by = :by, decisions_at = :at, "
                        + "version = version + 1 WHERE id = :id AND version = :version",
                new MapSqlParameterSource("id", id)
                        .addValue("decisions", decisions.strip())
                        .addValue("by", by)
                        .addValue("version", note.version())
                        .addValue(
                                "at",
                                MissionStore.odt(ClockUtil.getCurrentTime().toInstant())));
        if (changed == 0) {
            throw new ETags.PreconditionException(
                    Problems.Type.PRECONDITION_FAILED,
                    "The meeting notes " + id
                            + " were changed meanwhile by someone else; your decisions were not recorded. GET them again, "
                            + "and decide on what they say now");
        }
        return get(id);
    }

    private List<Stage> stages(long id) {
        return jdbc
                .queryForList(
                        "SELECT stage FROM meeting_note_stages WHERE note_id = :id",
                        new MapSqlParameterSource("id", id),
                        String.class)
                .stream()
                .map(s -> Stage.fromCode(s).orElseThrow())
                .sorted()
                .toList();
    }

    private Note note(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        Object figures;
        try {
            figures = json.read(rs.getString("figures_json"));
        } catch (JsonProcessingException e) {
            figures = Map.of();
        }
        return new Note(
                id,
                rs.getString("meeting_type"),
                rs.getString("title"),
                rs.getObject("meeting_date", LocalDate.class),
                rs.getString("time_zone"),
                MissionStore.instant(rs, "held_at"),
                MissionStore.instant(rs, "period_from"),
                MissionStore.instant(rs, "period_to"),
                Arrays.asList(rs.getString("attendees").split(",")),
                stages(id),
                figures,
                rs.getString("digest_markdown"),
                rs.getString("decisions"),
                rs.getString("decisions_by"),
                MissionStore.instant(rs, "decisions_at"),
                rs.getString("process_instance_id"),
                rs.getLong("version"));
    }

    /** The roles' display names, for the Markdown. */
    static String roleNames(List<String> groups) {
        return String.join(
                ", ",
                groups.stream()
                        .map(g -> Roles.displayName(g) + " (`" + g + "`)")
                        .toList());
    }
}
