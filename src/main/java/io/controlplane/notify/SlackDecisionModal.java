package io.controlplane.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.controlplane.governance.Checkpoint;
import io.controlplane.mission.MissionStore;

/**
 * The modal {@link SlackDecisions} opens for a decision that needs a note or a confirmation: what is decided, the
 * confirmation where the form has one, the note; the task and the decision ride in {@code private_metadata}.
 */
class SlackDecisionModal {
    private final MissionStore missions;
    private final ObjectMapper json;

    SlackDecisionModal(MissionStore missions, ObjectMapper json) {
        this.missions = missions;
        this.json = json;
    }

    /** The decision's modal view, as views.open takes it. */
    String view(SlackDecisionChecks.Checked checked, String decision) {
        Checkpoint checkpoint = checked.checkpoint();
        ObjectNode view = json.createObjectNode();
        view.put("type", "modal");
        view.put("callback_id", SlackDecisions.VIEW_CALLBACK);
        // the task and the decision only; at submission both are checked again against the service's records
        view.put("private_metadata", checked.task().getId() + " " + decision);
        view.set("title", plain(NotificationText.truncate(SlackBlocks.label(decision), 24)));
        view.set("submit", plain("Submit"));
        view.set("close", plain("Cancel"));
        ArrayNode blocks = view.putArray("blocks");
        String mission = checked.offer().missionId() == null
                ? ""
                : missions.find(checked.offer().missionId())
                        .map(m -> m.title() + " (" + m.id() + ")")
                        .orElse(checked.offer().missionId());
        ObjectNode intro = blocks.addObject().put("type", "section");
        intro.putObject("text")
                .put("type", "mrkdwn")
                .put("verbatim", true)
                .put(
                        "text",
                        NotificationText.slackLine(
                                checkpoint.displayName() + ": " + SlackBlocks.label(decision)
                                        + (mission.isEmpty() ? "" : " — " + mission),
                                SlackNotifier.SECTION_MAX));
        addInputs(blocks, checkpoint, decision);
        return view.toString();
    }

    /** The confirmation (where the checkpoint asks for one) and the note. */
    private void addInputs(ArrayNode blocks, Checkpoint checkpoint, String decision) {
        checkpoint.confirmationFor(decision).ifPresent(what -> {
            ObjectNode confirm = blocks.addObject().put("type", "input").put("block_id", SlackDecisions.CONFIRM_BLOCK);
            confirm.set("label", plain("Confirm"));
            ObjectNode element = confirm.putObject("element")
                    .put("type", "checkboxes")
                    .put("action_id", SlackDecisions.CONFIRM_ACTION);
            element.putArray("options")
                    .addObject()
                    .put("value", SlackDecisions.CONFIRMED)
                    .set("text", plain(what));
        });
        boolean required = checkpoint.noteRequired(decision);
        ObjectNode note = blocks.addObject()
                .put("type", "input")
                .put("block_id", SlackDecisions.NOTE_BLOCK)
                .put("optional", !required);
        note.set("label", plain(required ? "Reason (required)" : "Note"));
        note.putObject("element")
                .put("type", "plain_text_input")
                .put("action_id", SlackDecisions.NOTE_ACTION)
                .put("multiline", true)
                .put("max_length", 2000);
    }

    private ObjectNode plain(String text) {
        ObjectNode node = json.createObjectNode();
        node.put("type", "plain_text");
        node.put("text", text);
        return node;
    }
}
