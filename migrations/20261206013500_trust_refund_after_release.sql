-- migrate:up

-- An admin may refund a completed booking after its money was released: the refund is taken back
-- from the expert's available balance and the platform's fee, in one entry per refund. The new
-- kind is used by the next migration: an enum value cannot be used in the transaction that adds it.
ALTER TYPE ledger_entry_kind ADD VALUE IF NOT EXISTS 'refund_after_release' AFTER 'refund_paid';

-- migrate:down
-- PostgreSQL cannot drop an enum value; the next migration's down removes its use.
SELECT 1;
