-- migrate:up

-- Every upload gets a fresh key, so no two users can point at one object; the index also lets the
-- orphan sweep ask "which of these stored keys does anyone still use?" without scanning users.
CREATE UNIQUE INDEX users_avatar_key ON users (avatar_key) WHERE avatar_key IS NOT NULL;

-- migrate:down
DROP INDEX users_avatar_key;
