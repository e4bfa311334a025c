-- migrate:up

-- One row per open notification stream, on whichever API process serves it, so that the per-user cap
-- (MAX_STREAMS_PER_USER) counts every process. A row is a lease: the serving process renews
-- expires_at on the stream's heartbeats and deletes the row when the stream ends; the row of a
-- process that died without cleaning up stops counting once it expires, and a sweep deletes it.
CREATE TABLE notification_streams (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    opened_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX notification_streams_user ON notification_streams (user_id, expires_at);
CREATE INDEX notification_streams_expires ON notification_streams (expires_at);

-- migrate:down
DROP TABLE notification_streams;
