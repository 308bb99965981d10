-- 010_referral_lifecycle: the central point's side of a referral, enforced
-- here and not in the client.
--
--   sent ──accept──▶ accepted ──▶ in_progress ──▶ completed (with an outcome)
--     │                 │  ▲            │
--     │                 │  └─ release ──┘ (back to sent: only who accepted)
--     ├─────────────────┴───────────────┴──▶ returned (to the sender, with a reason)
--     └── withdrawn (by the sender, while not completed or returned)
--
-- Who: only the target organisation accepts, works, completes and returns;
-- only the sender withdraws; what the sender wrote only the sender changes
-- (004).  Accepting goes through referral_accept(), so that of several
-- advisors accepting at once exactly one wins and the others learn who.
-- A pick-up deadline in working days (weekends and the holiday table
-- skipped) is set when the referral is made.  Every change notifies the two
-- organisations' channels, for live screens.
SET LOCAL ROLE loket_owner;

ALTER TABLE referral
    ADD COLUMN deadline       timestamptz,
    ADD COLUMN in_progress_at timestamptz,
    ADD COLUMN returned_at    timestamptz,
    ADD COLUMN return_reason  text CHECK (has_text(return_reason) AND char_length(return_reason) <= 2000),
    ADD COLUMN withdrawn_at   timestamptz,
    -- the target's own note on its progress (the sender's is "note")
    ADD COLUMN target_note    text CHECK (has_text(target_note) AND char_length(target_note) <= 2000);
CREATE INDEX referral_to_open ON referral (to_org, status, deadline)
    WHERE status IN ('sent', 'accepted', 'in_progress');
CREATE INDEX referral_from_recent ON referral (from_org, updated_at DESC);

-- Working days to pick up, per reason when it differs from the region's.
ALTER TABLE referral_reason
    ADD COLUMN pickup_days integer CHECK (pickup_days BETWEEN 1 AND 30);

