-- migrate:up
-- The directory's maintained indexes (see procus/services/directory_index.py).
--
-- directory_listings: one row per listed expert and category they offer ('' = all their areas),
-- with the card's "from price" and shortest call in that category, the rating key and the next
-- free slot for that shortest call. Kept by directory_sync_listing() in the transaction of every
-- change to areas, publishing, approval, rating or the account (triggers below), and by the
-- availability refresh for next_free. Every listing sort walks one of its indexes.
CREATE TABLE directory_listings (
    category text NOT NULL,
    expert_id uuid NOT NULL REFERENCES expert_profiles (user_id) ON DELETE CASCADE,
    from_amount bigint NOT NULL,
    from_currency char(3) NOT NULL,
    min_duration integer NOT NULL,
    rating_key numeric(3, 2) NOT NULL,
    next_free timestamptz,
    PRIMARY KEY (category, expert_id)
);
CREATE INDEX directory_listings_expert ON directory_listings (expert_id);
CREATE INDEX directory_listings_rating ON directory_listings (category, rating_key DESC, expert_id);
CREATE INDEX directory_listings_price ON directory_listings (category, from_amount, expert_id);
CREATE INDEX directory_listings_soonest ON directory_listings (category, next_free, expert_id);

-- directory_free_time: what the slot engine computed for one expert and call length at computed_at:
-- the next free start and every free start of the next 62 days as runs [first, last] spaced by
-- step_seconds (a multirange). fresh_until is when time alone may change the answer (the next start
-- enters the notice window, or the far end of the window moves on). No GiST index on starts: a
-- multirange's GiST key is its bounding range, the whole window for nearly every expert, so it
-- narrows nothing; "free between" probes the rows a listing index walk reaches (store.marketplace).
CREATE TABLE directory_free_time (
    expert_id uuid NOT NULL REFERENCES expert_profiles (user_id) ON DELETE CASCADE,
    duration_minutes integer NOT NULL,
    next_free timestamptz,
    starts tstzmultirange NOT NULL,
    step_seconds integer NOT NULL CHECK (step_seconds > 0),
    notice interval NOT NULL,
    computed_at timestamptz NOT NULL,
    fresh_until timestamptz NOT NULL,
    PRIMARY KEY (expert_id, duration_minutes)
);
CREATE INDEX directory_free_time_fresh ON directory_free_time (fresh_until);

