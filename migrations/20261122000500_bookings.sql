-- migrate:up
-- A booking is the agreement between a client and an expert; its call is the meeting itself.
CREATE TABLE calls (
    id uuid PRIMARY KEY,
    expert_id uuid NOT NULL REFERENCES users (id),
    client_id uuid NOT NULL REFERENCES users (id),
    area_id uuid NOT NULL REFERENCES expertise_areas (id),
    starts_at timestamptz NOT NULL,
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 240 AND duration_minutes % 15 = 0),
    ends_at timestamptz NOT NULL,
    -- The call widened by the expert's buffers in force when it was booked (domain.availability.blocked_range).
    blocked tstzrange NOT NULL,
    price_amount bigint NOT NULL CHECK (price_amount > 0),
    currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    platform_fee_bps integer NOT NULL CHECK (platform_fee_bps BETWEEN 0 AND 10000),
    status text NOT NULL DEFAULT 'scheduled' CHECK (
        status IN ('scheduled', 'in_progress', 'completed', 'cancelled', 'no_show_client', 'no_show_expert')
    ),
    room_name text NOT NULL UNIQUE,
    actual_started_at timestamptz,
    ended_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at = starts_at + make_interval(mins => duration_minutes)),
    CHECK (lower(blocked) <= starts_at AND upper(blocked) >= ends_at),
    CHECK (expert_id <> client_id)
);
CREATE INDEX calls_expert_start ON calls (expert_id, starts_at, id);
CREATE INDEX calls_client_start ON calls (client_id, starts_at, id);

CREATE TABLE bookings (
    id uuid PRIMARY KEY,
    call_id uuid NOT NULL UNIQUE REFERENCES calls (id),
    client_id uuid NOT NULL REFERENCES users (id),
    expert_id uuid NOT NULL REFERENCES users (id),
    area_id uuid NOT NULL REFERENCES expertise_areas (id),
    status text NOT NULL DEFAULT 'pending' CHECK (
        status IN (
            'pending', 'confirmed', 'reschedule_proposed', 'cancelled', 'declined', 'expired',
            'completed', 'no_show_client', 'no_show_expert'
        )
    ),
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    status_reason text,
    proposed_start timestamptz,
    proposed_end timestamptz,
    -- The RFC 5545 SEQUENCE of the booking's calendar event; an invite exists once confirmed_at is set.
    sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    confirmed_at timestamptz,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK ((proposed_start IS NULL) = (proposed_end IS NULL)),
    CHECK ((status = 'reschedule_proposed') = (proposed_start IS NOT NULL))
);
CREATE INDEX bookings_client ON bookings (client_id);
CREATE INDEX bookings_expert ON bookings (expert_id);
CREATE INDEX bookings_awaiting_answer ON bookings (expires_at) WHERE status IN ('pending', 'reschedule_proposed');

-- Time a booking takes out of each participant's calendar: one row per participant and kind. The
-- expert's row is the blocked range (buffers included), the client's the plain call. A reschedule
-- proposal holds its new time as well until the client answers, so both ranges are reserved.
-- Overlapping active holds of one person are impossible: the exclusion constraint is the only
-- arbiter of "is this time free", for every path that makes a booking active or moves it.
CREATE TABLE time_holds (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('booking', 'proposal')),
    holder_id uuid NOT NULL REFERENCES users (id),
    side text NOT NULL CHECK (side IN ('expert', 'client')),
    during tstzrange NOT NULL CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
    active boolean NOT NULL DEFAULT true,
    UNIQUE (booking_id, kind, side),
    CONSTRAINT time_holds_no_overlap EXCLUDE USING gist (
        holder_id WITH =, booking_id WITH <>, during WITH &&
    ) WHERE (active)
);
CREATE INDEX time_holds_booking ON time_holds (booking_id);

-- "active" mirrors the booking's status in the same transaction: pending, confirmed or
-- reschedule_proposed bookings hold time; any other status releases it and drops a proposal.
CREATE FUNCTION time_holds_follow_booking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('pending', 'confirmed', 'reschedule_proposed') THEN
        RETURN NULL;
    END IF;
    DELETE FROM time_holds WHERE booking_id = NEW.id AND kind = 'proposal';
    UPDATE time_holds SET active = false WHERE booking_id = NEW.id AND active;
    RETURN NULL;
END;
$$;
CREATE TRIGGER bookings_release_holds AFTER UPDATE OF status ON bookings
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION time_holds_follow_booking();

-- The audit trail: one row per transition, never changed or removed.
CREATE TABLE booking_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id uuid NOT NULL REFERENCES bookings (id),
    actor_id uuid REFERENCES users (id),
    actor_role text NOT NULL CHECK (actor_role IN ('client', 'expert', 'admin', 'system')),
    action text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    reason text,
    data jsonb NOT NULL DEFAULT '{}'::jsonb,
    at timestamptz NOT NULL
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, id);

CREATE FUNCTION booking_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'booking_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER booking_events_no_change BEFORE UPDATE OR DELETE ON booking_events
    FOR EACH ROW EXECUTE FUNCTION booking_events_append_only();

-- Idempotency-Key records for money-moving POSTs, per user and operation. The row is claimed
-- ('in_progress', committed on its own) before the operation runs and completed in the operation's
-- own transaction, so a result is stored exactly when the change it describes commits.
CREATE TABLE idempotency_keys (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope text NOT NULL,
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint bytea NOT NULL,
    token uuid NOT NULL,
    state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
    result jsonb,
    claimed_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, scope, key),
    CHECK ((state = 'completed') = (result IS NOT NULL))
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- migrate:down
DROP TABLE idempotency_keys;
DROP TRIGGER booking_events_no_change ON booking_events;
DROP FUNCTION booking_events_append_only();
DROP TABLE booking_events;
DROP TRIGGER bookings_release_holds ON bookings;
DROP FUNCTION time_holds_follow_booking();
DROP TABLE time_holds;
DROP TABLE bookings;
DROP TABLE calls;
