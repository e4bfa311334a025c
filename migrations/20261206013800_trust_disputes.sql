-- migrate:up

-- A client's dispute of a finished call, opened within the dispute window. While one is open the
-- booking's money stays in escrow; an admin resolves it by releasing, or refunding part or all.
CREATE TABLE disputes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    booking_id uuid NOT NULL UNIQUE REFERENCES bookings (id),
    client_id uuid NOT NULL REFERENCES users (id),
    expert_id uuid NOT NULL REFERENCES users (id),
    reason text NOT NULL CHECK (reason IN ('expert_absent', 'ended_early', 'could_not_hear_or_see', 'other')),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution text CHECK (resolution IN ('release', 'partial_refund', 'full_refund')),
    refund_bps integer CHECK (refund_bps BETWEEN 0 AND 10000),
    resolution_reason text CHECK (length(resolution_reason) <= 1000),
    resolved_by uuid REFERENCES users (id),
    resolved_at timestamptz,
    created_at timestamptz NOT NULL,
    CHECK ((status = 'resolved') = (resolution IS NOT NULL AND resolved_at IS NOT NULL))
);
CREATE INDEX disputes_open ON disputes (created_at) WHERE status = 'open';

-- A client may also confirm the call went well, which releases the money before the window closes.
ALTER TABLE bookings ADD COLUMN client_confirmed_at timestamptz;

-- migrate:down
ALTER TABLE bookings DROP COLUMN client_confirmed_at;
DROP TABLE disputes;
