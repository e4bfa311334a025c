-- migrate:up

-- Each save of a call's notes bumps its version; a save based on an older version is refused, so two
-- open tabs cannot silently overwrite each other (the API answers 409 with the current text).
ALTER TABLE call_notes ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);

-- migrate:down
ALTER TABLE call_notes DROP COLUMN version;
