package io.controlplane.mission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StageTest {

    @ParameterizedTest
    @CsvSource({
        "Intake, DEFINE",
        "Mission Brief, DEFINE",
        "toolkits-and-connect, PREPARE",
        "Toolkits & Connect, PREPARE",
        "Data Inspect, PREPARE",
        "plan, PLAN_APPROVE",
        "Governed Execution, EXECUTE_OBSERVE",
        "Evidence, EXECUTE_OBSERVE",
        "FEEDBACK, REFLECT_IMPROVE"
    })
    void legacyEightStageNamesMapToTheFiveStages(String legacy, Stage expected) {
        assertThat(Stage.fromLegacy(legacy)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"plan_approve, PLAN_APPROVE", "EXECUTE-OBSERVE, EXECUTE_OBSERVE", " define , DEFINE"})
    void codesAreCaseAndSeparatorTolerant(String code, Stage expected) {
        assertThat(Stage.fromCode(code)).contains(expected);
        assertThat(Stage.fromLegacy("Launch")).isEmpty();
    }
}
