-- 042_foreign_phone.sql: a client's phone number from abroad (issue 16's
-- walk: the intake form warned about a Belgian or German number in the text
-- and moved it to the contact form, which could not store it).  Twente
-- borders Germany; cross-border workers ask too.
--
--   - client.phone takes + and a country code other than 31 and 7 to 14
--     more digits (E.164, stored without spaces or dashes), besides the
--     Dutch forms it took (0, +31 or 0031 and nine digits).
--   - person_mentions (041) also finds such numbers in free text, so an
--     export or erasure by one finds where it was typed.
SET LOCAL ROLE loket_owner;

ALTER TABLE client DROP CONSTRAINT client_phone_check;
ALTER TABLE client ADD CONSTRAINT client_phone_check CHECK (
    phone ~ '^(\+31|0031|0)[1-9][0-9]{8}$'
    OR (phone ~ '^\+[1-9][0-9]{7,14}$' AND phone !~ '^\+31'));

CREATE OR REPLACE FUNCTION person_mentions(p_region text, p_keys text[], p_except uuid[])
    RETURNS TABLE (question_id uuid, mention text)
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    -- only texts with an @ or a digit are looked at more closely, and only
    -- for those is the region looked up
    WITH t(id, t) AS (
        SELECT q.id, x.t
          FROM question q, LATERAL (SELECT concat_ws(' ', q.text, nullif(q.extra, '{}')::text)) AS x(t)
         WHERE q.region = p_region AND x.t ~ '@|[0-9]'
        UNION ALL
        SELECT r.question_id, x.t
          FROM referral r, LATERAL (SELECT concat_ws(' ', r.note, r.target_note, r.outcome_note,
                                                     r.return_reason)) AS x(t)
         WHERE x.t ~ '@|[0-9]'
           AND EXISTS (SELECT 1 FROM question q WHERE q.id = r.question_id AND q.region = p_region)
        UNION ALL
        SELECT e.question_id, e.detail::text
          FROM question_event e
         WHERE e.kind IN ('updated', 'referral_updated')
           AND e.detail ?| ARRAY['text', 'extra', 'note', 'target_note', 'outcome_note',
                                 'return_reason']
           AND e.detail::text ~ '@|[0-9]'
           AND EXISTS (SELECT 1 FROM question q WHERE q.id = e.question_id AND q.region = p_region)
    )
    -- every address and number found (Dutch, or + and a country code), then
    -- compared (OFFSET 0: the keys and the exceptions only for what was
    -- found, not for every text)
    SELECT DISTINCT y.id, y.mention
      FROM (SELECT t.id, m.s[1] AS mention
              FROM t, regexp_matches(t.t, '[[:alnum:]._%+-]+@[[:alnum:]-]+(?:\.[[:alnum:]-]+)*\.[[:alpha:]]{2,}'
                                          '|(?:\+31|0031|0)[ .()-]*(?:\(0\)[ .()-]*)?[1-9](?:[ .()-]*[0-9]){8}'
                                          '|\+[1-9](?:[ .()-]*[0-9]){7,14}',
                                     'g') AS m(s)
             WHERE cardinality(p_keys) > 0
            OFFSET 0) AS y
     WHERE contact_canonical(y.mention) = ANY (p_keys) AND NOT y.id = ANY (p_except)
$$;
