-- migrate:up

-- Experts a user keeps an eye on. "New hours" notices are deduplicated per day through the
-- notifications' own (user_id, dedupe_key) uniqueness, so nothing else is stored here.
CREATE TABLE favorites (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expert_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, expert_id),
    CHECK (user_id <> expert_id)
);
CREATE INDEX favorites_expert ON favorites (expert_id);

-- migrate:down
DROP TABLE favorites;
