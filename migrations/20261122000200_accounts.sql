-- migrate:up
CREATE TYPE user_role AS ENUM ('client', 'expert', 'admin');

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email citext NOT NULL UNIQUE,
    password_hash text,
    full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    role user_role NOT NULL,
    time_zone text NOT NULL DEFAULT 'UTC',
    locale text NOT NULL DEFAULT 'en',
    is_active boolean NOT NULL DEFAULT true,
    email_verified_at timestamptz,
    google_sub text UNIQUE,
    avatar_key text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A session is one sign-in on one device: the family of refresh tokens that rotate from it.
CREATE TABLE auth_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    user_agent text NOT NULL DEFAULT '',
    ip text NOT NULL DEFAULT '',
    revoked_at timestamptz,
    revoked_reason text
);
CREATE INDEX auth_sessions_user_active ON auth_sessions (user_id) WHERE revoked_at IS NULL;

-- Only the SHA-256 of a refresh token is stored. rotated_at marks a token already exchanged:
-- seeing it again means it was copied, and the whole session is revoked.
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    issued_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    rotated_at timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE login_failures (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email citext NOT NULL,
    ip text NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
CREATE INDEX login_failures_ip ON login_failures (ip, failed_at);

CREATE TYPE one_time_token_purpose AS ENUM ('password_reset', 'email_verification');

CREATE TABLE one_time_tokens (
    token_hash bytea PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose one_time_token_purpose NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);

CREATE TYPE expert_approval AS ENUM ('pending', 'approved', 'rejected');

CREATE TABLE expert_profiles (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    headline text NOT NULL DEFAULT '',
    bio text NOT NULL DEFAULT '',
    languages text[] NOT NULL DEFAULT '{}',
    time_zone text NOT NULL DEFAULT 'UTC',
    published boolean NOT NULL DEFAULT false,
    approval expert_approval NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE expert_profiles;
DROP TYPE expert_approval;
DROP TABLE one_time_tokens;
DROP TYPE one_time_token_purpose;
DROP TABLE login_failures;
DROP TABLE refresh_tokens;
DROP TABLE auth_sessions;
DROP TABLE users;
DROP TYPE user_role;
