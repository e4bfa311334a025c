-- migrate:up

-- A notification stream belongs to the session whose ticket opened it: signing that session out
-- (or out everywhere) ends the stream. Tickets issued before this migration carry no session and
-- expire within a minute; until then they are refused.
DELETE FROM stream_tickets;
ALTER TABLE stream_tickets ADD COLUMN session_id uuid NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE;

-- migrate:down
ALTER TABLE stream_tickets DROP COLUMN session_id;
