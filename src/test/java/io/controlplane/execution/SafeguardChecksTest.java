package io.controlplane.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.mission.AgentRunStore;
import io.controlplane.mission.MissionRequest.Safeguard;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each safeguard rule at its edges, because an off-by-one here either spams a customer or stalls a mission. */
class SafeguardChecksTest {
    private static final Instant NOON = Instant.parse("2025-03-10T12:00:00Z");

    private static StepReport send(Instant at, String zone) {
        return new StepReport("send email", at, "ana@example.com", zone, 0, true, false, null, List.of());
    }

    private static StepReport send(Instant at) {
        return send(at, null);
    }

    private static StepReport say(String text) {
        return new StepReport("send email", NOON, "ana@example.com", null, 0, true, false, text, List.of());
    }

    private static StepReport spend(Instant at, long cents) {
        return new StepReport("buy ad", at, null, null, cents, true, false, null, List.of());
    }

    private static List<SafeguardFinding> check(Safeguard s, StepReport step, List<StepReport> earlier) {
        return SafeguardChecks.check(List.of(s), step, earlier, List.of());
    }

    private static List<String> codes(Safeguard s, StepReport step, List<StepReport> earlier) {
        return check(s, step, earlier).stream().map(SafeguardFinding::code).toList();
    }

    @Nested
    class Tone {
        final Safeguard tone = new Safeguard(
                "tone",
                "medium",
                Map.of("forbiddenWords", List.of("guaranteed", "risk-free"), "requiredWords", List.of("unsubscribe")));

        @Test
        void aForbiddenWordIsFoundInAnyCase() {
            List<SafeguardFinding> f = check(tone, say("Results GUARANTEED. Reply to unsubscribe."), List.of());
            assertThat(f).singleElement().satisfies(x -> {
                assertThat(x.type()).isEqualTo("tone");
                assertThat(x.severity()).isEqualTo("medium");
                assertThat(x.code()).isEqualTo("forbidden_word");
                assertThat(x.detail()).contains("'guaranteed'");
            });
        }

        @Test
        void aForbiddenWordWithAHyphenIsFoundAsAWholeWord() {
            assertThat(codes(tone, say("It is Risk-Free, unsubscribe anytime"), List.of()))
                    .containsExactly("forbidden_word");
        }

        @Test
        void aForbiddenWordInsideAnotherWordIsNotAFinding() {
            assertThat(codes(tone, say("Nothing is unguaranteed or guaranteedly so; unsubscribe here"), List.of()))
                    .isEmpty();
        }

        @Test
        void eachMissingRequiredWordIsAFinding() {
            Safeguard two = new Safeguard(
                    "tone",
                    "low",
                    Map.of("forbiddenWords", List.of(), "requiredWords", List.of("unsubscribe", "privacy")));
            List<SafeguardFinding> f = check(two, say("See our Privacy notice"), List.of());
            assertThat(f).extracting(SafeguardFinding::code).containsExactly("required_word_missing");
            assertThat(f.get(0).detail()).contains("'unsubscribe'");
        }

        @Test
        void aStepWithoutTextIsNotCheckedForRequiredWords() {
            assertThat(codes(tone, send(NOON), List.of())).isEmpty();
        }
    }

    @Nested
    class QuietWindow {
        final Safeguard overnight = new Safeguard(
                "quiet_window", "medium", Map.of("start", "20:00", "end", "07:00", "timeZone", "recipient"));

        @ParameterizedTest(name = "{0} UTC quiet: {1}")
        @CsvSource({"19:59,false", "20:00,true", "23:30,true", "00:00,true", "06:59,true", "07:00,false", "12:00,false"
        })
        void aWindowAcrossMidnightIncludesItsStartAndExcludesItsEnd(String time, boolean quiet) {
            StepReport step = send(Instant.parse("2025-03-10T" + time + ":00Z"), "UTC");
            assertThat(codes(overnight, step, List.of())).isEqualTo(quiet ? List.of("quiet_window") : List.of());
        }

