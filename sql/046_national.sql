-- 046_national.sql: national figures in a national reporting database,
-- fed by the regions' summary tables over PostgreSQL's logical replication
-- (issue 17, part 5; doc/national.md).
--
-- Every database runs the same migrations.  A region's database publishes
-- (CREATE PUBLICATION, by its administrator, one per region) the rows of
-- its region in
--   - region and municipality (names, the region's threshold);
--   - stat_cohort, stat_volume and stat_outcome: the refreshed summaries,
--     counts with the sums of their rows' record keys (026), never a case.
-- The national database loads only the national code lists
-- (`loket db seed --national`) and subscribes (CREATE SUBSCRIPTION) to each
-- region's publication.  Questions, clients, referrals and texts never
-- leave the region.
--
-- Roles (cluster-wide, so created as in 001):
--   - loket_feed: the group of the login role a subscription connects as
--     (the administrator gives that login REPLICATION).  It reads the
--     published tables and nothing else;
--   - loket_national: national analysts.  They read no table: the
--     national_* functions count for them, with the regional reports'
--     own code (derived below from their current text), so with the same
--     cell-key perturbation (026), the same threshold rules and the same
--     log first.  A region is to them what an organisation is to a
--     region's supervisor.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['loket_feed', 'loket_national'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS', r);
        END IF;
    END LOOP;
END
$$;
COMMENT ON ROLE loket_feed IS
    'loket: reads the published summaries for the national reporting database';
COMMENT ON ROLE loket_national IS
    'loket: national analyst; sees perturbed national figures, no case and no table';

SET LOCAL ROLE loket_owner;

GRANT USAGE ON SCHEMA loket TO loket_feed, loket_national;
-- Reference data, as every role reads it (005): the names beside the codes.
-- advisor and organisation as well: loket reads them at the start of a
-- session, like every role.
GRANT SELECT ON region, municipality, topic, client_group, channel, referral_outcome,
    advisor, organisation TO loket_national;

-- What a publication sends.  region and municipality are reference data
-- that everyone may read (005); the summaries nobody but the owner reads.
-- A publication's row filter (WHERE region = 'twente') may not use a
-- column of a user-defined type, and the region is a `code` (002), so:
--   - the summaries' region is plain text (they are worked out from the
--     questions, whose region is checked);
--   - region and municipality get a text copy of the region, generated,
--     to filter on.
-- A filter on a publication that also sends updates and deletes needs its
-- column in the replica identity: the summaries' primary keys hold the
-- region; region and municipality, a few rows a region, send whole rows.
ALTER TABLE stat_cohort ALTER COLUMN region TYPE text;
ALTER TABLE stat_volume ALTER COLUMN region TYPE text;
ALTER TABLE stat_outcome ALTER COLUMN region TYPE text;
ALTER TABLE region ADD COLUMN region_text text GENERATED ALWAYS AS (code::text) STORED;
ALTER TABLE municipality ADD COLUMN region_text text GENERATED ALWAYS AS (region::text) STORED;
COMMENT ON COLUMN region.region_text IS
    'the code as text, for the national publication''s row filter (046)';
COMMENT ON COLUMN municipality.region_text IS
    'the region as text, for the national publication''s row filter (046)';
ALTER TABLE region REPLICA IDENTITY FULL;
ALTER TABLE municipality REPLICA IDENTITY FULL;
GRANT SELECT ON region, municipality, stat_cohort, stat_volume, stat_outcome TO loket_feed;
-- region and municipality have row-level security in some set-ups (005);
-- the feed reads them whole.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['region', 'municipality', 'stat_cohort', 'stat_volume',
                             'stat_outcome'] LOOP
        IF (SELECT c.relrowsecurity FROM pg_class c
             WHERE c.oid = format('loket.%I', t)::regclass) THEN
            EXECUTE format('CREATE POLICY national_feed ON loket.%I FOR SELECT TO loket_feed '
                           'USING (true)', t);
        END IF;
    END LOOP;
END
$$;

------------------------------------------------------------------------------
-- Who is a national analyst: a member of loket_national who is not an
-- advisor of a region (session_user: inside a definer function
-- current_user is the owner).  The functions answer for '*', the country.

