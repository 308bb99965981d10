-- 005_security: privileges and row-level security.
-- Privileges go to group roles only; login roles are members of them.
-- Every table with case or personal data has row-level security ENABLED and
-- FORCED, so even the owner role is bound by the policies.  Policies ask
-- current_user (through my_org()/my_region(), which read the advisor table)
-- and role membership; never a setting a user can change.
SET LOCAL ROLE loket_owner;

-- Reference data: everyone reads, the admin maintains.
GRANT SELECT ON region, organisation, advisor, topic, client_group, channel,
                referral_reason, referral_outcome, municipality, postcode4, holiday,
                knowledge_item, knowledge_version
    TO loket_advisor, loket_central, loket_supervisor, loket_editor, loket_admin;
GRANT INSERT, UPDATE ON region, organisation, advisor, topic, client_group, channel,
                        referral_reason, referral_outcome, municipality, postcode4, holiday
    TO loket_admin;

-- Knowledge: editors write new items and versions; versions never change.
GRANT INSERT ON knowledge_item, knowledge_version TO loket_editor;
GRANT UPDATE (retired_at) ON knowledge_item TO loket_editor;

GRANT EXECUTE ON FUNCTION next_question_number(text) TO loket_advisor, loket_central;

-- Cases.
GRANT SELECT, INSERT ON question, referral, info_given, signal, question_event
    TO loket_advisor, loket_central;
GRANT UPDATE (channel, client_group, topic, text, postcode4, status, extra)
    ON question TO loket_advisor, loket_central;
GRANT UPDATE (urgency, note, consent_contact, status, outcome, outcome_note,
              accepted_by, accepted_at, completed_at)
    ON referral TO loket_advisor, loket_central;
GRANT SELECT, INSERT ON client TO loket_advisor, loket_central;
GRANT UPDATE (kind, name, email, phone, company_name, kvk_number, sector, company_size,
              consent_at, anonymised_at)
    ON client TO loket_advisor, loket_central;
-- Supervisors read cases of their region, never the client table.
GRANT SELECT ON question, referral, info_given, signal, question_event TO loket_supervisor;

ALTER TABLE question ENABLE ROW LEVEL SECURITY;
ALTER TABLE question FORCE ROW LEVEL SECURITY;
ALTER TABLE client ENABLE ROW LEVEL SECURITY;
ALTER TABLE client FORCE ROW LEVEL SECURITY;
ALTER TABLE referral ENABLE ROW LEVEL SECURITY;
ALTER TABLE referral FORCE ROW LEVEL SECURITY;
ALTER TABLE info_given ENABLE ROW LEVEL SECURITY;
ALTER TABLE info_given FORCE ROW LEVEL SECURITY;
ALTER TABLE signal ENABLE ROW LEVEL SECURITY;
ALTER TABLE signal FORCE ROW LEVEL SECURITY;
ALTER TABLE question_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE question_event FORCE ROW LEVEL SECURITY;

-- question ------------------------------------------------------------------
CREATE POLICY question_read_own ON question FOR SELECT
    TO loket_advisor, loket_central
    USING (organisation = (SELECT my_org()));
-- The target of a referral (normally the central point) sees that question.
CREATE POLICY question_read_referred ON question FOR SELECT
    TO loket_advisor, loket_central
    USING (EXISTS (SELECT 1 FROM referral r
                   WHERE r.question_id = question.id
                     AND r.to_org = (SELECT my_org())
                     AND r.status <> 'withdrawn'));
CREATE POLICY question_read_region ON question FOR SELECT
    TO loket_supervisor
    USING (region = (SELECT my_region()));
CREATE POLICY question_insert ON question FOR INSERT
    TO loket_advisor, loket_central
    WITH CHECK (organisation = (SELECT my_org()) AND advisor = current_user);
CREATE POLICY question_update ON question FOR UPDATE
    TO loket_advisor, loket_central
    USING (organisation = (SELECT my_org()))
    WITH CHECK (organisation = (SELECT my_org()));

-- client: the owning organisation, and the target of a referral the client
-- consented to.  Supervisors have no privilege on this table at all.
CREATE POLICY client_read ON client FOR SELECT
    TO loket_advisor, loket_central
    USING (organisation = (SELECT my_org())
           OR EXISTS (SELECT 1 FROM referral r
                      WHERE r.question_id = client.question_id
                        AND r.to_org = (SELECT my_org())
                        AND r.consent_contact
                        AND r.status <> 'withdrawn'));
CREATE POLICY client_insert ON client FOR INSERT
    TO loket_advisor, loket_central
    WITH CHECK (organisation = (SELECT my_org()));
CREATE POLICY client_update ON client FOR UPDATE
    TO loket_advisor, loket_central
    USING (organisation = (SELECT my_org()))
    WITH CHECK (organisation = (SELECT my_org()));

-- referral: sender and target; supervisors read their region.
CREATE POLICY referral_read ON referral FOR SELECT
    TO loket_advisor, loket_central
    USING (from_org = (SELECT my_org()) OR to_org = (SELECT my_org()));
CREATE POLICY referral_read_region ON referral FOR SELECT
    TO loket_supervisor
    USING (region = (SELECT my_region()));
CREATE POLICY referral_insert ON referral FOR INSERT
    TO loket_advisor, loket_central
    WITH CHECK (from_org = (SELECT my_org()) AND created_by = current_user);
CREATE POLICY referral_update ON referral FOR UPDATE
    TO loket_advisor, loket_central
    USING (from_org = (SELECT my_org()) OR to_org = (SELECT my_org()))
    WITH CHECK (from_org = (SELECT my_org()) OR to_org = (SELECT my_org()));

-- info_given and the history follow the visibility of their question.
CREATE POLICY info_given_read ON info_given FOR SELECT
    TO loket_advisor, loket_central, loket_supervisor
    USING (EXISTS (SELECT 1 FROM question q WHERE q.id = info_given.question_id));
CREATE POLICY info_given_insert ON info_given FOR INSERT
    TO loket_advisor, loket_central
    WITH CHECK (given_by = current_user
                AND EXISTS (SELECT 1 FROM question q WHERE q.id = info_given.question_id));

CREATE POLICY question_event_read ON question_event FOR SELECT
    TO loket_advisor, loket_central, loket_supervisor
    USING (EXISTS (SELECT 1 FROM question q WHERE q.id = question_event.question_id));
-- Only triggers write history, only in the name of the current role, and
-- only on a question that role can see.
CREATE POLICY question_event_insert ON question_event FOR INSERT
    TO loket_advisor, loket_central
    WITH CHECK (pg_trigger_depth() > 0 AND actor = current_user
                AND EXISTS (SELECT 1 FROM question q WHERE q.id = question_event.question_id));

-- signal: the organisation that logged it; supervisors read their region.
CREATE POLICY signal_read ON signal FOR SELECT
    TO loket_advisor, loket_central
    USING (organisation = (SELECT my_org()));
CREATE POLICY signal_read_region ON signal FOR SELECT
    TO loket_supervisor
    USING (region = (SELECT my_region()));
CREATE POLICY signal_insert ON signal FOR INSERT
    TO loket_advisor, loket_central
    WITH CHECK (organisation = (SELECT my_org()) AND advisor = current_user
                AND (question_id IS NULL
                     OR EXISTS (SELECT 1 FROM question q WHERE q.id = signal.question_id)));
