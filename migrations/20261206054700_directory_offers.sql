-- migrate:up
-- directory_offers: one row per listed expert, category they offer ('' = all their areas) and active
-- area in it, with the area's price, currency and call length, the expert's rating key and the next
-- free slot of that call length. The listing's price-range and currency filters walk it in the
-- sort's order (rating, price or next free slot), keeping each expert's first matching row only, so
-- a filtered page costs about the rows it reaches, not one aggregate per matching expert.
--
-- directory_listings is now derived from it in the same function, so both come from one reading of
-- the profile, the account and the areas.
CREATE TABLE directory_offers (
    category text NOT NULL,
    expert_id uuid NOT NULL REFERENCES expert_profiles (user_id) ON DELETE CASCADE,
    area_id uuid NOT NULL,
    price_amount bigint NOT NULL,
    currency char(3) NOT NULL,
    duration_minutes integer NOT NULL,
    rating_key numeric(3, 2) NOT NULL,
    next_free timestamptz,
    PRIMARY KEY (category, expert_id, area_id)
);
CREATE INDEX directory_offers_expert ON directory_offers (expert_id);
CREATE INDEX directory_offers_rating ON directory_offers (category, rating_key DESC, expert_id, area_id);
CREATE INDEX directory_offers_price ON directory_offers (category, price_amount, expert_id, area_id);
CREATE INDEX directory_offers_soonest ON directory_offers (category, next_free, expert_id, area_id);

-- The offer and listing rows of some experts, from their profiles, accounts, active areas and free
-- time, in a few statements for all of them (the availability refresh writes a batch of 200).
CREATE FUNCTION directory_sync_listings(targets uuid[]) RETURNS void LANGUAGE sql AS $$
    -- An upsert and a delete of what is gone, never a delete and a re-insert: a refresh and a change
    -- to the same expert may sync at once, and a re-insert would collide with the other's rows.
    WITH fresh AS (
        SELECT c.category, p.user_id AS expert_id, a.id AS area_id, a.price_amount, a.currency, a.duration_minutes,
               coalesce(p.rating_average, 0) AS rating_key, f.next_free
        FROM expert_profiles p
        JOIN users u ON u.id = p.user_id
        JOIN expertise_areas a ON a.expert_id = p.user_id AND a.active
        CROSS JOIN LATERAL (VALUES (a.category), ('')) AS c(category)
        LEFT JOIN directory_free_time f ON f.expert_id = p.user_id AND f.duration_minutes = a.duration_minutes
        WHERE p.user_id = ANY (targets) AND p.published AND p.approval = 'approved' AND u.is_active
    ), gone AS (
        DELETE FROM directory_offers o
        WHERE o.expert_id = ANY (targets) AND NOT EXISTS (
            SELECT 1 FROM fresh n WHERE n.category = o.category AND n.expert_id = o.expert_id AND n.area_id = o.area_id)
    )
    INSERT INTO directory_offers AS o (category, expert_id, area_id, price_amount, currency, duration_minutes,
                                       rating_key, next_free)
    SELECT category, expert_id, area_id, price_amount, currency, duration_minutes, rating_key, next_free FROM fresh
    ON CONFLICT (category, expert_id, area_id) DO UPDATE SET
        price_amount = excluded.price_amount, currency = excluded.currency,
        duration_minutes = excluded.duration_minutes, rating_key = excluded.rating_key, next_free = excluded.next_free;
    WITH offers AS (
        SELECT o.expert_id, o.category,
               (array_agg(o.price_amount ORDER BY o.price_amount, o.area_id))[1] AS from_amount,
               (array_agg(o.currency ORDER BY o.price_amount, o.area_id))[1] AS from_currency,
               min(o.duration_minutes) AS min_duration, max(o.rating_key) AS rating_key
        FROM directory_offers o
        WHERE o.expert_id = ANY (targets)
        GROUP BY o.expert_id, o.category
    ), gone AS (
        DELETE FROM directory_listings l
        WHERE l.expert_id = ANY (targets)
          AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.expert_id = l.expert_id AND o.category = l.category)
    )
    INSERT INTO directory_listings AS l (category, expert_id, from_amount, from_currency, min_duration, rating_key,
                                         next_free)
    SELECT o.category, o.expert_id, o.from_amount, o.from_currency, o.min_duration, o.rating_key,
           (SELECT f.next_free FROM directory_free_time f
             WHERE f.expert_id = o.expert_id AND f.duration_minutes = o.min_duration)
    FROM offers o
    ON CONFLICT (category, expert_id) DO UPDATE SET
        from_amount = excluded.from_amount, from_currency = excluded.from_currency,
        min_duration = excluded.min_duration, rating_key = excluded.rating_key, next_free = excluded.next_free;
$$;

-- One expert's rows, as the triggers of every change ask for them.
CREATE OR REPLACE FUNCTION directory_sync_listing(target uuid) RETURNS void LANGUAGE sql AS $$
    SELECT directory_sync_listings(ARRAY[target]);
$$;

SELECT directory_sync_listings(array_agg(user_id)) FROM expert_profiles;

-- migrate:down
CREATE OR REPLACE FUNCTION directory_sync_listing(target uuid) RETURNS void LANGUAGE sql AS $$
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
DROP FUNCTION directory_sync_listings(uuid[]);
DROP TABLE directory_offers;