        @ParameterizedTest(name = "{0} UTC quiet: {1}")
        @CsvSource({"11:59,false", "12:00,true", "12:59,true", "13:00,false", "23:00,false", "03:00,false"})
        void aWindowWithinOneDay(String time, boolean quiet) {
            Safeguard lunch = new Safeguard(
                    "quiet_window", "low", Map.of("start", "12:00", "end", "13:00", "timeZone", "recipient"));
            StepReport step = send(Instant.parse("2025-03-10T" + time + ":00Z"), "UTC");
            assertThat(codes(lunch, step, List.of())).isEqualTo(quiet ? List.of("quiet_window") : List.of());
        }

        @Test
        void theSameInstantIsQuietInBerlinButNotInNewYork() {
            Instant at = Instant.parse("2025-03-10T20:30:00Z"); // 21:30 in Berlin, 16:30 in New York
            assertThat(check(overnight, send(at, "Europe/Berlin"), List.of()))
                    .singleElement()
                    .satisfies(f -> assertThat(f.detail()).contains("21:30 Europe/Berlin", "20:00-07:00"));
            assertThat(codes(overnight, send(at, "America/New_York"), List.of()))
                    .isEmpty();
        }

        @Test
        void aRecipientWithoutATimeZoneIsJudgedInUtc() {
            assertThat(codes(overnight, send(Instant.parse("2025-03-10T20:30:00Z")), List.of()))
                    .containsExactly("quiet_window");
            assertThat(codes(overnight, send(Instant.parse("2025-03-10T19:30:00Z")), List.of()))
                    .isEmpty();
        }

        @Test
        void aFixedTimeZoneOverridesTheRecipients() {
            Safeguard tokyo = new Safeguard(
                    "quiet_window", "medium", Map.of("start", "20:00", "end", "07:00", "timeZone", "Asia/Tokyo"));
            Instant at = Instant.parse("2025-03-10T12:00:00Z"); // 21:00 in Tokyo, 13:00 in Berlin
            assertThat(codes(tokyo, send(at, "Europe/Berlin"), List.of())).containsExactly("quiet_window");
            assertThat(codes(overnight, send(at, "Europe/Berlin"), List.of())).isEmpty();
        }

        @Test
        void aStepWithoutARecipientIsNeverQuiet() {
            assertThat(codes(overnight, spend(Instant.parse("2025-03-10T23:00:00Z"), 0), List.of()))
                    .isEmpty();
        }
    }

    @Nested
    class RateLimit {
        final Safeguard limit = new Safeguard("rate_limit", "medium", Map.of("perHour", 30, "burst", 10));

        /** {@code n} outreach steps one minute apart, the last one a minute before {@code NOON}. */
        private List<StepReport> spread(int n) {
            List<StepReport> out = new ArrayList<>();
            for (int i = n; i >= 1; i--) {
                out.add(send(NOON.minus(Duration.ofMinutes(i))));
            }
            return out;
        }

        @Test
        void exactlyPerHourIsAllowedAndOneMoreIsFlagged() {
            assertThat(codes(limit, send(NOON), spread(29))).isEmpty();
            List<SafeguardFinding> f = check(limit, send(NOON), spread(30));
            assertThat(f).extracting(SafeguardFinding::code).containsExactly("rate_limit_exceeded");
            assertThat(f.get(0).detail()).contains("31", "30 per hour");
        }

        @Test
        void stepsAnHourOrMoreOldAreNotCounted() {
            List<StepReport> earlier = new ArrayList<>(spread(29));
            earlier.add(0, send(NOON.minus(Duration.ofHours(1))));
            earlier.add(0, send(NOON.minus(Duration.ofHours(3))));
            assertThat(codes(limit, send(NOON), earlier)).isEmpty();
            earlier.add(send(NOON.minus(Duration.ofHours(1)).plusSeconds(1)));
            assertThat(codes(limit, send(NOON), earlier)).containsExactly("rate_limit_exceeded");
        }

        @Test
        void stepsWithoutARecipientAreNotCounted() {
            List<StepReport> earlier = new ArrayList<>(spread(29));
            earlier.add(spend(NOON.minusSeconds(5), 0));
            assertThat(codes(limit, send(NOON), earlier)).isEmpty();
        }

