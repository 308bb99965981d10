-- 020_summary_mail: the text of the summary e-mail a client takes home
-- (issue 6): the question, the information given with its links, the
-- offerings, and the referral with what happens next.  Written here, in
-- Dutch, because the client reads Dutch whatever language the advisor's
-- terminal speaks; it runs as the advisor, so row-level security decides
-- what can be summarised (the client row only for its own organisation or a
-- consented referral target).  The client program composes the MIME message
-- (src/util/mail.c), sends it over SMTP and records the outcome in mail_log.
SET LOCAL ROLE loket_owner;

CREATE FUNCTION mail_summary(p_number integer)
RETURNS TABLE (question_id uuid, to_address text, to_name text, subject text, body text,
               sender text)
    LANGUAGE plpgsql STABLE SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    q question;
    c client;
    v_org text;
    v_info text;
    v_offers text;
    v_ref text;
BEGIN
    SELECT * INTO q FROM question x WHERE x.region = my_region() AND x.number = p_number;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'question % not found', p_number USING ERRCODE = 'P0002';
    END IF;
    SELECT * INTO c FROM client x WHERE x.question_id = q.id;
    IF NOT FOUND OR c.consent_at IS NULL OR c.anonymised_at IS NOT NULL THEN
        RAISE EXCEPTION 'the client has not given consent to be e-mailed'
            USING ERRCODE = '23514', CONSTRAINT = 'mail_needs_consent';
    END IF;
    IF c.email IS NULL THEN
        RAISE EXCEPTION 'the client has no e-mail address'
            USING ERRCODE = '23514', CONSTRAINT = 'mail_needs_address';
    END IF;
    SELECT o.name INTO v_org FROM organisation o WHERE o.code = q.organisation;

    SELECT string_agg(format(E'- %s\n  %s%s', v.title, v.tell_client,
                             CASE WHEN v.link IS NOT NULL THEN E'\n  Meer informatie: ' || v.link
                                  ELSE '' END),
                      E'\n\n' ORDER BY i.given_at, v.title)
      INTO v_info
      FROM info_given i JOIN knowledge_version v ON v.id = i.knowledge_version_id
     WHERE i.question_id = q.id;

    SELECT string_agg(format(E'- %s%s%s%s', o.name,
                             CASE WHEN o.organization IS NOT NULL THEN ' (' || o.organization || ')'
                                  ELSE '' END,
                             CASE WHEN o.start_date IS NOT NULL
                                  THEN E'\n  Start: ' || to_char(o.start_date, 'DD-MM-YYYY') ELSE '' END,
                             CASE WHEN o.link IS NOT NULL THEN E'\n  Meer informatie: ' || o.link
                                  ELSE '' END),
                      E'\n\n' ORDER BY g.given_at, o.name)
      INTO v_offers
      FROM offering_given g JOIN offering o ON o.id = g.offering_id
     WHERE g.question_id = q.id;

    SELECT string_agg(format(E'U bent doorverwezen naar %s (%s).\n%s', t.name, lower(rr.label),
                             CASE r.status
                                 WHEN 'sent' THEN
                                     CASE WHEN r.consent_contact
                                          THEN format('%s neemt uiterlijk %s contact met u op.',
                                                      t.name, to_char(r.deadline AT TIME ZONE 'Europe/Amsterdam',
                                                                      'DD-MM-YYYY'))
                                          ELSE format('U kunt zelf contact opnemen met %s.', t.name) END
                                 WHEN 'accepted' THEN format('%s heeft uw vraag opgepakt en neemt contact met u op.', t.name)
                                 WHEN 'in_progress' THEN format('%s is met uw vraag bezig.', t.name)
                                 WHEN 'completed' THEN format('%s heeft uw vraag afgerond.', t.name)
                                 ELSE format('Neem bij vragen contact op met %s.', v_org)
                             END),
                      E'\n\n' ORDER BY r.created_at)
      INTO v_ref
      FROM referral r
      JOIN organisation t ON t.code = r.to_org
      JOIN referral_reason rr ON rr.code = r.reason
     WHERE r.question_id = q.id AND r.status NOT IN ('withdrawn', 'returned');

    RETURN QUERY SELECT
        q.id, c.email, coalesce(c.name, c.company_name),
        format('Samenvatting van uw vraag aan %s', v_org),
        concat_ws(E'\n\n',
            CASE WHEN c.name IS NOT NULL THEN 'Beste ' || c.name || ',' ELSE 'Beste klant,' END,
            format('Op %s stelde u bij %s de volgende vraag:', to_char(q.created_at AT TIME ZONE 'Europe/Amsterdam', 'DD-MM-YYYY'), v_org),
            regexp_replace(q.text, '^', '  ', 'gn'),
            CASE WHEN v_info IS NOT NULL THEN E'Wat wij u vertelden:\n\n' || v_info END,
            CASE WHEN v_offers IS NOT NULL THEN E'Opleidingen en cursussen die wij noemden:\n\n' || v_offers END,
            CASE WHEN v_ref IS NOT NULL THEN E'Hoe het verder gaat:\n\n' || v_ref
                 ELSE format('Heeft u nog vragen? Neem dan contact op met %s.', v_org) END,
            format(E'Met vriendelijke groet,\n\n%s', v_org),
            format('Dit bericht is verstuurd omdat u daar toestemming voor gaf. Vraagnummer: %s.', q.number)),
        v_org;
END $$;

REVOKE EXECUTE ON FUNCTION mail_summary(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mail_summary(integer) TO loket_advisor, loket_central;