-- A superuser is a member of every role, but an administrator, not an
-- analyst (with --as an advisor it counts that advisor's questions).
CREATE FUNCTION national_member() RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT pg_has_role(session_user, 'loket_national', 'MEMBER')
       AND NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user)
       AND NOT EXISTS (SELECT 1 FROM loket.advisor a WHERE a.role_name = session_user)
$$;
REVOKE EXECUTE ON FUNCTION national_member() FROM PUBLIC;

CREATE FUNCTION national_caller() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NOT national_member() THEN
        RAISE EXCEPTION 'only national analysts see the national figures'
            USING ERRCODE = '42501';
    END IF;
    RETURN '*';
END $$;
REVOKE EXECUTE ON FUNCTION national_caller() FROM PUBLIC;

-- The national threshold: the highest of the regions' (each at least 5),
-- so that no region's figure shows nationally what its own reports hold
-- back.  The regions' rows come with their publications.
CREATE FUNCTION national_threshold() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT greatest(5, coalesce(max(suppress_below), 5)) FROM loket.region
$$;
-- Everyone may ask it (it says a threshold, nothing counted): loket reads
-- the window, who is asking and the threshold in one statement.
GRANT EXECUTE ON FUNCTION national_threshold() TO PUBLIC;

-- The summaries of every region as the regional reports read a region's:
-- the region in the organisation's place, '*' in the region's.  Only the
-- refreshed rows: a national database has no questions to count the
-- marked days from, so its figures are as fresh as each region's last
-- `loket db refresh` (doc/national.md).  Knowledge items are each region's
-- own (their ids mean nothing elsewhere), so there are none nationally.
CREATE FUNCTION national_cohort(p_scope text)
    RETURNS TABLE (region text, day date, organisation text, topic text, registered integer,
                   informed integer, referred integer, accepted integer, completed integer,
                   returned integer, k_registered bigint, k_informed bigint, k_referred bigint,
                   k_accepted bigint, k_completed bigint, k_returned bigint)
    LANGUAGE sql STABLE AS $$
SELECT p_scope, s.day, s.region::text, s.topic::text, s.registered, s.informed, s.referred,
       s.accepted, s.completed, s.returned, s.k_registered, s.k_informed, s.k_referred,
       s.k_accepted, s.k_completed, s.k_returned
  FROM loket.stat_cohort s
$$;

