-- migrate:up

-- Every admin action leaves one row here, written in the transaction of the action itself. The table
-- is append-only: a trigger refuses UPDATE and DELETE for every role (the app's included), and
-- PUBLIC holds no right to change it.
CREATE TABLE admin_audit (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    admin_id uuid NOT NULL REFERENCES users (id),
    action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' AND length(action) <= 64),
    target_type text NOT NULL CHECK (length(target_type) BETWEEN 1 AND 40),
    target_id text NOT NULL CHECK (length(target_id) BETWEEN 1 AND 100),
    reason text CHECK (length(reason) <= 1000),
    before jsonb,
    after jsonb,
    client_address text NOT NULL DEFAULT '',
    at timestamptz NOT NULL
);
CREATE INDEX admin_audit_at ON admin_audit (at DESC, id DESC);
CREATE INDEX admin_audit_admin ON admin_audit (admin_id, at DESC, id DESC);
CREATE INDEX admin_audit_target ON admin_audit (target_type, target_id, at DESC, id DESC);

CREATE FUNCTION admin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_audit is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER admin_audit_no_change BEFORE UPDATE OR DELETE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION admin_audit_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON admin_audit FROM PUBLIC;

-- migrate:down
DROP TABLE admin_audit;
DROP FUNCTION admin_audit_append_only();
