-- The exact payload each channel was given (Slack: the chat.postMessage arguments with the Block Kit blocks;
-- PagerDuty: the event; e-mail: the body), so people can check what was shown and not only the fallback text.
-- Never a credential: Slack's token travels in a header, PagerDuty's routing key is left out. Older rows: NULL.
ALTER TABLE notification_log ADD COLUMN payload TEXT;
