-- migrate:up
-- The admin's last approval decision, and the rating the reviews feature will maintain.
ALTER TABLE expert_profiles
    ADD COLUMN approval_reason text NOT NULL DEFAULT '' CHECK (length(approval_reason) <= 1000),
    ADD COLUMN approval_decided_at timestamptz,
    ADD COLUMN approval_decided_by uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN rating_average numeric(3, 2) CHECK (rating_average BETWEEN 1 AND 5),
    ADD COLUMN review_count integer NOT NULL DEFAULT 0 CHECK (review_count >= 0),
    ADD CONSTRAINT expert_profiles_headline_length CHECK (length(headline) <= 160),
    ADD CONSTRAINT expert_profiles_bio_length CHECK (length(bio) <= 5000),
    ADD CONSTRAINT expert_profiles_languages_count CHECK (cardinality(languages) <= 20);

-- Listing filters and sorts over listed experts only.
CREATE INDEX expert_profiles_languages ON expert_profiles USING gin (languages)
    WHERE published AND approval = 'approved';
CREATE INDEX expert_profiles_rating ON expert_profiles ((coalesce(rating_average, 0)) DESC, user_id)
    WHERE published AND approval = 'approved';

-- migrate:down
DROP INDEX expert_profiles_rating;
DROP INDEX expert_profiles_languages;
ALTER TABLE expert_profiles
    DROP CONSTRAINT expert_profiles_languages_count,
    DROP CONSTRAINT expert_profiles_bio_length,
    DROP CONSTRAINT expert_profiles_headline_length,
    DROP COLUMN review_count,
    DROP COLUMN rating_average,
    DROP COLUMN approval_decided_by,
    DROP COLUMN approval_decided_at,
    DROP COLUMN approval_reason;
