package io.controlplane.journey;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The step contract as the service enforces it: what each task, start form and agent topic accepts. */
@RestController
@RequestMapping("/api/contract")
class ContractController {
    private final StepContract contract;

    ContractController(StepContract contract) {
        this.contract = contract;
    }

    record Step(String process, String element, String source, JsonNode schema) {}

    /** A topic: the schema of its completion ({@code schema}) and of what its tasks carry ({@code inputSchema}). */
    record Topic(String element, String source, JsonNode schema, String inputSource, JsonNode inputSchema) {}

    /** The whole contract: every topic, user task and start form. */
    record Contract(List<Topic> topics, List<Step> userTasks, List<Step> startForms) {}

    @Operation(summary = "The step contract: every topic's schemas, and what each user task and start form accepts")
    @GetMapping
    Contract all() {
        return new Contract(
                contract.topics().values().stream()
                        .map(s -> new Topic(
                                s.element(),
                                s.source(),
                                s.schema(),
                                "docs/contract/inputs/" + s.element() + ".schema.json",
                                contract.topicInput(s.element()).orElseThrow()))
                        .toList(),
                contract.userTasks().stream().map(ContractController::step).toList(),
                contract.startForms().stream().map(ContractController::step).toList());
    }

    /** The JSON Schema of one topic's completion variables (also in docs/contract/topics/). */
    @Operation(
            summary = "What a topic's completion must send, as JSON Schema",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "The topic's result schema",
                        content = @Content(mediaType = "application/schema+json", schema = @Schema(type = "object")))
            })
    @GetMapping("/topics/{topic}")
    ResponseEntity<JsonNode> topic(@PathVariable String topic) {
        StepContract.Step step = contract.topic(topic)
                .orElseThrow(() -> new NotFoundException("No topic " + topic + "; the topics are "
                        + String.join(", ", contract.topics().keySet())));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/schema+json"))
                .body(step.schema());
    }

    /** The JSON Schema of what one topic's tasks carry (also in docs/contract/inputs/). */
    @Operation(
            summary = "What a topic's task carries (its variables, Camunda types and scopes), as JSON Schema",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "The topic's input schema",
                        content = @Content(mediaType = "application/schema+json", schema = @Schema(type = "object")))
            })
    @GetMapping("/topics/{topic}/input")
    ResponseEntity<JsonNode> input(@PathVariable String topic) {
        JsonNode schema = contract.topicInput(topic)
                .orElseThrow(() -> new NotFoundException("No topic " + topic + "; the topics are "
                        + String.join(", ", contract.topics().keySet())));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/schema+json"))
                .body(schema);
    }

    private static Step step(StepContract.Step s) {
        return new Step(s.process(), s.element(), s.source(), s.schema());
    }
}
