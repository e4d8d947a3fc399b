package io.controlplane.rhythm;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.ProcessVariable;
import io.controlplane.platform.Roles;
import io.controlplane.platform.VariableNames;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one place where Java meets the operating-rhythm models ({@code bpmn/rhythm-*.bpmn}): the five meetings of the
 * operations guide's "Operating Rhythm", their process keys, element ids and variables.
 */
public final class Rhythm {
    private Rhythm() {}

    /** A meeting of the rhythm: its type (API, configuration), process key, title and the roles expected. */
    public enum Meeting {
        DAILY_STANDUP("daily-standup", "Daily standup", List.of(Roles.OPERATIONS_COMMAND)),
        WEEKLY_OPS_SYNC("weekly-ops-sync", "Weekly ops sync", Roles.OPERATING_ROLES),
        GOVERNANCE_COUNCIL(
                "governance-council",
                "Bi-weekly governance council",
                List.of(Roles.GOVERNANCE_VALIDATOR, Roles.OPERATIONS_COMMAND, Roles.TELEMETRY_ANALYST)),
        MONTHLY_RETROSPECTIVE("monthly-retrospective", "Monthly retrospective", Roles.OPERATING_ROLES),
        QUARTERLY_PLANNING("quarterly-planning", "Quarterly planning", Roles.OPERATING_ROLES);

        private final String type;
        private final String title;
        private final List<String> attendees;

        Meeting(String type, String title, List<String> attendees) {
            this.type = type;
            this.title = title;
            this.attendees = attendees;
        }

        /** e.g. {@code daily-standup}: the API's {@code type}, the configuration key, the Slack kind (with underscores). */
        public String type() {
            return type;
        }

        public String processKey() {
            return "rhythm-" + type;
        }

        public String title() {
            return title;
        }

        public List<String> attendees() {
            return attendees;
        }

        public static Optional<Meeting> fromType(String type) {
            return Arrays.stream(values()).filter(m -> m.type.equals(type)).findFirst();
        }

        /**
         * A configuration key: {@code daily-standup}, or as an environment variable gives it ({@code DAILYSTANDUP},
         * {@code daily_standup}): case, dashes and underscores are ignored.
         */
        public static Optional<Meeting> fromConfigKey(String key) {
            String simple = key == null ? "" : key.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            return Arrays.stream(values())
                    .filter(m -> m.type.replace("-", "").equals(simple))
                    .findFirst();
        }
    }

    public static final class Elements {
        public static final String START = "startEvent_meetingDue";
        public static final String COMPILE_DIGEST = "serviceTask_compileDigest";
        public static final String POST_DIGEST = "serviceTask_postDigest";
        public static final String KPI_MISS_RUNBOOK = "callActivity_kpiMissRunbook";

        private Elements() {}
    }

    public static final class Vars {
        /** input parameter of the compile step: which meeting this process is */
        public static final String MEETING_TYPE = "meetingType";

        public static final String MEETING_NOTE_ID = "meetingNoteId";
        public static final String MEETING_TITLE = "meetingTitle";
        /** the digest as Slack text (JSON {"text": …}: longer than a string variable may be) */
        public static final String DIGEST_SUMMARY = "digestSummary";
        /** e.g. {@code 2026-10} for the month a retrospective reviewed */
        public static final String MEETING_PERIOD = "meetingPeriod";
        /** the retrospective's missed KPIs (JSON list of key, name, value, target) */
        public static final String MISSED_KPIS = "missedKpis";
        /** who ran the meeting now ({@code POST /api/meetings/{type}/runs}); absent on a timer's run */
        public static final String MEETING_REQUESTED_BY = "meetingRequestedBy";

        private Vars() {}

        public static Set<String> all() {
            return VariableNames.of(Vars.class);
        }
    }

    /** The rhythm processes' variables, typed ({@link ProcessVariable}). */
    public static final class Typed {
        public static final ProcessVariable<String> MEETING_TYPE = ProcessVariable.text(Vars.MEETING_TYPE);
        public static final ProcessVariable<Long> MEETING_NOTE_ID = ProcessVariable.longValue(Vars.MEETING_NOTE_ID);
        public static final ProcessVariable<String> MEETING_TITLE = ProcessVariable.text(Vars.MEETING_TITLE);
        public static final ProcessVariable<JsonNode> DIGEST_SUMMARY = ProcessVariable.json(Vars.DIGEST_SUMMARY);
        public static final ProcessVariable<String> MEETING_PERIOD = ProcessVariable.text(Vars.MEETING_PERIOD);
        public static final ProcessVariable<JsonNode> MISSED_KPIS = ProcessVariable.json(Vars.MISSED_KPIS);

        private Typed() {}
    }
}