-- The end of the p_days-th working day after the day of p_from, in Dutch
-- time (fixed: a session's TimeZone must not move a deadline).
CREATE FUNCTION pickup_deadline(p_from timestamptz, p_days integer) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT (d.day + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
      FROM (SELECT g::date AS day
              FROM generate_series((p_from AT TIME ZONE 'Europe/Amsterdam')::date + 1,
                                   (p_from AT TIME ZONE 'Europe/Amsterdam')::date + 7 * p_days + 60,
                                   interval '1 day') g
             WHERE extract(isodow FROM g) < 6
               AND NOT EXISTS (SELECT 1 FROM holiday h WHERE h.day = g::date)
             ORDER BY g
            OFFSET greatest(p_days, 1) - 1 LIMIT 1) d
$$;

-- New referrals start as sent, with their deadline.  Login advisors cannot
-- insert a referral in another state or set its time; loading data (as the
-- owner or a superuser, who have no advisor row) may, and may give the
-- deadline.
CREATE OR REPLACE FUNCTION referral_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    days integer;
BEGIN
    SELECT region, organisation INTO NEW.region, NEW.from_org
    FROM question WHERE id = NEW.question_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'question % does not exist or is not yours', NEW.question_id
            USING ERRCODE = '42501';
    END IF;
    IF NEW.to_org IS NULL THEN
        SELECT code INTO NEW.to_org FROM organisation
        WHERE region = NEW.region AND kind = 'central' AND active;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'region % has no active central organisation', NEW.region
                USING ERRCODE = '23502';
        END IF;
    END IF;
    IF NEW.to_org = NEW.from_org THEN
        RAISE EXCEPTION 'an organisation cannot refer to itself' USING ERRCODE = '23514';
    END IF;
    NEW.created_by := coalesce(NEW.created_by, current_user);
    IF my_org() IS NOT NULL THEN
        IF NEW.status IS DISTINCT FROM 'sent'
           OR num_nonnulls(NEW.outcome, NEW.outcome_note, NEW.target_note, NEW.return_reason,
                           NEW.accepted_by, NEW.accepted_at, NEW.in_progress_at,
                           NEW.completed_at, NEW.returned_at, NEW.withdrawn_at) > 0 THEN
            RAISE EXCEPTION 'a new referral starts as sent, with nothing filled in for the target'
                USING ERRCODE = '23514';
        END IF;
        NEW.created_at := now();
        NEW.deadline := NULL;
    END IF;
    IF NEW.deadline IS NULL THEN
        SELECT coalesce(rr.pickup_days, rg.pickup_days, 2) INTO days
          FROM region rg LEFT JOIN referral_reason rr ON rr.code = NEW.reason
         WHERE rg.code = NEW.region;
        NEW.deadline := pickup_deadline(NEW.created_at, coalesce(days, 2));
    END IF;
    RETURN NEW;
END $$;

-- Changes: who may make which, and the times and names that go with them.
CREATE OR REPLACE FUNCTION referral_before_update() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    me text := my_org();
    move text := OLD.status || '>' || NEW.status;
BEGIN
    IF (NEW.id, NEW.question_id, NEW.region, NEW.from_org, NEW.to_org, NEW.reason,
        NEW.created_by, NEW.created_at, NEW.deadline)
       IS DISTINCT FROM
       (OLD.id, OLD.question_id, OLD.region, OLD.from_org, OLD.to_org, OLD.reason,
        OLD.created_by, OLD.created_at, OLD.deadline) THEN
        RAISE EXCEPTION 'a referral''s question, organisations, reason and deadline cannot change'
            USING ERRCODE = '23514';
    END IF;
    IF me IS NULL THEN
        RETURN NEW;   -- the owner or a superuser maintaining data
    END IF;
    IF me IS DISTINCT FROM OLD.from_org
       AND (NEW.urgency, NEW.note, NEW.consent_contact)
           IS DISTINCT FROM (OLD.urgency, OLD.note, OLD.consent_contact) THEN
        RAISE EXCEPTION 'only the referring organisation can change urgency, note or consent'
            USING ERRCODE = '42501';
    END IF;
    IF me IS DISTINCT FROM OLD.to_org
       AND (NEW.target_note, NEW.outcome_note) IS DISTINCT FROM (OLD.target_note, OLD.outcome_note) THEN
        RAISE EXCEPTION 'only the organisation the referral went to can write its notes'
            USING ERRCODE = '42501';
    END IF;
    -- names and times are set here, never by the client
    NEW.accepted_by := OLD.accepted_by;
    NEW.accepted_at := OLD.accepted_at;
    NEW.in_progress_at := OLD.in_progress_at;
    NEW.completed_at := OLD.completed_at;
    NEW.returned_at := OLD.returned_at;
    NEW.withdrawn_at := OLD.withdrawn_at;
    IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
        IF (NEW.outcome, NEW.return_reason) IS DISTINCT FROM (OLD.outcome, OLD.return_reason) THEN
            RAISE EXCEPTION 'outcome and return reason are given with the change of status'
                USING ERRCODE = '23514';
        END IF;
        IF OLD.status IN ('completed', 'returned', 'withdrawn')
           AND (NEW.target_note, NEW.outcome_note, NEW.note, NEW.urgency, NEW.consent_contact)
               IS DISTINCT FROM
               (OLD.target_note, OLD.outcome_note, OLD.note, OLD.urgency, OLD.consent_contact) THEN
            RAISE EXCEPTION 'a % referral cannot be changed', OLD.status USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END IF;
    IF move IN ('sent>withdrawn', 'accepted>withdrawn', 'in_progress>withdrawn') THEN
        IF me IS DISTINCT FROM OLD.from_org THEN
            RAISE EXCEPTION 'only the referring organisation can withdraw a referral'
                USING ERRCODE = '42501';
        END IF;
        NEW.withdrawn_at := now();
    ELSIF move IN ('sent>accepted', 'accepted>in_progress', 'sent>in_progress',
                   'accepted>completed', 'in_progress>completed',
                   'sent>returned', 'accepted>returned', 'in_progress>returned',
                   'accepted>sent') THEN
        IF me IS DISTINCT FROM OLD.to_org THEN
            RAISE EXCEPTION 'only the organisation the referral went to can %',
                CASE NEW.status WHEN 'accepted' THEN 'accept it'
                                WHEN 'completed' THEN 'complete it'
                                WHEN 'returned' THEN 'return it'
                                ELSE 'work on it' END
                USING ERRCODE = '42501';
        END IF;
        IF NEW.status IN ('accepted', 'in_progress') AND OLD.status = 'sent' THEN
            NEW.accepted_by := current_user;
            NEW.accepted_at := now();
        END IF;
        IF NEW.status = 'in_progress' THEN
            NEW.in_progress_at := now();
        ELSIF NEW.status = 'completed' THEN
            IF NEW.outcome IS NULL THEN
                RAISE EXCEPTION 'a completed referral needs an outcome' USING ERRCODE = '23514';
            END IF;
            NEW.completed_at := now();
        ELSIF NEW.status = 'returned' THEN
            IF NOT coalesce(has_text(NEW.return_reason), false) THEN
                RAISE EXCEPTION 'a returned referral needs a reason' USING ERRCODE = '23514';
            END IF;
            NEW.returned_at := now();
        ELSIF NEW.status = 'sent' THEN   -- released: only by whoever accepted it
            IF OLD.accepted_by IS DISTINCT FROM current_user THEN
                RAISE EXCEPTION 'only % can release this referral', OLD.accepted_by
                    USING ERRCODE = '42501';
            END IF;
            NEW.accepted_by := NULL;
            NEW.accepted_at := NULL;
            NEW.in_progress_at := NULL;
        END IF;
    ELSE
        RAISE EXCEPTION 'a referral cannot go from % to %', OLD.status, NEW.status
            USING ERRCODE = '23514';
    END IF;
    IF NEW.status <> 'completed' AND NEW.outcome IS NOT NULL THEN
        RAISE EXCEPTION 'only a completed referral has an outcome' USING ERRCODE = '23514';
    END IF;
    IF NEW.status <> 'returned' THEN
        NEW.return_reason := OLD.return_reason;
    END IF;
    RETURN NEW;
END $$;

GRANT UPDATE (target_note, return_reason) ON referral TO loket_advisor, loket_central;

-- Accepting: exactly one of several advisors wins.  The row lock makes the
-- others wait; they then find the referral no longer 'sent' and get LK409
-- with the name of who took it (in DETAIL, for the client's own message).
CREATE FUNCTION referral_accept(p_id uuid) RETURNS integer
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v integer;
    r record;
BEGIN
    UPDATE referral SET status = 'accepted'
     WHERE id = p_id AND status = 'sent'
    RETURNING version INTO v;
    IF FOUND THEN
        RETURN v;
    END IF;
    SELECT f.status, f.accepted_by, coalesce(a.display_name, f.accepted_by::text) AS who
      INTO r
      FROM referral f LEFT JOIN advisor a ON a.role_name = f.accepted_by
     WHERE f.id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'referral % does not exist or is not visible to you', p_id
            USING ERRCODE = '02000';
    END IF;
    IF r.accepted_by IS NOT NULL THEN
        RAISE EXCEPTION 'referral already taken by %', r.who
            USING ERRCODE = 'LK409', DETAIL = r.who;
    END IF;
    RAISE EXCEPTION 'a % referral cannot be accepted', r.status
        USING ERRCODE = 'LK409', DETAIL = '';
END $$;
GRANT EXECUTE ON FUNCTION referral_accept(uuid) TO loket_advisor, loket_central;
GRANT EXECUTE ON FUNCTION pickup_deadline(timestamptz, integer)
    TO loket_advisor, loket_central, loket_supervisor;

-- Live screens: both organisations hear of every change.  The payload is the
-- referral's id only; what it is, a listener reads under its own policies.
CREATE FUNCTION referral_notify() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_notify('loket_' || NEW.to_org, NEW.id::text);
    PERFORM pg_notify('loket_' || NEW.from_org, NEW.id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER referral_notify AFTER INSERT OR UPDATE ON referral
    FOR EACH ROW EXECUTE FUNCTION referral_notify();

-- Deadlines of referrals made before this migration (row-level security is
-- forced on the owner too; lifted for this statement only).
ALTER TABLE referral DISABLE TRIGGER USER;
ALTER TABLE referral NO FORCE ROW LEVEL SECURITY;
UPDATE referral r SET deadline = pickup_deadline(r.created_at, coalesce(rg.pickup_days, 2))
  FROM region rg WHERE rg.code = r.region AND r.deadline IS NULL;
ALTER TABLE referral FORCE ROW LEVEL SECURITY;
ALTER TABLE referral ENABLE TRIGGER USER;
ALTER TABLE referral ALTER COLUMN deadline SET NOT NULL;

-- Outcomes as the central point reports them (issue 4); older codes stay
-- only where a referral used them.
INSERT INTO referral_outcome (code, label, sort) VALUES
    ('advies_gegeven',           'Advies gegeven',                   10),
    ('loopbaangesprek',          'Loopbaangesprek gevoerd',          20),
    ('opleiding_gekozen',        'Opleiding gekozen',                30),
    ('financiering_aangevraagd', 'Financiering aangevraagd',         40),
    ('doorverwezen_elders',      'Doorverwezen naar een andere partner', 50),
    ('geen_contact',             'Geen contact met de klant',        60),
    ('niet_van_toepassing',      'Niet van toepassing',              70)
ON CONFLICT (code) DO NOTHING;
DELETE FROM referral_outcome o
 WHERE o.code NOT IN ('advies_gegeven', 'loopbaangesprek', 'opleiding_gekozen',
                      'financiering_aangevraagd', 'doorverwezen_elders', 'geen_contact',
                      'niet_van_toepassing')
   AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.outcome = o.code);
