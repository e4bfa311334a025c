-- migrate:up
-- Escrow payments, refunds, payouts and the double-entry ledger that accounts for every movement.
-- Money is bigint minor units plus an ISO currency everywhere; no numeric/float on the money path.

CREATE TYPE payment_status AS ENUM (
    'pending', 'held', 'released', 'refunded', 'partially_refunded', 'cancelled', 'expired', 'failed'
);
CREATE TYPE refund_status AS ENUM ('queued', 'submitting', 'submitted', 'processed', 'failed');
CREATE TYPE payout_status AS ENUM ('pending', 'processing', 'paid', 'failed', 'reversed');
CREATE TYPE ledger_account_kind AS ENUM (
    'client_payments', 'escrow_held', 'refunds_pending', 'platform_fees',
    'expert_available', 'payouts_pending', 'expert_paid_out'
);
CREATE TYPE ledger_entry_kind AS ENUM (
    'hold', 'release', 'refund', 'refund_paid',
    'payout_requested', 'payout_paid', 'payout_returned', 'payout_reversed'
);

-- Rows that record history are never changed or removed (TRUNCATE, for test resets, stays possible).
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;

-- One payment per booking. amount/currency: the price asked; received_*: what the provider confirmed.
CREATE TABLE payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    booking_id uuid NOT NULL UNIQUE REFERENCES bookings (id),
    reference text NOT NULL UNIQUE CHECK (reference ~ '^[A-Za-z0-9.=-]{1,100}$'),
    client_id uuid NOT NULL REFERENCES users (id),
    expert_id uuid NOT NULL REFERENCES users (id),
    amount bigint NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status payment_status NOT NULL DEFAULT 'pending',
    authorization_url text NOT NULL,
    provider_transaction_id bigint,
    received_amount bigint CHECK (received_amount > 0),
    received_currency char(3),
    paid_at timestamptz,
    refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
    expert_amount bigint NOT NULL DEFAULT 0 CHECK (expert_amount >= 0),
    fee_amount bigint NOT NULL DEFAULT 0 CHECK (fee_amount >= 0),
    fee_bps integer CHECK (fee_bps BETWEEN 0 AND 10000),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK ((received_amount IS NULL) = (received_currency IS NULL)),
    CHECK (refunded_amount + expert_amount + fee_amount <= coalesce(received_amount, 0)),
    CHECK (status IN ('pending', 'cancelled', 'expired') OR received_amount IS NOT NULL)
);
CREATE INDEX payments_pending ON payments (created_at) WHERE status = 'pending';
CREATE INDEX payments_client ON payments (client_id);
CREATE INDEX payments_expert ON payments (expert_id);

-- Refunds given back from a payment. provider_refund_id names the current attempt at the provider once
-- known; earlier attempts that failed there are kept in failed_provider_ids, so their late events are ignored.
CREATE TABLE refunds (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    payment_id uuid NOT NULL REFERENCES payments (id),
    amount bigint NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL,
    status refund_status NOT NULL DEFAULT 'queued',
    reason text NOT NULL DEFAULT '',
    provider_refund_id bigint UNIQUE,
    failed_provider_ids bigint[] NOT NULL DEFAULT '{}',
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    next_attempt_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    processed_at timestamptz
);
CREATE INDEX refunds_payment ON refunds (payment_id);
CREATE INDEX refunds_open ON refunds (status, next_attempt_at) WHERE status <> 'processed';

-- Every payment and refund state change, in order.
CREATE TABLE payment_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id uuid NOT NULL REFERENCES payments (id),
    refund_id uuid REFERENCES refunds (id),
    from_status text,
    to_status text NOT NULL,
    reason text NOT NULL DEFAULT '',
    detail jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, id);
CREATE TRIGGER payment_events_append_only BEFORE UPDATE OR DELETE ON payment_events
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- The expert's bank account as a provider transfer recipient; the full account number is never stored.
CREATE TABLE payout_accounts (
    expert_id uuid NOT NULL REFERENCES users (id),
    currency char(3) NOT NULL,
    recipient_code text NOT NULL,
    bank_code text NOT NULL,
    account_last4 char(4) NOT NULL CHECK (account_last4 ~ '^[0-9]{4}$'),
    name text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (expert_id, currency)
);

-- A payout's id is also its transfer reference at the provider (the provider's idempotency key).
CREATE TABLE payouts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    expert_id uuid NOT NULL REFERENCES users (id),
    amount bigint NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL,
    status payout_status NOT NULL DEFAULT 'pending',
    recipient_code text NOT NULL,
    transfer_code text,
    failure_reason text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX payouts_expert ON payouts (expert_id, created_at DESC);
CREATE INDEX payouts_in_flight ON payouts (updated_at) WHERE status IN ('pending', 'processing');

