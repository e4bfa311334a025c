-- migrate:up

-- The first start of the runs in [from_at, to_at), or NULL: a run's first start at or after
-- from_at is lower + k * step, and it counts if it is before to_at and within the run. A listing
-- under "free between" shows it on each card; directory_has_start is the same question, yes or no.
CREATE FUNCTION directory_first_start(starts tstzmultirange, step_seconds integer, from_at timestamptz, to_at timestamptz)
RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT min(first) FROM (
        SELECT lower(run) + make_interval(secs => step_seconds * ceil(
                   greatest(0, extract(epoch FROM from_at - lower(run))) / step_seconds)) AS first,
               upper(run) AS last
        FROM unnest(starts) AS run
        WHERE from_at < to_at AND run && tstzrange(least(from_at, to_at), to_at, '[)')
    ) AS candidates
    WHERE first < to_at AND first <= last
$$;

CREATE OR REPLACE FUNCTION directory_has_start(starts tstzmultirange, step_seconds integer, from_at timestamptz, to_at timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT directory_first_start(starts, step_seconds, from_at, to_at) IS NOT NULL
$$;

-- migrate:down
CREATE OR REPLACE FUNCTION directory_has_start(starts tstzmultirange, step_seconds integer, from_at timestamptz, to_at timestamptz)
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
DROP FUNCTION directory_first_start(tstzmultirange, integer, timestamptz, timestamptz);
