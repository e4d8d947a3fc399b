package io.controlplane.journey;

import static io.controlplane.rhythm.Rhythm.Typed;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.controlplane.platform.JsonValues;
import io.controlplane.rhythm.MeetingRuns;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service tasks of {@code bpmn/rhythm-*.bpmn}, by the bean names the models use, over {@link MeetingRuns}. */
@Configuration
class RhythmProcesses {

    @Bean
    JavaDelegate rhythmDigestDelegate(MeetingRuns runs, JsonValues json) {
        return execution -> {
            MeetingRuns.Compiled run =
                    runs.compile(Typed.MEETING_TYPE.orNull(execution), execution.getProcessInstanceId());
            execution.setProcessBusinessKey(run.businessKey());
            Typed.MEETING_NOTE_ID.set(execution, run.noteId());
            Typed.MEETING_TITLE.set(execution, run.title());
            Typed.MEETING_PERIOD.set(execution, run.period());
            // as Json: the digest is longer than a string variable may be
            Typed.DIGEST_SUMMARY.set(
                    execution, JsonNodeFactory.instance.objectNode().put("text", run.slackText()));
            execution.setVariable(Typed.MISSED_KPIS.name(), json.variable(run.missedKpis()));
        };
    }

    @Bean
    JavaDelegate rhythmPostDelegate(MeetingRuns runs) {
        return execution -> runs.post(
                Typed.MEETING_TYPE.orNull(execution),
                Typed.MEETING_TITLE.orNull(execution),
                Typed.DIGEST_SUMMARY.required(execution).path("text").asText(),
                execution.getProcessBusinessKey());
    }
}
