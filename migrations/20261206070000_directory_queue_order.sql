-- migrate:up

-- Refreshes claim the oldest requests first (ORDER BY requested_at LIMIT n), and every listing
-- request claims a few: without an index that was a scan and sort of the whole queue, dead rows
-- included (0.5 ms and 637 pages at 100,000 experts right after the index was built).
CREATE INDEX directory_refresh_queue_requested ON directory_refresh_queue (requested_at);

-- migrate:down
DROP INDEX directory_refresh_queue_requested;