        @Test
        void tenInSixtySecondsIsAllowedAndElevenIsABurst() {
            List<StepReport> nine = new ArrayList<>();
            for (int i = 9; i >= 1; i--) {
                nine.add(send(NOON.minusSeconds(i * 5L)));
            }
            assertThat(codes(limit, send(NOON), nine)).isEmpty();
            List<StepReport> ten = new ArrayList<>(nine);
            ten.add(0, send(NOON.minusSeconds(59)));
            List<SafeguardFinding> f = check(limit, send(NOON), ten);
            assertThat(f).extracting(SafeguardFinding::code).containsExactly("burst_exceeded");
            assertThat(f.get(0).detail()).contains("11", "burst limit is 10");
        }

        @Test
        void aStepExactlySixtySecondsOldIsOutsideTheBurst() {
            List<StepReport> ten = new ArrayList<>();
            ten.add(send(NOON.minusSeconds(60)));
            for (int i = 9; i >= 1; i--) {
                ten.add(send(NOON.minusSeconds(i)));
            }
            assertThat(codes(limit, send(NOON), ten)).isEmpty();
        }
    }

    @Nested
    class BudgetCap {
        final Safeguard cap = new Safeguard("budget_cap", "high", Map.of("centsPerDay", 5000));

        @Test
        void exactlyAtTheCapIsAllowedAndOneCentOverIsFlagged() {
            List<StepReport> earlier = List.of(spend(NOON.minusSeconds(3600), 3000));
            assertThat(codes(cap, spend(NOON, 2000), earlier)).isEmpty();
            List<SafeguardFinding> f = check(cap, spend(NOON, 2001), earlier);
            assertThat(f).singleElement().satisfies(x -> {
                assertThat(x.code()).isEqualTo("budget_exceeded");
                assertThat(x.severity()).isEqualTo("high");
                assertThat(x.detail()).contains("5001 cents", "5000 cents a day", "2025-03-10");
            });
        }

        @Test
        void theUtcDayBeforeIsNotCounted() {
            List<StepReport> earlier = List.of(
                    spend(Instant.parse("2025-03-09T23:59:59Z"), 4000),
                    spend(Instant.parse("2025-03-10T00:00:00Z"), 1000));
            assertThat(codes(cap, spend(NOON, 4000), earlier)).isEmpty();
            assertThat(codes(cap, spend(NOON, 4001), earlier)).containsExactly("budget_exceeded");
        }

        @Test
        void aSingleStepOverTheCapIsFlagged() {
            assertThat(codes(cap, spend(NOON, 5001), List.of())).containsExactly("budget_exceeded");
        }

        @Test
        void aStepThatSpendsNothingIsNotFlaggedAfterTheCapWasReached() {
            assertThat(codes(cap, spend(NOON, 0), List.of(spend(NOON.minusSeconds(60), 6000))))
                    .isEmpty();
        }
    }

    @Nested
    class UndoRequired {
        final Safeguard undo = new Safeguard("undo_required", "high", Map.of());

        private StepReport step(boolean reversible, boolean hasUndoPlan) {
            return new StepReport("delete contacts", NOON, null, null, 0, reversible, hasUndoPlan, null, List.of());
        }

        @Test
        void anIrreversibleStepNeedsAnUndoPlan() {
            assertThat(check(undo, step(false, false), List.of()))
                    .singleElement()
                    .satisfies(f -> {
                        assertThat(f.code()).isEqualTo("irreversible_without_undo");
                        assertThat(f.detail()).contains("delete contacts");
                    });
            assertThat(codes(undo, step(false, true), List.of())).isEmpty();
            assertThat(codes(undo, step(true, false), List.of())).isEmpty();
        }
    }

    @Nested
    class DataAccess {
        private StepReport using(String... scopes) {
            return new StepReport("read contacts", NOON, null, null, 0, true, false, null, List.of(scopes));
        }

        @Test
        void aScopeThatWasNotGrantedIsNamed() {
            Safeguard any = new Safeguard("data_access", "high", Map.of("scopes", List.of()));
            List<SafeguardFinding> f = SafeguardChecks.check(
                    List.of(any),
                    using("crm.objects.contacts.read", "crm.objects.contacts.delete"),
                    List.of(),
                    List.of("crm.objects.contacts.read"));
            assertThat(f).singleElement().satisfies(x -> {
                assertThat(x.code()).isEqualTo("scope_not_granted");
                assertThat(x.detail()).contains("crm.objects.contacts.delete").doesNotContain("contacts.read");
            });
        }

