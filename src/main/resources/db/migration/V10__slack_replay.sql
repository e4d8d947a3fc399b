-- Slack interaction requests already accepted, by their signature (which covers the request's timestamp and body):
-- the same signed request sent again within the 5 minutes its timestamp stays valid is refused, on whichever node
-- of a cluster it arrives (docs/cluster.md). Rows older than that window are pruned as new requests arrive.
CREATE TABLE slack_replays (
    signature  VARCHAR(100)             NOT NULL PRIMARY KEY,
    request_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX idx_slack_replays_request_at ON slack_replays (request_at);
