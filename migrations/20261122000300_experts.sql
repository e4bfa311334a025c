-- migrate:up
CREATE TABLE categories (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
    name text NOT NULL,
    position integer NOT NULL DEFAULT 0
);
INSERT INTO categories (slug, name, position) VALUES
    ('technology', 'Technology & Software', 1),
    ('business', 'Business & Strategy', 2),
    ('career', 'Career & Coaching', 3),
    ('finance', 'Finance & Accounting', 4),
    ('legal', 'Legal', 5),
    ('health', 'Health & Wellbeing', 6),
    ('design', 'Design & Creative', 7),
    ('marketing', 'Marketing & Sales', 8),
    ('education', 'Education & Study', 9),
    ('lifestyle', 'Lifestyle & Travel', 10);

-- Booking settings live on the profile: one row per expert, read with the rules in one query.
ALTER TABLE expert_profiles
    ADD COLUMN min_notice_minutes integer NOT NULL DEFAULT 720 CHECK (min_notice_minutes BETWEEN 0 AND 43200),
    ADD COLUMN horizon_days integer NOT NULL DEFAULT 60 CHECK (horizon_days BETWEEN 1 AND 365),
    ADD COLUMN buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
    ADD COLUMN buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
    ADD COLUMN slot_step_minutes integer NOT NULL DEFAULT 15 CHECK (slot_step_minutes IN (15, 30, 60)),
    ADD COLUMN search_document tsvector NOT NULL DEFAULT ''::tsvector;

CREATE TABLE expertise_areas (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    expert_id uuid NOT NULL REFERENCES expert_profiles (user_id) ON DELETE CASCADE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    category text NOT NULL REFERENCES categories (slug),
    price_amount bigint NOT NULL CHECK (price_amount > 0),
    currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 240 AND duration_minutes % 15 = 0),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX expertise_areas_expert ON expertise_areas (expert_id);
CREATE INDEX expertise_areas_category_price ON expertise_areas (category, price_amount) WHERE active;

-- Weekly wall-clock hours in the expert's zone; minutes from local midnight, 1440 = 24:00.
CREATE TABLE availability_rules (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expert_id uuid NOT NULL REFERENCES expert_profiles (user_id) ON DELETE CASCADE,
    weekday smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (start_minute < end_minute)
);
CREATE INDEX availability_rules_expert ON availability_rules (expert_id);

-- One override per local date: 'replace' the day's hours with ranges, or take ranges out ('unavailable').
CREATE TABLE availability_overrides (
    expert_id uuid NOT NULL REFERENCES expert_profiles (user_id) ON DELETE CASCADE,
    local_date date NOT NULL,
    kind text NOT NULL CHECK (kind IN ('replace', 'unavailable')),
    ranges jsonb NOT NULL DEFAULT '[]'::jsonb,
    PRIMARY KEY (expert_id, local_date)
);

-- Full-text search over the expert's name, headline, bio and area titles, kept current by triggers.
CREATE FUNCTION refresh_expert_search(target uuid) RETURNS void LANGUAGE sql AS $$
    UPDATE expert_profiles p SET search_document =
        setweight(to_tsvector('simple', coalesce(u.full_name, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(p.headline, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(
            (SELECT string_agg(a.title, ' ') FROM expertise_areas a WHERE a.expert_id = p.user_id AND a.active), ''
        )), 'B') ||
        setweight(to_tsvector('english', coalesce(p.bio, '')), 'C')
    FROM users u
    WHERE p.user_id = target AND u.id = p.user_id;
$$;

CREATE FUNCTION expert_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'users' THEN
        PERFORM refresh_expert_search(NEW.id);
    ELSIF TG_TABLE_NAME = 'expert_profiles' THEN
        PERFORM refresh_expert_search(NEW.user_id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM refresh_expert_search(OLD.expert_id);
    ELSE
        PERFORM refresh_expert_search(NEW.expert_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER users_search AFTER UPDATE OF full_name ON users
    FOR EACH ROW EXECUTE FUNCTION expert_search_trigger();
CREATE TRIGGER expert_profiles_search AFTER INSERT OR UPDATE OF headline, bio ON expert_profiles
    FOR EACH ROW EXECUTE FUNCTION expert_search_trigger();
CREATE TRIGGER expertise_areas_search AFTER INSERT OR UPDATE OR DELETE ON expertise_areas
    FOR EACH ROW EXECUTE FUNCTION expert_search_trigger();

CREATE INDEX expert_profiles_search ON expert_profiles USING gin (search_document);
CREATE INDEX expert_profiles_listed ON expert_profiles (user_id) WHERE published AND approval = 'approved';

-- migrate:down
DROP TABLE availability_overrides;
DROP TABLE availability_rules;
DROP TABLE expertise_areas;
DROP FUNCTION expert_search_trigger() CASCADE;
DROP FUNCTION refresh_expert_search(uuid);
ALTER TABLE expert_profiles
    DROP COLUMN min_notice_minutes, DROP COLUMN horizon_days, DROP COLUMN buffer_before_minutes,
    DROP COLUMN buffer_after_minutes, DROP COLUMN slot_step_minutes, DROP COLUMN search_document;
DROP TABLE categories;
