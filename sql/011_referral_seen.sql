-- 011_referral_seen: what changed on a referral that this person has not
-- looked at yet.  The sender's advisor sees the central point's news on
-- their question ("teruggekoppeld"); the central point sees new referrals.
-- A change counts as unseen for everyone but whoever made it, until they
-- open the question.
SET LOCAL ROLE loket_owner;

ALTER TABLE referral ADD COLUMN updated_by name NOT NULL DEFAULT current_user;

CREATE FUNCTION referral_touch() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF my_org() IS NOT NULL THEN   -- loading data may say who; advisors may not
            NEW.updated_by := current_user;
        END IF;
    ELSIF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_by := current_user;
    END IF;
    RETURN NEW;
END $$;
-- after referral_before_insert/_update (triggers fire in name order)
CREATE TRIGGER referral_touch BEFORE INSERT OR UPDATE ON referral
    FOR EACH ROW EXECUTE FUNCTION referral_touch();

-- Per person: the version of each referral they last saw.
CREATE TABLE referral_seen (
    referral_id uuid NOT NULL REFERENCES referral,
    role_name   name NOT NULL DEFAULT current_user,
    version     integer NOT NULL,
    seen_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (referral_id, role_name)
);
ALTER TABLE referral_seen ENABLE ROW LEVEL SECURITY;
ALTER TABLE referral_seen FORCE ROW LEVEL SECURITY;
CREATE POLICY referral_seen_own ON referral_seen
    TO loket_advisor, loket_central, loket_supervisor
    USING (role_name = current_user)
    WITH CHECK (role_name = current_user
                AND EXISTS (SELECT 1 FROM referral r WHERE r.id = referral_seen.referral_id));
GRANT SELECT, INSERT, UPDATE ON referral_seen TO loket_advisor, loket_central;
GRANT SELECT ON referral_seen TO loket_supervisor;  -- only their own rows: none

-- Unseen: changed by someone else since this person last looked.
CREATE FUNCTION referral_unseen(r referral) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT r.updated_by <> current_user
       AND r.version > coalesce((SELECT s.version FROM referral_seen s
                                  WHERE s.referral_id = r.id AND s.role_name = current_user), 0)
$$;

-- Opening a question: everything on its referrals is seen.
CREATE FUNCTION referral_mark_seen(p_question uuid) RETURNS void
    LANGUAGE sql
    SET search_path = loket, pg_catalog, pg_temp AS $$
    INSERT INTO referral_seen (referral_id, role_name, version)
    SELECT r.id, current_user, r.version FROM referral r WHERE r.question_id = p_question
    ON CONFLICT (referral_id, role_name)
    DO UPDATE SET version = EXCLUDED.version, seen_at = now()
    WHERE referral_seen.version < EXCLUDED.version
$$;

-- For the status bar: news of the last 7 days not yet seen — on the
-- referrals this person made, and on those sent to their organisation.
CREATE FUNCTION referral_unseen_count() RETURNS bigint
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT count(*) FROM referral r
     WHERE r.updated_at > now() - interval '7 days'
       AND (r.created_by = current_user OR r.to_org = (SELECT my_org()))
       AND referral_unseen(r)
$$;
CREATE INDEX referral_to_recent ON referral (to_org, updated_at DESC);

GRANT EXECUTE ON FUNCTION referral_unseen(referral), referral_mark_seen(uuid),
                          referral_unseen_count()
    TO loket_advisor, loket_central;
GRANT EXECUTE ON FUNCTION referral_unseen(referral) TO loket_supervisor;
