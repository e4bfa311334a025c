-- migrate:up

-- Checkouts a payment replaced when its client paid again after a declined attempt. Their references
-- still lead to the payment, so a late webhook or verification of an old checkout finds it.
CREATE TABLE payment_checkouts (
    reference text PRIMARY KEY CHECK (reference ~ '^[A-Za-z0-9.=-]{1,100}$'),
    payment_id uuid NOT NULL REFERENCES payments (id),
    authorization_url text NOT NULL,
    replaced_at timestamptz NOT NULL
);
CREATE INDEX payment_checkouts_payment ON payment_checkouts (payment_id);

-- migrate:down
DROP TABLE payment_checkouts;
