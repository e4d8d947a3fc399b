package io.controlplane.journey;

import com.fasterxml.jackson.databind.JsonNode;
import io.controlplane.platform.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
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

    record Step(String process, String element, String source, JsonNode schema) {
    }

    @GetMapping
    Map<String, Object> all() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("topics", contract.topics().values().stream().map(ContractController::step).toList());
        out.put("userTasks", contract.userTasks().stream().map(ContractController::step).toList());
        out.put("startForms", contract.startForms().stream().map(ContractController::step).toList());
        return out;
    }

    /** The JSON Schema of one topic's completion variables (also in docs/contract/topics/). */
    @GetMapping("/topics/{topic}")
    ResponseEntity<JsonNode> topic(@PathVariable String topic) {
        StepContract.Step step = contract.topic(topic).orElseThrow(() -> new NotFoundException("No topic " + topic
                + "; the topics are " + String.join(", ", contract.topics().keySet())));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/schema+json")).body(step.schema());
    }

    private static Step step(StepContract.Step s) {
        return new Step(s.process(), s.element(), s.source(), s.schema());
    }
}