        @Test
        void aGrantedScopeOutsideTheSafeguardsListIsNamed() {
            Safeguard narrow =
                    new Safeguard("data_access", "high", Map.of("scopes", List.of("crm.objects.contacts.read")));
            List<String> granted = List.of("crm.objects.contacts.read", "crm.objects.deals.read");
            assertThat(SafeguardChecks.check(List.of(narrow), using("crm.objects.contacts.read"), List.of(), granted))
                    .isEmpty();
            assertThat(SafeguardChecks.check(List.of(narrow), using("crm.objects.deals.read"), List.of(), granted))
                    .singleElement()
                    .satisfies(x -> assertThat(x.detail()).contains("crm.objects.deals.read", "does not allow"));
        }
    }

    @Test
    void escalationContactsNeverProduceAFinding() {
        Safeguard contacts = new Safeguard("escalation_contacts", "low", Map.of("contacts", List.of("@governance")));
        StepReport worst =
                new StepReport("x", NOON, "a@b.c", "UTC", 1_000_000, false, false, "guaranteed", List.of("admin"));
        assertThat(SafeguardChecks.check(List.of(contacts), worst, List.of(), List.of()))
                .isEmpty();
    }

    @Test
    void findingsFromSeveralSafeguardsAreAllReported() {
        List<Safeguard> all = List.of(
                new Safeguard("tone", "medium", Map.of("forbiddenWords", List.of("guaranteed"))),
                new Safeguard("undo_required", "high", Map.of()),
                new Safeguard("data_access", "critical", Map.of()));
        StepReport step = new StepReport("x", NOON, null, null, 0, false, false, "Guaranteed!", List.of("admin"));
        assertThat(SafeguardChecks.check(all, step, List.of(), List.of()))
                .extracting(SafeguardFinding::code, SafeguardFinding::severity)
                .containsExactly(
                        Tuple.tuple("forbidden_word", "medium"),
                        Tuple.tuple("irreversible_without_undo", "high"),
                        Tuple.tuple("scope_not_granted", "critical"));
    }

