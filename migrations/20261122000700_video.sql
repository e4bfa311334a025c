-- migrate:up
-- What the video server told us about who was in a call's room (webhooks), and what we saw when we
-- asked it ourselves (the reconcile job). Presence is recomputed from the whole set, never from the
-- order rows arrived in (domain/attendance.py); event_id makes every delivery idempotent.
CREATE TABLE attendance_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text NOT NULL UNIQUE CHECK (length(event_id) BETWEEN 1 AND 200),
    call_id uuid NOT NULL REFERENCES calls (id),
    kind text NOT NULL CHECK (kind IN ('joined', 'left', 'present', 'room_finished')),
    -- The participant (our user id as the token's identity) and their connection (participant sid).
    identity text,
    session text,
    -- The event's created_at at the video server, or when we observed the room.
    occurred_at timestamptz NOT NULL,
    -- When the session started, as the video server reports it.
    joined_at timestamptz,
    source text NOT NULL CHECK (source IN ('webhook', 'reconcile')),
    received_at timestamptz NOT NULL,
    CHECK ((kind = 'room_finished') = (identity IS NULL))
);
CREATE INDEX attendance_events_call ON attendance_events (call_id, occurred_at);

-- The expert's private notes on a call; nobody else reads them.
CREATE TABLE call_notes (
    call_id uuid PRIMARY KEY REFERENCES calls (id),
    expert_id uuid NOT NULL REFERENCES users (id),
    body text NOT NULL CHECK (length(body) <= 20000),
    updated_at timestamptz NOT NULL
);

-- Neither party came: the booking ends with a full refund and blames nobody.
ALTER TABLE bookings DROP CONSTRAINT bookings_status_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (
    status IN (
        'pending', 'confirmed', 'reschedule_proposed', 'cancelled', 'declined', 'expired',
        'completed', 'no_show_client', 'no_show_expert', 'no_show_both'
    )
);
ALTER TABLE calls DROP CONSTRAINT calls_status_check;
ALTER TABLE calls ADD CONSTRAINT calls_status_check CHECK (
    status IN ('scheduled', 'in_progress', 'completed', 'cancelled', 'no_show_client', 'no_show_expert', 'no_show_both')
);

-- The call jobs sweep confirmed bookings whose call is due; there are few at any time.
CREATE INDEX bookings_confirmed_calls ON bookings (call_id) WHERE status = 'confirmed';

-- migrate:down
DROP INDEX bookings_confirmed_calls;
ALTER TABLE calls DROP CONSTRAINT calls_status_check;
ALTER TABLE calls ADD CONSTRAINT calls_status_check CHECK (
    status IN ('scheduled', 'in_progress', 'completed', 'cancelled', 'no_show_client', 'no_show_expert')
);
ALTER TABLE bookings DROP CONSTRAINT bookings_status_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (
    status IN (
        'pending', 'confirmed', 'reschedule_proposed', 'cancelled', 'declined', 'expired',
        'completed', 'no_show_client', 'no_show_expert'
    )
);
DROP TABLE call_notes;
DROP TABLE attendance_events;
