-- The checkpoints the control plane offered in Slack, one row per waiting user task: a decision button counts only
-- for a task recorded here (a press naming any other task is refused), and the message's channel and timestamp let
-- the service update it in place (chat.update) with who decided what. Slack's own ids, never a person's identity.
CREATE TABLE slack_offers (
    task_id    VARCHAR(64)              NOT NULL PRIMARY KEY,
    checkpoint VARCHAR(100)             NOT NULL,
    mission_id VARCHAR(64),
    channel    VARCHAR(100),
    message_ts VARCHAR(40),
    offered_at TIMESTAMP WITH TIME ZONE NOT NULL
);
