-- 002_reference: regions, organisations, advisors and the code tables.
SET LOCAL ROLE loket_owner;

-- A code is lower-case ASCII: it appears in scripts, URLs and CSV headers.
CREATE DOMAIN code AS text
    CHECK (VALUE ~ '^[a-z][a-z0-9_-]{0,39}$');
-- True when t holds something besides white space: ASCII blanks, tabs and
-- newlines, but also no-break, ideographic and zero-width spaces, which look
-- just as empty on a screen.
CREATE FUNCTION has_text(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT t ~ '[^[:space:]\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]' $$;
-- Text a person reads: not empty, not only blanks, bounded.
CREATE DOMAIN label AS text
    CHECK (has_text(VALUE) AND char_length(VALUE) <= 200);

CREATE TABLE region (
    code        code PRIMARY KEY,
    name        label NOT NULL,
    -- working days the central point has to pick up a referral (issue 4)
    pickup_days integer NOT NULL DEFAULT 2 CHECK (pickup_days BETWEEN 1 AND 30)
);

CREATE TABLE organisation (
    code   code PRIMARY KEY,
    name   label NOT NULL,
    kind   text NOT NULL CHECK (kind IN ('central', 'vindplaats')),
    region code NOT NULL REFERENCES region,
    active boolean NOT NULL DEFAULT true
);
-- Which organisation is the central point is data: one active per region.
CREATE UNIQUE INDEX organisation_one_central
    ON organisation (region) WHERE kind = 'central' AND active;

CREATE TABLE advisor (
    role_name    name PRIMARY KEY,
    display_name label NOT NULL,
    region       code NOT NULL REFERENCES region,
    -- NULL only for people who work for the region as a whole
    organisation code REFERENCES organisation,
    roles        text[] NOT NULL,
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT advisor_roles_known CHECK (
        cardinality(roles) >= 1
        AND roles <@ ARRAY['advisor', 'central', 'supervisor', 'editor', 'admin']),
    CONSTRAINT advisor_needs_org CHECK (
        organisation IS NOT NULL OR NOT roles && ARRAY['advisor', 'central'])
);

-- The code tables share one shape.
CREATE TABLE topic (
    code   code PRIMARY KEY,
    label  label NOT NULL,
    sort   integer NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT true
);
CREATE TABLE client_group    (LIKE topic INCLUDING ALL);
CREATE TABLE channel         (LIKE topic INCLUDING ALL);
CREATE TABLE referral_reason (LIKE topic INCLUDING ALL);
CREATE TABLE referral_outcome (LIKE topic INCLUDING ALL);

CREATE TABLE municipality (
    code       code PRIMARY KEY,
    name       label NOT NULL,
    region     code NOT NULL REFERENCES region,
    population integer NOT NULL CHECK (population > 0)
);
-- Every four-digit postcode of the region, mapped to its municipality.
CREATE TABLE postcode4 (
    postcode     char(4) PRIMARY KEY CHECK (postcode ~ '^[1-9][0-9]{3}$'),
    municipality code NOT NULL REFERENCES municipality
);

-- Public holidays, for deadlines in working days (issue 4).
CREATE TABLE holiday (
    day  date PRIMARY KEY,
    name label NOT NULL
);

-- Numbers handed out per region ("readable number per region").
CREATE TABLE region_counter (
    region      code PRIMARY KEY REFERENCES region,
    last_number integer NOT NULL DEFAULT 0
);

-- Who is asking: the advisor row of the current role.  Policies call these
-- through a sub-select so they are evaluated once per statement.
-- Every function that reads a table names pg_temp last in its search_path:
-- otherwise PostgreSQL searches the caller's temporary schema first, and a
-- temporary table called "advisor" would make anyone any organisation.
CREATE FUNCTION my_org() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = loket, pg_catalog, pg_temp
    AS $$ SELECT organisation FROM loket.advisor WHERE role_name = current_user AND active $$;

CREATE FUNCTION my_region() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = loket, pg_catalog, pg_temp
    AS $$ SELECT region FROM loket.advisor WHERE role_name = current_user AND active $$;

-- A nine-digit number that passes the eleven-test is treated as a BSN.
-- loket never stores a BSN, so text containing one is refused.
CREATE FUNCTION contains_bsn(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    SELECT EXISTS (
        SELECT 1
        FROM regexp_matches(t, '(?:^|[^0-9])([0-9]{9})(?![0-9])', 'g') AS m(g),
             LATERAL (SELECT m.g[1] AS d) AS x
        WHERE (9 * substr(d, 1, 1)::int + 8 * substr(d, 2, 1)::int
             + 7 * substr(d, 3, 1)::int + 6 * substr(d, 4, 1)::int
             + 5 * substr(d, 5, 1)::int + 4 * substr(d, 6, 1)::int
             + 3 * substr(d, 7, 1)::int + 2 * substr(d, 8, 1)::int
             - substr(d, 9, 1)::int) % 11 = 0
          AND d <> '000000000')
    $$;
