-- migrate:up

-- One review per booking, by its client, after a completed call. expert_id and client_id are copied
-- from the booking so the profile's reads need no join; hidden reviews stay for the record but leave
-- the public list and the expert's average (expert_profiles.rating_average / review_count, which the
-- service recomputes in the same transaction as every change here).
CREATE TABLE reviews (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    booking_id uuid NOT NULL UNIQUE REFERENCES bookings (id),
    expert_id uuid NOT NULL REFERENCES users (id),
    client_id uuid NOT NULL REFERENCES users (id),
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text NOT NULL DEFAULT '' CHECK (length(body) <= 2000),
    reply text CHECK (length(reply) BETWEEN 1 AND 2000),
    replied_at timestamptz,
    hidden_at timestamptz,
    hidden_by uuid REFERENCES users (id) ON DELETE SET NULL,
    hidden_reason text CHECK (length(hidden_reason) <= 1000),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK ((reply IS NULL) = (replied_at IS NULL)),
    CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL))
);
CREATE INDEX reviews_expert_latest ON reviews (expert_id, created_at DESC, id DESC) WHERE hidden_at IS NULL;
CREATE INDEX reviews_client ON reviews (client_id);

-- migrate:down
DROP TABLE reviews;
