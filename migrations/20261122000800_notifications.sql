-- migrate:up

-- Each user's notifications are numbered 1, 2, 3 ... in commit order: taking the next number locks the
-- user's counter row until the creating transaction ends, so a stream that has sent number n never
-- later sees a smaller number appear. The number is the SSE event id (Last-Event-ID).
CREATE TABLE notification_counters (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_seq bigint NOT NULL
);

CREATE TABLE notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seq bigint NOT NULL CHECK (seq > 0),
    kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' AND length(kind) <= 64),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body text NOT NULL CHECK (length(body) <= 2000),
    data jsonb NOT NULL DEFAULT '{}',
    important boolean NOT NULL DEFAULT false,
    dedupe_key text,
    created_at timestamptz NOT NULL,
    read_at timestamptz,
    -- set when an email went out with it, or when the unread fallback email was queued: never twice
    emailed_at timestamptz,
    UNIQUE (user_id, seq),
    UNIQUE (user_id, dedupe_key)
);
-- The inbox: unread first, newest first (scanned backwards), keyset on ((read_at IS NULL), seq).
CREATE INDEX notifications_inbox ON notifications (user_id, (read_at IS NULL), seq);
-- The fallback sweep: important, unread and not yet emailed.
CREATE INDEX notifications_unread_important ON notifications (created_at)
    WHERE important AND read_at IS NULL AND emailed_at IS NULL;

-- Short-lived, single-use tickets that authenticate an EventSource (which cannot send headers).
CREATE TABLE stream_tickets (
    ticket_hash bytea PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX stream_tickets_expires ON stream_tickets (expires_at);

-- One row per logical email (its dedupe key): 'sending' = tried, not confirmed; 'sent' = accepted by
-- the SMTP server; 'rejected' = permanently refused. Message-ID is derived from the key, so a retry
-- re-sends the same Message-ID.
CREATE TYPE sent_email_status AS ENUM ('sending', 'sent', 'rejected');

CREATE TABLE sent_emails (
    email_key text PRIMARY KEY,
    message_id text NOT NULL,
    template text NOT NULL,
    recipients text[] NOT NULL,
    status sent_email_status NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    first_attempt_at timestamptz NOT NULL,
    last_attempt_at timestamptz NOT NULL,
    sent_at timestamptz,
    last_error text
);

-- migrate:down
DROP TABLE sent_emails;
DROP TYPE sent_email_status;
DROP TABLE stream_tickets;
DROP TABLE notifications;
DROP TABLE notification_counters;