-- Volume: by region (the organisations' rows, each question once), and by
-- every other dimension over all regions.
CREATE FUNCTION national_volume_rows(p_scope text)
    RETURNS TABLE (region text, day date, dim text, value text, n integer, keysum bigint)
    LANGUAGE sql STABLE AS $$
SELECT p_scope, s.day, CASE s.dim WHEN 'org' THEN 'region' ELSE s.dim END,
       CASE s.dim WHEN 'org' THEN s.region::text ELSE s.value END, s.n, s.keysum
  FROM loket.stat_volume s
$$;

CREATE FUNCTION national_outcome(p_scope text)
    RETURNS TABLE (region text, day date, organisation text, outcome text, n integer,
                   keysum bigint)
    LANGUAGE sql STABLE AS $$
SELECT p_scope, s.day, s.region::text, s.outcome::text, s.n, s.keysum
  FROM loket.stat_outcome s
$$;

CREATE FUNCTION national_item(p_scope text)
    RETURNS TABLE (region text, day date, organisation text, topic text, item_id bigint,
                   n integer, keysum bigint)
    LANGUAGE sql STABLE AS $$
SELECT p_scope, NULL::date, NULL::text, NULL::text, NULL::bigint, NULL::integer, NULL::bigint
 WHERE false
$$;
REVOKE EXECUTE ON FUNCTION national_cohort(text), national_volume_rows(text),
    national_outcome(text), national_item(text) FROM PUBLIC;

------------------------------------------------------------------------------
-- The national reports: the regional ones' current text, with the country
-- for the region and the regions for its organisations.  The migration
-- fails if a report does not say what is replaced, so a later change to a
-- report is a change to its national twin too.

DO $$
DECLARE
    c record;
    v_def text;
    v_common text[] := ARRAY[
        'v_region text := supervisor_region();', 'v_region text := national_caller();',
        'k integer := region_threshold(v_region);', 'k integer := national_threshold();',
        'PERFORM stat_catch_up(v_region);', '-- national: the summaries as published'];
BEGIN
    FOR c IN SELECT * FROM (VALUES
        ('report_volume', 'text, text, date, date', ARRAY[
            'stat_volume_now(v_region)', 'national_volume_rows(v_region)',
            '''org'', ''topic'', ''group'', ''channel'', ''muni''',
            '''region'', ''topic'', ''group'', ''channel'', ''muni''',
            'volume by org, topic', 'volume by region, topic',
            'WHEN ''org'' THEN (SELECT o.name::text FROM organisation o',
            'WHEN ''region'' THEN (SELECT o.name::text FROM region o']),
        ('report_funnel', 'date, date', ARRAY[
            'stat_cohort_now(v_region)', 'national_cohort(v_region)',
            'FROM organisation o WHERE o.code = c.organisation',
            'FROM region o WHERE o.code = c.organisation']),
        ('report_outcomes', 'date, date', ARRAY[
            'stat_outcome_now(v_region)', 'national_outcome(v_region)']),
        ('report_consistency', 'date, date', ARRAY[
            'stat_cohort_now(v_region)', 'national_cohort(v_region)',
            'stat_item_now(v_region)', 'national_item(v_region)']))
        AS t(fn, args, pairs)
    LOOP
        v_def := pg_get_functiondef(format('loket.%s(%s)', c.fn, c.args)::regprocedure);
        c.pairs := ARRAY[format('FUNCTION loket.%s(', c.fn),
                         format('FUNCTION loket.%s(', replace(c.fn, 'report_', 'national_'))]
                   || v_common || c.pairs;
        FOR i IN 1 .. cardinality(c.pairs) BY 2 LOOP
            IF position(c.pairs[i] IN v_def) = 0 THEN
                RAISE EXCEPTION '046: % does not say %', c.fn, c.pairs[i];
            END IF;
            v_def := replace(v_def, c.pairs[i], c.pairs[i + 1]);
        END LOOP;
        IF v_def ~ '(supervisor_region|region_threshold|_now)\(' THEN
            RAISE EXCEPTION '046: % still counts a region: %', c.fn, v_def;
        END IF;
        EXECUTE v_def;
        EXECUTE format('REVOKE EXECUTE ON FUNCTION loket.%s(%s) FROM PUBLIC',
                       replace(c.fn, 'report_', 'national_'), c.args);
        EXECUTE format('GRANT EXECUTE ON FUNCTION loket.%s(%s) TO loket_national',
                       replace(c.fn, 'report_', 'national_'), c.args);
    END LOOP;
END $$;

------------------------------------------------------------------------------
-- The log: a national analyst's questions are logged first, as a
-- supervisor's (026), with no region.  The national database's
-- administrators (loket_admin without a region) read those lines.

ALTER TABLE supervisor_log ALTER COLUMN region DROP NOT NULL;
CREATE POLICY supervisor_log_national ON supervisor_log FOR SELECT TO loket_admin
    USING (region IS NULL AND (SELECT my_region()) IS NULL);

CREATE OR REPLACE FUNCTION supervisor_ask(p_what text, p_args jsonb) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v text;
BEGIN
    SELECT a.region INTO v FROM advisor a
     WHERE a.role_name = session_user AND a.active AND 'supervisor' = ANY (a.roles)
       AND pg_has_role(session_user, 'loket_supervisor', 'MEMBER');
    IF v IS NULL THEN
        IF NOT national_member() THEN
            RETURN false;   -- an advisor: counts its own rows, exactly
        END IF;
        IF p_what NOT IN ('volume', 'funnel', 'consistency') THEN
            RAISE EXCEPTION 'the national figures are the reports volume, funnel and consistency'
                USING ERRCODE = '42501',
                      HINT = 'The national database holds the regions'' summaries, not their '
                             'questions: \report volume, \report funnel, \report consistency.';
        END IF;
    END IF;
    INSERT INTO supervisor_log (role, region, what, args)
    VALUES (session_user, v, p_what, coalesce(p_args, 'null'));
    RETURN true;
END $$;
GRANT EXECUTE ON FUNCTION supervisor_ask(text, jsonb) TO loket_national;
