-- migrate:up

-- An admin may hold a payout that has not been sent to the provider yet, and release it later.
-- A held payout keeps its amount out of the expert's available balance, as a pending one does.
ALTER TYPE payout_status ADD VALUE IF NOT EXISTS 'held' AFTER 'pending';

-- migrate:down
-- PostgreSQL cannot drop an enum value; held payouts are released back to pending instead.
UPDATE payouts SET status = 'pending' WHERE status = 'held';