    @Test
    void aMissingLimitFailsInsteadOfLeavingTheSafeguardUnenforced() {
        Safeguard broken = new Safeguard("rate_limit", "medium", Map.of("perHour", 30));
        assertThatThrownBy(() -> check(broken, send(NOON), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate_limit.burst");
        assertThatThrownBy(() -> check(new Safeguard("speed", "low", Map.of()), send(NOON), List.of()))
                .hasMessageContaining("unknown safeguard type 'speed'");
    }

    @ParameterizedTest(name = "attempt {0} waits {1} s")
    @CsvSource({"0,1", "1,2", "2,4", "3,8", "4,16", "5,32", "6,60", "7,60", "40,60", "2147483647,60"})
    void backoffDoublesUpToAMinute(int attempt, long seconds) {
        assertThat(SafeguardChecks.backoff(attempt)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void backoffRefusesANegativeAttempt() {
        assertThatThrownBy(() -> SafeguardChecks.backoff(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class FromJson {
        final ObjectMapper json = new ObjectMapper();

        private StepReport read(String body) throws Exception {
            return StepReport.fromJson(json.readTree(body), true);
        }

        @Test
        void aFullReportIsRead() throws Exception {
            StepReport r = read("""
                    {"action":"send email","at":"2025-03-10T12:00:00Z","recipient":"ana@example.com",
                     "recipientTimeZone":"Europe/Berlin","spendCents":25,"reversible":false,"text":"Hello",
                     "scopesUsed":["mail.send"]}""");
            assertThat(r)
                    .isEqualTo(new StepReport(
                            "send email",
                            NOON,
                            "ana@example.com",
                            "Europe/Berlin",
                            25,
                            false,
                            true,
                            "Hello",
                            List.of("mail.send")));
        }

        @Test
        void optionalFieldsTakeTheirDefaults() throws Exception {
            StepReport r =
                    StepReport.fromJson(json.readTree("{\"action\":\"note\",\"at\":\"2025-03-10T12:00:00Z\"}"), false);
            assertThat(r).isEqualTo(new StepReport("note", NOON, null, null, 0, true, false, null, List.of()));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "{\"at\":\"2025-03-10T12:00:00Z\"}|action is required",
                    "{\"action\":\" \",\"at\":\"2025-03-10T12:00:00Z\"}|action is required",
                    "{\"action\":5,\"at\":\"2025-03-10T12:00:00Z\"}|action must be text",
                    "{\"action\":\"a\"}|at is required",
                    "{\"action\":\"a\",\"at\":\"2025-03-10 12:00\"}|at must be an ISO-8601 instant",
                    "{\"action\":\"a\",\"at\":\"2025-03-10T12:00:00Z\",\"recipientTimeZone\":\"Mars/Olympus\"}|recipientTimeZone must be an IANA time-zone id",
                    "{\"action\":\"a\",\"at\":\"2025-03-10T12:00:00Z\",\"spendCents\":-1}|spendCents must be a whole number of cents, 0 or more (got -1)",
                    "{\"action\":\"a\",\"at\":\"2025-03-10T12:00:00Z\",\"spendCents\":1.5}|spendCents must be a whole number",
                    "{\"action\":\"a\",\"at\":\"2025-03-10T12:00:00Z\",\"spendCents\":\"10\"}|spendCents must be a whole number",
                    "{\"action\":\"a\",\"at\":\"2025-03-10T12:00:00Z\",\"reversible\":\"no\"}|reversible must be true or false",
                    "{\"action\":\"a\",\"at\":\"2025-03-10T12:00:00Z\",\"scopesUsed\":\"mail.send\"}|scopesUsed must be an array",
                    "{\"action\":\"a\",\"at\":\"2025-03-10T12:00:00Z\",\"scopesUsed\":[\"ok\",3]}|scopesUsed must hold only non-blank scope names",
                    "{\"action\":\"a\",\"at\":\"2025-03-10T12:00:00Z\",\"recipient\":[\"x\"]}|recipient must be text",
                    "[]|a step report must be a JSON object"
                })
        void aBadFieldIsNamedInTheMessage(String body, String message) {
            assertThatThrownBy(() -> read(body))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message);
        }
    }

    /** The budget_cap safeguard on the agents' reported cost (the agent ledger's sum across agents). */
    @Nested
    class AgentBudget {
        final Safeguard cap = new Safeguard("budget_cap", "high", Map.of("centsPerDay", 100));
        final LocalDate day = LocalDate.parse("2025-03-10");
        final List<AgentRunStore.AgentTotals> agents = List.of(
                new AgentRunStore.AgentTotals("agent-a", 2, 10, 5, new BigDecimal("70")),
                new AgentRunStore.AgentTotals("agent-b", 1, 10, 5, new BigDecimal("35.5")));

        @Test
        void atTheCapIsWithinIt() {
            assertThat(SafeguardChecks.agentBudget(cap, day, new BigDecimal("100.0000"), agents))
                    .isEmpty();
        }

        @Test
        void aboveTheCapIsAFindingNamingTheSumTheAgentsAndTheCap() {
            var finding = SafeguardChecks.agentBudget(cap, day, new BigDecimal("105.5"), agents)
                    .orElseThrow();
            assertThat(finding.code()).isEqualTo(SafeguardFinding.BUDGET_EXCEEDED);
            assertThat(finding.severity()).isEqualTo("high");
            assertThat(finding.detail())
                    .isEqualTo("budget_cap: the agents' reported cost on 2025-03-10 (UTC) is 105.5 "
                            + "cents across 2 agents (agent-a 70, agent-b 35.5); the cap is 100 cents a day");
        }

        @Test
        void aMalformedCapFailsLoudly() {
            assertThatThrownBy(() -> SafeguardChecks.agentBudget(
                            new Safeguard("budget_cap", "high", Map.of()), day, BigDecimal.ONE, agents))
                    .hasMessageContaining("centsPerDay");
        }
    }
}
