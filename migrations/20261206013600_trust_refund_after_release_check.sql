-- migrate:up

-- Entries of a payment now include refunds taken back after release.
DO $$
DECLARE
    old_check text;
BEGIN
    SELECT conname INTO old_check FROM pg_constraint
    WHERE conrelid = 'ledger_entries'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%payment_id IS NOT NULL%';
    EXECUTE format('ALTER TABLE ledger_entries DROP CONSTRAINT %I', old_check);
END;
$$;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_payment_kinds CHECK (
    (kind IN ('hold', 'release', 'refund', 'refund_paid', 'refund_after_release')) = (payment_id IS NOT NULL)
);

-- migrate:down
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_payment_kinds;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_check CHECK (
    (kind IN ('hold', 'release', 'refund', 'refund_paid')) = (payment_id IS NOT NULL)
);