CREATE TABLE payout_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payout_id uuid NOT NULL REFERENCES payouts (id),
    from_status text,
    to_status text NOT NULL,
    reason text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);
CREATE INDEX payout_events_payout ON payout_events (payout_id, id);
CREATE TRIGGER payout_events_append_only BEFORE UPDATE OR DELETE ON payout_events
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Provider webhooks carry no event id: (event, data.reference or data.id) identifies a delivery.
CREATE TABLE webhook_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider text NOT NULL,
    event text NOT NULL,
    key text NOT NULL,
    outcome text NOT NULL,
    payload jsonb NOT NULL,
    received_at timestamptz NOT NULL,
    UNIQUE (provider, event, key)
);

-- The ledger. Accounts are per currency; per-expert kinds carry the expert as owner.
CREATE TABLE ledger_accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind ledger_account_kind NOT NULL,
    owner_id uuid REFERENCES users (id),
    currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (kind, owner_id, currency),
    UNIQUE (id, currency),
    CHECK ((kind IN ('escrow_held', 'expert_available', 'payouts_pending', 'expert_paid_out')) = (owner_id IS NOT NULL))
);

CREATE TABLE ledger_entries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind ledger_entry_kind NOT NULL,
    payment_id uuid REFERENCES payments (id),
    refund_id uuid REFERENCES refunds (id),
    payout_id uuid REFERENCES payouts (id),
    memo text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    CHECK ((kind IN ('hold', 'release', 'refund', 'refund_paid')) = (payment_id IS NOT NULL)),
    CHECK ((kind = 'refund_paid') = (refund_id IS NOT NULL)),
    CHECK ((kind IN ('payout_requested', 'payout_paid', 'payout_returned', 'payout_reversed')) = (payout_id IS NOT NULL))
);
-- Backstops against counting a movement twice: one hold and one settlement per payment, one
-- confirmation per refund, one entry of each payout kind per payout.
CREATE UNIQUE INDEX ledger_entries_one_hold ON ledger_entries (payment_id) WHERE kind = 'hold';
CREATE UNIQUE INDEX ledger_entries_one_settlement ON ledger_entries (payment_id) WHERE kind IN ('release', 'refund');
CREATE UNIQUE INDEX ledger_entries_one_refund_paid ON ledger_entries (refund_id) WHERE kind = 'refund_paid';
CREATE UNIQUE INDEX ledger_entries_one_per_payout_kind ON ledger_entries (payout_id, kind) WHERE payout_id IS NOT NULL;

CREATE TABLE ledger_lines (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id bigint NOT NULL REFERENCES ledger_entries (id),
    account_id bigint NOT NULL,
    currency char(3) NOT NULL,
    amount bigint NOT NULL CHECK (amount <> 0),
    FOREIGN KEY (account_id, currency) REFERENCES ledger_accounts (id, currency)
);
CREATE INDEX ledger_lines_entry ON ledger_lines (entry_id);
CREATE INDEX ledger_lines_account ON ledger_lines (account_id);

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER ledger_lines_append_only BEFORE UPDATE OR DELETE ON ledger_lines
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
REVOKE UPDATE, DELETE ON ledger_entries, ledger_lines, payment_events, payout_events FROM PUBLIC;

-- Checked at commit: every entry has two or more lines and sums to zero in each currency.
-- TG_ARGV[0] names the column of the new row that holds the entry's id.
CREATE FUNCTION ledger_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target bigint := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
    line_count bigint;
    unbalanced text;
BEGIN
    SELECT count(*) INTO line_count FROM ledger_lines WHERE entry_id = target;
    IF line_count < 2 THEN
        RAISE EXCEPTION 'ledger entry % has % line(s); an entry needs two or more', target, line_count
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT string_agg(currency || ' ' || total, ', ') INTO unbalanced FROM (
        SELECT currency, sum(amount) AS total FROM ledger_lines WHERE entry_id = target
        GROUP BY currency HAVING sum(amount) <> 0
    ) AS off;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'ledger entry % does not balance: %', target, unbalanced USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances('id');
CREATE CONSTRAINT TRIGGER ledger_lines_balance AFTER INSERT ON ledger_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances('entry_id');

-- migrate:down
DROP TABLE ledger_lines;
DROP TABLE ledger_entries;
DROP TABLE ledger_accounts;
DROP FUNCTION ledger_entry_balances();
DROP TABLE webhook_events;
DROP TABLE payout_events;
DROP TABLE payouts;
DROP TABLE payout_accounts;
DROP TABLE payment_events;
DROP TABLE refunds;
DROP TABLE payments;
DROP FUNCTION forbid_change();
DROP TYPE ledger_entry_kind;
DROP TYPE ledger_account_kind;
DROP TYPE payout_status;
DROP TYPE refund_status;
DROP TYPE payment_status;
