-- migrate:up

-- A stream ticket remembers the user's newest notification when it was issued: a stream opened
-- without Last-Event-ID starts there, so a notification committed between minting the ticket and
-- opening the stream is still delivered. Tickets issued before this migration have none (NULL) and
-- start at the newest notification when they open, as before; they expire within a minute.
ALTER TABLE stream_tickets ADD COLUMN after_seq bigint CHECK (after_seq >= 0);

-- migrate:down
ALTER TABLE stream_tickets DROP COLUMN after_seq;
