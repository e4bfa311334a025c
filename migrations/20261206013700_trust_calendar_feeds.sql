-- migrate:up

-- One private calendar subscription per user: the URL carries a random token, only its hash is
-- kept; making a new URL replaces the old one, revoking deletes it.
CREATE TABLE calendar_feeds (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

-- migrate:down
DROP TABLE calendar_feeds;