-- Experts whose free time must be recomputed: filled by triggers in the changing transaction,
-- drained by the refresh job (and by listing reads, a few at a time).
CREATE TABLE directory_refresh_queue (
    expert_id uuid PRIMARY KEY,
    requested_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Whether a run of starts holds one in [from_at, to_at): the first start of the run at or after
-- from_at is lower + k * step.
CREATE FUNCTION directory_has_start(starts tstzmultirange, step_seconds integer, from_at timestamptz, to_at timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT from_at < to_at AND EXISTS (
        SELECT 1 FROM unnest(starts) AS run
        WHERE run && tstzrange(least(from_at, to_at), to_at, '[)')
          AND lower(run) + make_interval(secs => step_seconds * ceil(
                greatest(0, extract(epoch FROM from_at - lower(run))) / step_seconds)) < to_at
          AND lower(run) + make_interval(secs => step_seconds * ceil(
                greatest(0, extract(epoch FROM from_at - lower(run))) / step_seconds)) <= upper(run)
    )
$$;

CREATE FUNCTION directory_request_refresh(target uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM expert_profiles WHERE user_id = target) THEN
        RETURN;
    END IF;
    INSERT INTO directory_refresh_queue (expert_id) VALUES (target) ON CONFLICT DO NOTHING;
    IF FOUND THEN
        -- The insert of procus.store.jobs.ENQUEUE, without a dedupe key: one job per expert newly
        -- queued. A job drains the whole queue, so most find little left; but a dedupe key would let
        -- a change committed just after a running job's last look wait for the next sweep.
        WITH inserted AS (
            INSERT INTO pgqueuer (priority, entrypoint, payload, execute_after, status)
            VALUES (0, 'directory.refresh', convert_to('{}', 'UTF8'), now(), 'queued')
            RETURNING id, entrypoint, priority
        )
        INSERT INTO pgqueuer_log (job_id, status, entrypoint, priority)
        SELECT id, 'queued', entrypoint, priority FROM inserted;
    END IF;
END;
$$;

-- The listing rows of one expert, from their profile, account and active areas.
CREATE FUNCTION directory_sync_listing(target uuid) RETURNS void LANGUAGE sql AS $$
    WITH offers AS (
        SELECT c.category, (array_agg(a.price_amount ORDER BY a.price_amount, a.id))[1] AS from_amount,
               (array_agg(a.currency ORDER BY a.price_amount, a.id))[1] AS from_currency,
               min(a.duration_minutes) AS min_duration,
               coalesce(p.rating_average, 0) AS rating_key
        FROM expert_profiles p
        JOIN users u ON u.id = p.user_id
        JOIN expertise_areas a ON a.expert_id = p.user_id AND a.active
        CROSS JOIN LATERAL (VALUES (a.category), ('')) AS c(category)
        WHERE p.user_id = target AND p.published AND p.approval = 'approved' AND u.is_active
        GROUP BY c.category, p.rating_average
    ), gone AS (
        DELETE FROM directory_listings l
        WHERE l.expert_id = target AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.category = l.category)
    )
    INSERT INTO directory_listings AS l (category, expert_id, from_amount, from_currency, min_duration, rating_key,
                                         next_free)
    SELECT o.category, target, o.from_amount, o.from_currency, o.min_duration, o.rating_key,
           (SELECT f.next_free FROM directory_free_time f
             WHERE f.expert_id = target AND f.duration_minutes = o.min_duration)
    FROM offers o
    ON CONFLICT (category, expert_id) DO UPDATE SET
        from_amount = excluded.from_amount, from_currency = excluded.from_currency,
        min_duration = excluded.min_duration, rating_key = excluded.rating_key, next_free = excluded.next_free;
$$;

CREATE FUNCTION directory_change_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target uuid;
BEGIN
    IF TG_TABLE_NAME = 'time_holds' THEN
        target := CASE WHEN TG_OP = 'DELETE' THEN OLD.holder_id ELSE NEW.holder_id END;
        PERFORM directory_request_refresh(target);
        IF TG_OP = 'UPDATE' AND OLD.holder_id <> NEW.holder_id THEN
            PERFORM directory_request_refresh(OLD.holder_id);
        END IF;
        RETURN NULL;
    ELSIF TG_TABLE_NAME = 'users' THEN
        target := NEW.id;
    ELSIF TG_TABLE_NAME = 'expert_profiles' THEN
        target := NEW.user_id;
    ELSE
        target := CASE WHEN TG_OP = 'DELETE' THEN OLD.expert_id ELSE NEW.expert_id END;
    END IF;
    IF TG_TABLE_NAME IN ('users', 'expert_profiles', 'expertise_areas') THEN
        PERFORM directory_sync_listing(target);
    END IF;
    IF TG_TABLE_NAME <> 'users' THEN
        PERFORM directory_request_refresh(target);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER directory_time_holds AFTER INSERT OR UPDATE OR DELETE ON time_holds
    FOR EACH ROW EXECUTE FUNCTION directory_change_trigger();
CREATE TRIGGER directory_availability_rules AFTER INSERT OR UPDATE OR DELETE ON availability_rules
    FOR EACH ROW EXECUTE FUNCTION directory_change_trigger();
CREATE TRIGGER directory_availability_overrides AFTER INSERT OR UPDATE OR DELETE ON availability_overrides
    FOR EACH ROW EXECUTE FUNCTION directory_change_trigger();
CREATE TRIGGER directory_expertise_areas AFTER INSERT OR UPDATE OR DELETE ON expertise_areas
    FOR EACH ROW EXECUTE FUNCTION directory_change_trigger();
CREATE TRIGGER directory_expert_profiles AFTER INSERT OR UPDATE OF published, approval, rating_average, time_zone,
    min_notice_minutes, horizon_days, buffer_before_minutes, buffer_after_minutes, slot_step_minutes
    ON expert_profiles FOR EACH ROW EXECUTE FUNCTION directory_change_trigger();
CREATE TRIGGER directory_users AFTER UPDATE OF is_active ON users
    FOR EACH ROW EXECUTE FUNCTION directory_change_trigger();

-- Text search walks a listing index and tests each row against the document, so the planner
-- needs good estimates of how common each word is.
ALTER TABLE expert_profiles ALTER COLUMN search_document SET STATISTICS 1000;

-- Existing experts: list them now, compute their free time on the worker's first run.
SELECT directory_sync_listing(user_id) FROM expert_profiles;
INSERT INTO directory_refresh_queue (expert_id) SELECT user_id FROM expert_profiles;

-- migrate:down
DROP TRIGGER directory_users ON users;
DROP TRIGGER directory_expert_profiles ON expert_profiles;
DROP TRIGGER directory_expertise_areas ON expertise_areas;
DROP TRIGGER directory_availability_overrides ON availability_overrides;
DROP TRIGGER directory_availability_rules ON availability_rules;
DROP TRIGGER directory_time_holds ON time_holds;
DROP FUNCTION directory_change_trigger();
DROP FUNCTION directory_sync_listing(uuid);
DROP FUNCTION directory_request_refresh(uuid);
DROP FUNCTION directory_has_start(tstzmultirange, integer, timestamptz, timestamptz);
DROP TABLE directory_refresh_queue;
DROP TABLE directory_free_time;
DROP TABLE directory_listings;
ALTER TABLE expert_profiles ALTER COLUMN search_document SET STATISTICS -1;
