-- 029_unseen_count: the status bar's count of unseen referral news in a few
-- index scans (issue 15, point 3).
--
-- referral_unseen_count() (011) called referral_unseen(r) on every referral
-- of the last 7 days that the caller could see: a function with its own
-- search_path is never inlined, so at 1,000,000 questions the central point
-- paid ~4,300 calls, 35-100 ms, at start-up, on every notification and on
-- every question opened (referral_seen_and_count, 013).
--
-- What counts is unchanged: a referral the caller can see (row-level
-- security), changed in the last 7 days by someone else, sent to the
-- caller's organisation or made by the caller, whose version is above the
-- one the caller last saw (0 when never).  It is now counted as
--
--   A: those referrals, seen or not, read from two covering indexes (one
--      per half of the OR, which cannot overlap) without calling anything
--      per row;
--   B: minus those of them that the caller has seen at their current
--      version, found from the caller's own referral_seen rows of the last
--      7 days (referral_seen_recent) and checked against the referral.
--
-- For B each referral_seen row carries its referral's updated_at
-- (referral_updated_at), kept by the server: stamped from the referral when
-- the row is written, and again on every row of a referral when that
-- referral's updated_at changes.  Login roles cannot write the column (no
-- grant; the trigger overwrites it anyway).  A row seen at the referral's
-- current version always carries that version's time: the version and the
-- time are read in the same order as the referral writes them, and any
-- later change of the referral raises its version above the row's.
SET LOCAL ROLE loket_owner;

ALTER TABLE referral_seen ADD COLUMN referral_updated_at timestamptz;

-- The stamp, from the referral itself (the owner reads every referral:
-- owner_counts, 015), whoever writes the row.
CREATE FUNCTION referral_seen_stamp() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    NEW.referral_updated_at := (SELECT r.updated_at FROM referral r
                                 WHERE r.id = NEW.referral_id);
    RETURN NEW;
END $$;
-- after referral_seen_owned, which settles the version (name order)
CREATE TRIGGER referral_seen_stamp BEFORE INSERT OR UPDATE ON referral_seen
    FOR EACH ROW EXECUTE FUNCTION referral_seen_stamp();

-- A referral that changed restamps everyone's rows of it.  Definer: the
-- rows are other people's.
CREATE POLICY referral_seen_owner ON referral_seen FOR SELECT TO loket_owner USING (true);
CREATE POLICY referral_seen_owner_stamp ON referral_seen FOR UPDATE TO loket_owner
    USING (true) WITH CHECK (true);
CREATE FUNCTION referral_seen_restamp() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    UPDATE referral_seen s SET referral_updated_at = NEW.updated_at
     WHERE s.referral_id = NEW.id
       AND s.referral_updated_at IS DISTINCT FROM NEW.updated_at;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_seen_restamp AFTER UPDATE ON referral
    FOR EACH ROW WHEN (OLD.updated_at IS DISTINCT FROM NEW.updated_at)
    EXECUTE FUNCTION referral_seen_restamp();
REVOKE EXECUTE ON FUNCTION referral_seen_stamp(), referral_seen_restamp() FROM PUBLIC;

-- The rows there are (row-level security is forced on the owner too;
-- lifted for this statement only, with the triggers, which would only
-- write the same).
ALTER TABLE referral_seen DISABLE TRIGGER USER;
ALTER TABLE referral_seen NO FORCE ROW LEVEL SECURITY;
UPDATE referral_seen s SET referral_updated_at = r.updated_at
  FROM referral r WHERE r.id = s.referral_id;
ALTER TABLE referral_seen FORCE ROW LEVEL SECURITY;
ALTER TABLE referral_seen ENABLE TRIGGER USER;

-- One's own rows of the last days.
CREATE INDEX referral_seen_recent ON referral_seen (role_name, referral_updated_at)
    INCLUDE (version);
-- A, one index per half, with every column the count and the policies read
-- (index-only scans).  referral_to_recent (011) had the first two.
DROP INDEX referral_to_recent;
CREATE INDEX referral_to_recent ON referral (to_org, updated_at DESC)
    INCLUDE (updated_by, version, from_org, created_by);
CREATE INDEX referral_made_recent ON referral (created_by, updated_at DESC)
    INCLUDE (updated_by, version, from_org, to_org);

-- The count.  A referral's version is at least 1 (it starts there and
-- every change raises it); "> 0" keeps the old "version > coalesce(seen,
-- 0)" exact for any row.  The planner cannot know the caller's organisation
-- and guesses tens of thousands of rows; without jit = off it then spends
-- ~35 ms compiling a query that runs in 2.
CREATE OR REPLACE FUNCTION referral_unseen_count() RETURNS bigint
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp
    SET jit = off AS $$
    WITH me AS MATERIALIZED (
        SELECT current_user AS u, my_org() AS o, now() - interval '7 days' AS since)
    SELECT (SELECT count(*) FROM referral r
             WHERE r.to_org = me.o AND r.updated_at > me.since
               AND r.updated_by <> me.u AND r.version > 0)
         + (SELECT count(*) FROM referral r
             WHERE r.created_by = me.u AND r.to_org IS DISTINCT FROM me.o
               AND r.updated_at > me.since AND r.updated_by <> me.u AND r.version > 0)
         - (SELECT count(*) FROM referral_seen s
             CROSS JOIN LATERAL (   -- one probe of the referral per row
                   SELECT 1 FROM referral r
                    WHERE r.id = s.referral_id AND r.updated_at > me.since
                      AND r.updated_by <> me.u AND r.version > 0 AND s.version >= r.version
                      AND (r.to_org = me.o OR r.created_by = me.u)
                    LIMIT 1) r
             WHERE s.role_name = me.u AND s.referral_updated_at > me.since)
      FROM me
$$;
