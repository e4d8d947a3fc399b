package io.controlplane.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.controlplane.incident.OnCallProperties.Person;
import io.controlplane.incident.OnCallProperties.Shift;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

class OnCallPropertiesTest {

    private static final Path RUNBOOK = Path.of("docs", "readiness", "runbooks", "on_call_schedule.md");
    private static final Person LEAD = new Person(null, "@ops-lead", null);

    private static Shift shift(String name, String zone, String start, String end) {
        return new Shift(name, zone, start, end, "oc", "@oc", "oc@example.org");
    }

    private static OnCallProperties withShifts(Shift... shifts) {
        return new OnCallProperties(new ArrayList<>(Arrays.asList(shifts)), LEAD, null, null, null);
    }

    @Test
    void anUnknownTimeZoneIsRefusedNamingTheShift() {
        assertThatThrownBy(() -> withShifts(
                        shift("APAC", "Asia/Singapore", "07:00", "15:00"),
                        shift("EMEA", "Europe/Berln", "08:00", "16:00")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("controlplane.oncall.shifts[1] (EMEA): unknown time zone 'Europe/Berln'")
                .hasMessageNotContaining("shifts[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"25:00", "24:00", "8:00", "08:60", "08:00:00", "noon", "600"})
    void aTimeThatIsNotHhMmIsRefusedNamingTheShiftAndTheValue(String bad) {
        assertThatThrownBy(() -> withShifts(shift("AMER", "America/New_York", bad, "18:00")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("controlplane.oncall.shifts[0] (AMER): start '" + bad + "' is not a time HH:mm");
        assertThatThrownBy(() -> withShifts(shift("AMER", "America/New_York", "10:00", bad)))
                .hasMessageContaining("controlplane.oncall.shifts[0] (AMER): end '" + bad + "' is not a time HH:mm");
    }

    @Test
    void anEmptyOrMissingListOfShiftsIsRefused() {
        assertThatThrownBy(OnCallPropertiesTest::withShifts)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("controlplane.oncall.shifts: at least one shift is required");
        assertThatThrownBy(() -> new OnCallProperties(null, LEAD, null, null, null))
                .hasMessageContaining("controlplane.oncall.shifts: at least one shift is required");
    }

    @Test
    void everyProblemIsReportedAtOnceEachNamingItsEntry() {
        assertThatThrownBy(() -> new OnCallProperties(
                        Arrays.asList(
                                new Shift("APAC", "Mars/Olympus", "07:00", "07:00", " ", "oc2", "not-an-address"),
                                null,
                                new Shift("APAC", "UTC", null, "12:00", "oc", "@oc", null),
                                new Shift(null, "UTC", "01:00", "02:00", "oc", "@oc", null)),
                        new Person(null, "ops-lead", null),
                        " ",
                        Duration.ZERO,
                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shifts[0] (APAC): unknown time zone 'Mars/Olympus'")
                .hasMessageContaining("shifts[0] (APAC): start and end are both 07:00")
                .hasMessageContaining("shifts[0] (APAC): person (a Camunda user id) is required")
                .hasMessageContaining("shifts[0] (APAC): slack 'oc2' must be a handle starting with @")
                .hasMessageContaining("shifts[0] (APAC): email 'not-an-address' is not an e-mail address")
                .hasMessageContaining("shifts[1]: is empty")
                .hasMessageContaining("shifts[2] (APAC): name is used by an earlier shift")
                .hasMessageContaining("shifts[2] (APAC): start is required (HH:mm)")
                .hasMessageContaining("shifts[3]: name is required")
                .hasMessageContaining("controlplane.oncall.lead: slack 'ops-lead' must be a handle starting with @")
                .hasMessageContaining("controlplane.oncall.pager-duty-schedule: must not be blank")
                .hasMessageContaining("controlplane.oncall.escalate-after: must be positive, was PT0S");
    }

    @Test
    void theLeadIsRequired() {
        assertThatThrownBy(() ->
                        new OnCallProperties(List.of(shift("UTC", "UTC", "00:00", "12:00")), null, null, null, null))
                .hasMessageContaining("controlplane.oncall.lead: is required");
    }

    @Test
    void aShiftMayCrossMidnight() {
        OnCallProperties p = withShifts(
                shift("NIGHT", "Europe/Berlin", "22:00", "06:00"), shift("DAY", "Europe/Berlin", "06:00", "22:00"));
        assertThat(p.shifts().get(0).crossesMidnight()).isTrue();
        assertThat(p.shifts().get(1).crossesMidnight()).isFalse();
        assertThat(withShifts(shift("LATE", "UTC", "16:00", "00:00"))
                        .shifts()
                        .get(0)
                        .crossesMidnight())
                .isTrue();
    }

    @Test
    void unsetSettingsTakeTheirDefaults() {
        OnCallProperties p = withShifts(shift("UTC", "UTC", "00:00", "12:00"));
        assertThat(p.pagerDutySchedule()).isEqualTo("Mission Ops On-Call");
        assertThat(p.escalateAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThat(p.handoffSummary()).isTrue();
        OnCallProperties set = new OnCallProperties(p.shifts(), LEAD, "Other", Duration.ofMinutes(5), false);
        assertThat(set.pagerDutySchedule()).isEqualTo("Other");
        assertThat(set.escalateAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(set.handoffSummary()).isFalse();
    }

    @Test
    void theRunbooksYamlBlockBindsToTheDefaultRotation() throws IOException {
        OnCallProperties bound = bind(runbookYaml())
                .bind(OnCallProperties.PREFIX, OnCallProperties.class)
                .get();
        assertThat(bound).isEqualTo(OnCallScheduleTest.DEFAULTS);
    }

    @Test
    void kebabAndShortDurationsBindToo() throws IOException {
        String yaml = runbookYaml()
                .replace("escalate-after: PT15M", "escalate-after: 10m")
                .replace("handoff-summary: true", "handoff-summary: false");
        OnCallProperties bound =
                bind(yaml).bind(OnCallProperties.PREFIX, OnCallProperties.class).get();
        assertThat(bound.escalateAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(bound.handoffSummary()).isFalse();
    }

    @Test
    void unquotedTimesAreReadAsNumbersByYamlAndRefused() throws IOException {
        // YAML 1.1 reads 10:00 as the base-60 number 600: the runbook tells people to quote times
        String yaml = runbookYaml().replace("start: \"10:00\"", "start: 10:00");
        assertThatThrownBy(() -> bind(yaml).bind(OnCallProperties.PREFIX, OnCallProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("shifts[2] (AMER): start '600' is not a time HH:mm");
    }

    @Test
    void anUnquotedHandleOrASecondControlplaneKeyIsRefusedByYaml() throws IOException {
        String yaml = runbookYaml();
        assertThatThrownBy(() -> yamlSource(yaml.replace("slack: \"@oc\"", "slack: @oc")))
                .hasMessageContaining("'@'");
        assertThatThrownBy(() -> yamlSource("controlplane:\n  demo:\n    users: true\n" + yaml))
                .hasMessageContaining("duplicate key");
    }

    @Test
    void aBadScheduleFailsTheBindingWithTheEntryNamed() throws IOException {
        String yaml = runbookYaml().replace("Europe/Berlin", "Europe/Berln");
        assertThatThrownBy(() -> bind(yaml).bind(OnCallProperties.PREFIX, OnCallProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("controlplane.oncall.shifts[1] (EMEA): unknown time zone 'Europe/Berln'");
    }

    @Test
    void noOnCallSettingsAtAllFailTheStartUp() {
        Binder empty = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of())));
        assertThatThrownBy(() -> empty.bindOrCreate(OnCallProperties.PREFIX, OnCallProperties.class))
                .rootCause()
                .hasMessageContaining("controlplane.oncall.shifts: at least one shift is required");
    }

    @Test
    void aSingleListEntryFromTheEnvironmentReplacesTheWholeList() throws IOException {
        // as the runbook warns: the list is taken whole from the highest-priority source that has one
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("CONTROLPLANE_ONCALL_SHIFTS_0_PERSON", "oc3")))
                .forEach(sources::add);
        ConfigurationPropertySources.from(yamlSource(runbookYaml())).forEach(sources::add);
        assertThatThrownBy(() -> new Binder(sources).bind(OnCallProperties.PREFIX, OnCallProperties.class))
                .rootCause()
                .hasMessageContaining("shifts[0]: name is required")
                .hasMessageNotContaining("shifts[1]");
    }

    /** The first {@code yaml} code block of the runbook: the block people paste into application.yaml. */
    static String runbookYaml() throws IOException {
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(RUNBOOK, StandardCharsets.UTF_8));
        assertThat(m.find()).as("a ```yaml block in " + RUNBOOK).isTrue();
        return m.group(1);
    }

    private static Binder bind(String yaml) throws IOException {
        return new Binder(ConfigurationPropertySources.from(yamlSource(yaml)));
    }

    private static PropertySource<?> yamlSource(String yaml) throws IOException {
        List<PropertySource<?>> loaded = new YamlPropertySourceLoader()
                .load("runbook", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(loaded).hasSize(1);
        return loaded.get(0);
    }
}
