-- 013_inbox_indexes: the central point's inbox on a busy region.  Each tab
-- reads one page with a keyset: by (deadline, id), or for "returned" by
-- (returned_at, id), newest first.  On 1,000,000 questions (250,000
-- referrals) the "mine" tab took 1.2 s and "returned" 0.6 s without an index
-- in that order (tests/bench/tui_keys.sh).
SET LOCAL ROLE loket_owner;
DROP INDEX referral_to_open;
CREATE INDEX referral_to_open ON referral (to_org, status, deadline, id)
    WHERE status IN ('sent', 'accepted', 'in_progress');
CREATE INDEX referral_mine ON referral (accepted_by, deadline, id)
    WHERE status IN ('accepted', 'in_progress');
-- returned: the most recently returned first
CREATE INDEX referral_returned ON referral (to_org, returned_at DESC, id DESC)
    WHERE status = 'returned';

-- Opening a question marks its referral news seen and says how much news is
-- left, in one round trip.
CREATE OR REPLACE FUNCTION referral_mark_seen(p_question uuid) RETURNS void
    LANGUAGE sql
    SET search_path = loket, pg_catalog, pg_temp AS $$
    INSERT INTO referral_seen (referral_id, role_name, version)
    SELECT r.id, current_user, r.version FROM referral r WHERE r.question_id = p_question
    ON CONFLICT (referral_id, role_name)
    DO UPDATE SET version = EXCLUDED.version, seen_at = now()
    WHERE referral_seen.version < EXCLUDED.version
$$;
CREATE FUNCTION referral_seen_and_count(p_question uuid) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM referral_mark_seen(p_question);
    RETURN referral_unseen_count();
END $$;
GRANT EXECUTE ON FUNCTION referral_seen_and_count(uuid) TO loket_advisor, loket_central;
