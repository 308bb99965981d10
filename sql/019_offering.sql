-- 019_offering: the regional training catalogue (aanbod), fetched by
-- `loket aanbod sync` as OOAPI v5 offering pages and parsed here, as jsonb;
-- offerings given on a question; the summary e-mail's log.
--
-- A sync is one transaction: the client opens it, hands every page it
-- fetches to offering_sync_page() (which checks the page completely and
-- upserts its items), and ends with offering_sync_finish() (which withdraws
-- what the source no longer lists).  A bad page raises an error that names
-- the page, the item and the field, and the client rolls back: the table is
-- as it was.  Withdrawn offerings stay (questions may point at them) but are
-- no longer found.
SET LOCAL ROLE loket_owner;

CREATE TABLE offering (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region            code NOT NULL REFERENCES region,
    offering_id       uuid NOT NULL,           -- OOAPI offeringId
    code_type         text,
    code              text,
    offering_type     text NOT NULL CHECK (offering_type IN ('program', 'course', 'component')),
    name              text NOT NULL CHECK (has_text(name)),
    description       text,
    teaching_language text,
    modes             text[] NOT NULL DEFAULT '{}',   -- OOAPI modeOfDelivery
    start_date        date,
    end_date          date,
    enroll_start      date,
    enroll_end        date,
    price             numeric(12, 2),          -- total, euro; NULL when unknown
    currency          text,
    municipality      code REFERENCES municipality,
    city              text,
    link              text,
    organization      text,
    source            jsonb NOT NULL,          -- the item as received
    first_seen        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    withdrawn_at      timestamptz,
    sync_no           bigint NOT NULL,
    UNIQUE (region, offering_id)
);
CREATE INDEX offering_fts ON offering
    USING gin (to_tsvector('dutch', name || ' ' || coalesce(description, '')))
    WHERE withdrawn_at IS NULL;
CREATE INDEX offering_start ON offering (region, start_date) WHERE withdrawn_at IS NULL;

-- Per region: where the catalogue came from and its validators, so that an
-- unchanged catalogue costs one conditional request.
CREATE TABLE offering_source (
    region        code PRIMARY KEY REFERENCES region,
    url           text NOT NULL,
    etag          text,
    last_modified text,
    sync_no       bigint NOT NULL DEFAULT 0,
    synced_at     timestamptz,    -- the last sync that changed or confirmed the table
    checked_at    timestamptz,    -- the last request, 304 or not
    items         integer NOT NULL DEFAULT 0
);

-- Which offering was given on a question, like info_given for knowledge.
CREATE TABLE offering_given (
    question_id uuid NOT NULL REFERENCES question,
    offering_id bigint NOT NULL REFERENCES offering,
    given_by    name NOT NULL DEFAULT current_user,
    given_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (question_id, offering_id)
);
CREATE INDEX offering_given_offering ON offering_given (offering_id);
CREATE INDEX offering_given_at ON offering_given (given_at);

-- Summary e-mails: one row per attempt.  The address is not copied here
-- (it lives, with its consent, in client), only the outcome.
CREATE TABLE mail_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id uuid NOT NULL REFERENCES question,
    message_id  text NOT NULL,
    ok          boolean NOT NULL,
    error       text CHECK (char_length(error) <= 1000),
    sent_by     name NOT NULL DEFAULT current_user,
    sent_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (ok = (error IS NULL))
);
CREATE INDEX mail_log_question ON mail_log (question_id, id);

ALTER TABLE question_event DROP CONSTRAINT question_event_kind_check;
ALTER TABLE question_event ADD CONSTRAINT question_event_kind_check CHECK (kind IN (
    'created', 'updated', 'client_saved', 'client_updated', 'info_given',
    'referral_created', 'referral_updated', 'signal_logged',
    'offering_given', 'mail_sent', 'mail_failed'));

-- Privileges and row-level security ----------------------------------------
GRANT SELECT ON offering, offering_source
    TO loket_advisor, loket_central, loket_editor, loket_admin;
GRANT INSERT, UPDATE ON offering, offering_source TO loket_editor, loket_admin;
GRANT SELECT, INSERT ON offering_given, mail_log TO loket_advisor, loket_central;

ALTER TABLE offering ENABLE ROW LEVEL SECURITY;
ALTER TABLE offering FORCE ROW LEVEL SECURITY;
ALTER TABLE offering_source ENABLE ROW LEVEL SECURITY;
ALTER TABLE offering_source FORCE ROW LEVEL SECURITY;
ALTER TABLE offering_given ENABLE ROW LEVEL SECURITY;
ALTER TABLE offering_given FORCE ROW LEVEL SECURITY;
ALTER TABLE mail_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_log FORCE ROW LEVEL SECURITY;

CREATE POLICY offering_read ON offering FOR SELECT
    TO loket_advisor, loket_central, loket_editor, loket_admin
    USING (region = (SELECT my_region()));
CREATE POLICY offering_write ON offering FOR INSERT TO loket_editor, loket_admin
    WITH CHECK (region = (SELECT my_region()));
CREATE POLICY offering_update ON offering FOR UPDATE TO loket_editor, loket_admin
    USING (region = (SELECT my_region())) WITH CHECK (region = (SELECT my_region()));
CREATE POLICY offering_source_read ON offering_source FOR SELECT
    TO loket_advisor, loket_central, loket_editor, loket_admin
    USING (region = (SELECT my_region()));
CREATE POLICY offering_source_write ON offering_source FOR INSERT TO loket_editor, loket_admin
    WITH CHECK (region = (SELECT my_region()));
CREATE POLICY offering_source_update ON offering_source FOR UPDATE TO loket_editor, loket_admin
    USING (region = (SELECT my_region())) WITH CHECK (region = (SELECT my_region()));
CREATE POLICY offering_owner ON offering FOR SELECT TO loket_owner USING (true);

CREATE POLICY offering_given_read ON offering_given FOR SELECT
    TO loket_advisor, loket_central
    USING (EXISTS (SELECT 1 FROM question q WHERE q.id = offering_given.question_id));
CREATE POLICY offering_given_insert ON offering_given FOR INSERT
    TO loket_advisor, loket_central
    WITH CHECK (given_by = current_user
                AND EXISTS (SELECT 1 FROM question q WHERE q.id = offering_given.question_id)
                AND EXISTS (SELECT 1 FROM offering o WHERE o.id = offering_given.offering_id
                              AND o.withdrawn_at IS NULL));
CREATE POLICY offering_given_owner ON offering_given FOR SELECT TO loket_owner USING (true);

CREATE POLICY mail_log_read ON mail_log FOR SELECT
    TO loket_advisor, loket_central
    USING (EXISTS (SELECT 1 FROM question q WHERE q.id = mail_log.question_id));
CREATE POLICY mail_log_insert ON mail_log FOR INSERT
    TO loket_advisor, loket_central
    WITH CHECK (sent_by = current_user
                AND EXISTS (SELECT 1 FROM question q WHERE q.id = mail_log.question_id));

-- History ------------------------------------------------------------------
CREATE FUNCTION offering_given_after_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO question_event (question_id, at, actor, kind, detail)
    SELECT n.question_id, n.given_at, n.given_by, 'offering_given',
           jsonb_build_object('offering', n.offering_id, 'offering_id', o.offering_id,
                              'name', o.name, 'link', o.link)
      FROM new_rows n JOIN offering o ON o.id = n.offering_id;
    UPDATE question q SET status = 'informed'
     WHERE q.status = 'open' AND q.id IN (SELECT question_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER offering_given_after_insert AFTER INSERT ON offering_given
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION offering_given_after_insert();

-- An offering given informs the question, as knowledge does: in the
-- supervisors' funnel too (stat_refresh counts question_informed).
CREATE OR REPLACE FUNCTION question_informed(p_question uuid) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM loket.info_given i WHERE i.question_id = p_question)
        OR EXISTS (SELECT 1 FROM loket.offering_given g WHERE g.question_id = p_question)
$$;
CREATE TRIGGER stat_mark_insert AFTER INSERT ON offering_given
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_child();

CREATE FUNCTION mail_log_after_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO question_event (question_id, at, actor, kind, detail)
    VALUES (NEW.question_id, NEW.sent_at, NEW.sent_by,
            CASE WHEN NEW.ok THEN 'mail_sent' ELSE 'mail_failed' END,
            jsonb_strip_nulls(jsonb_build_object('message_id', NEW.message_id,
                                                 'error', NEW.error)));
    RETURN NULL;
END $$;
CREATE TRIGGER mail_log_after_insert AFTER INSERT ON mail_log
    FOR EACH ROW EXECUTE FUNCTION mail_log_after_insert();
CREATE TRIGGER mail_log_append_only BEFORE UPDATE OR DELETE ON mail_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Catalogue sync -------------------------------------------------------------

-- The text of a language-tagged OOAPI string array: Dutch first, then
-- English, then the first entry.
CREATE FUNCTION ooapi_text(a jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT e->>'value'
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(a) = 'array' THEN a ELSE '[]' END)
           WITH ORDINALITY AS x(e, o)
     WHERE jsonb_typeof(e->'value') = 'string' AND has_text(e->>'value')
     ORDER BY CASE WHEN e->>'language' ILIKE 'nl%' THEN 0
                   WHEN e->>'language' ILIKE 'en%' THEN 1 ELSE 2 END, o
     LIMIT 1
$$;

-- offering_sync_error: the one error a sync reports.
CREATE FUNCTION offering_sync_error(p_page integer, p_item integer, p_field text, p_problem text)
RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF p_item IS NULL AND p_field IS NULL THEN
        RAISE EXCEPTION 'page %: %', p_page, p_problem USING ERRCODE = '22023', HINT = 'LKSYNC';
    END IF;
    IF p_item IS NULL THEN
        RAISE EXCEPTION 'page %, field "%": %', p_page, p_field, p_problem
            USING ERRCODE = '22023', HINT = 'LKSYNC';
    END IF;
    IF p_field IS NULL THEN
        RAISE EXCEPTION 'page %, item %: %', p_page, p_item, p_problem
            USING ERRCODE = '22023', HINT = 'LKSYNC';
    END IF;
    RAISE EXCEPTION 'page %, item %, field "%": %', p_page, p_item, p_field, p_problem
        USING ERRCODE = '22023', HINT = 'LKSYNC';
END $$;

-- Begin a sync of the caller's region from p_url: takes the region's sync
-- lock for the transaction and returns the new sync number.
CREATE FUNCTION offering_sync_begin(p_url text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := my_region();
    v_no bigint;
BEGIN
    IF v_region IS NULL THEN
        RAISE EXCEPTION 'role "%" is not an active loket advisor', current_user
            USING ERRCODE = '42501';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('loket.offering_sync'), hashtext(v_region));
    INSERT INTO offering_source AS s (region, url) VALUES (v_region, p_url)
    ON CONFLICT (region) DO UPDATE
       SET url = EXCLUDED.url,
           -- another source: its validators mean nothing here
           etag = CASE WHEN s.url = EXCLUDED.url THEN s.etag END,
           last_modified = CASE WHEN s.url = EXCLUDED.url THEN s.last_modified END
    RETURNING s.sync_no + 1 INTO v_no;
    UPDATE offering_source SET sync_no = v_no WHERE region = v_region;
    RETURN v_no;
END $$;

-- Check one page completely, then upsert its items.  Returns whether the
-- source has a next page and how many items this page held.
CREATE FUNCTION offering_sync_page(p_sync bigint, p_page integer, p_body text,
                                   OUT has_next boolean, OUT items integer)
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    doc jsonb;
    it jsonb;
    n integer := 0;
    f text;
    v_detail text;
    v_ids text[] := '{}';
    v_dup bigint;
    v_region text := my_region();
BEGIN
    BEGIN
        doc := p_body::jsonb;
    EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value
                   OR untranslatable_character THEN
        GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
        PERFORM offering_sync_error(p_page, NULL, NULL,
                                    'not valid JSON (' || coalesce(v_detail, SQLERRM) || ')');
    END;
    IF jsonb_typeof(doc) IS DISTINCT FROM 'object' THEN
        PERFORM offering_sync_error(p_page, NULL, NULL, 'a page must be a JSON object');
    END IF;
    IF jsonb_typeof(doc->'items') IS DISTINCT FROM 'array' THEN
        PERFORM offering_sync_error(p_page, NULL, 'items', 'missing or not an array');
    END IF;
    IF jsonb_typeof(doc->'hasNextPage') IS DISTINCT FROM 'boolean' THEN
        PERFORM offering_sync_error(p_page, NULL, 'hasNextPage', 'missing or not true/false');
    END IF;
    IF doc ? 'pageNumber' AND doc->'pageNumber' IS DISTINCT FROM to_jsonb(p_page) THEN
        PERFORM offering_sync_error(p_page, NULL, 'pageNumber',
                                    format('is %s, page %s was asked for', doc->'pageNumber', p_page));
    END IF;

    FOR it IN SELECT e FROM jsonb_array_elements(doc->'items') e LOOP
        n := n + 1;
        IF jsonb_typeof(it) IS DISTINCT FROM 'object' THEN
            PERFORM offering_sync_error(p_page, n, NULL, 'an item must be an object');
        END IF;
        IF jsonb_typeof(it->'offeringId') IS DISTINCT FROM 'string'
           OR it->>'offeringId' !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
            PERFORM offering_sync_error(p_page, n, 'offeringId', 'missing or not a UUID');
        END IF;
        IF lower(it->>'offeringId') = ANY (v_ids) THEN
            PERFORM offering_sync_error(p_page, n, 'offeringId', 'appears twice on the page');
        END IF;
        v_ids := v_ids || lower(it->>'offeringId');
        IF it->>'offeringType' IS NULL OR it->>'offeringType' NOT IN ('program', 'course', 'component') THEN
            PERFORM offering_sync_error(p_page, n, 'offeringType',
                                        'missing or not program, course or component');
        END IF;
        IF jsonb_typeof(it->'name') IS DISTINCT FROM 'array' OR ooapi_text(it->'name') IS NULL THEN
            PERFORM offering_sync_error(p_page, n, 'name', 'missing or without a text');
        END IF;
        IF it ? 'description' AND jsonb_typeof(it->'description') NOT IN ('array', 'null') THEN
            PERFORM offering_sync_error(p_page, n, 'description', 'not a list of texts');
        END IF;
        FOREACH f IN ARRAY ARRAY['startDate', 'endDate', 'enrollStartDate', 'enrollEndDate'] LOOP
            IF it ? f AND it->f <> 'null'::jsonb
               AND (jsonb_typeof(it->f) <> 'string' OR NOT is_date(left(it->>f, 10))) THEN
                PERFORM offering_sync_error(p_page, n, f, 'not a date');
            END IF;
        END LOOP;
        IF it ? 'modeOfDelivery' AND it->'modeOfDelivery' <> 'null'::jsonb
           AND jsonb_typeof(it->'modeOfDelivery') NOT IN ('array', 'string') THEN
            PERFORM offering_sync_error(p_page, n, 'modeOfDelivery', 'not a list of modes');
        END IF;
        IF it ? 'priceInformation' AND it->'priceInformation' <> 'null'::jsonb AND (
               jsonb_typeof(it->'priceInformation') <> 'array'
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(it->'priceInformation') p
                           WHERE jsonb_typeof(p) <> 'object'
                              OR jsonb_typeof(p->'amount') NOT IN ('number', 'string')
                              OR (p->>'amount') !~ '^[0-9]{1,9}(\.[0-9]{1,2})?$')) THEN
            PERFORM offering_sync_error(p_page, n, 'priceInformation',
                                        'each entry needs an amount such as "1250.00"');
        END IF;
        IF it ? 'link' AND it->'link' <> 'null'::jsonb
           AND (jsonb_typeof(it->'link') <> 'string' OR it->>'link' !~ '^https?://[^[:space:]]+$') THEN
            PERFORM offering_sync_error(p_page, n, 'link', 'not a web address');
        END IF;
    END LOOP;

    -- an offering on two pages of one catalogue: the source is inconsistent
    -- (it changed while it was being read, or pages overlap)
    SELECT min(x.pos) INTO v_dup
      FROM jsonb_array_elements(doc->'items') WITH ORDINALITY AS x(e, pos)
      JOIN offering o ON o.region = v_region AND o.sync_no = p_sync
                     AND o.offering_id = (x.e->>'offeringId')::uuid;
    IF v_dup IS NOT NULL THEN
        PERFORM offering_sync_error(p_page, v_dup::integer, 'offeringId',
                                    'already on an earlier page of this catalogue');
    END IF;

    INSERT INTO offering AS o (region, offering_id, code_type, code, offering_type, name,
                               description, teaching_language, modes, start_date, end_date,
                               enroll_start, enroll_end, price, currency, municipality, city,
                               link, organization, source, sync_no)
    SELECT v_region, (e->>'offeringId')::uuid, e->'primaryCode'->>'codeType',
           e->'primaryCode'->>'code', e->>'offeringType', ooapi_text(e->'name'),
           ooapi_text(e->'description'), e->>'teachingLanguage',
           CASE jsonb_typeof(e->'modeOfDelivery')
               WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(e->'modeOfDelivery'))
               WHEN 'string' THEN ARRAY[e->>'modeOfDelivery']
               ELSE '{}' END,
           left(e->>'startDate', 10)::date, left(e->>'endDate', 10)::date,
           left(e->>'enrollStartDate', 10)::date, left(e->>'enrollEndDate', 10)::date,
           pr.total, pr.currency, ad.municipality, ad.city,
           e->>'link',
           CASE jsonb_typeof(e->'organization')
               WHEN 'string' THEN e->>'organization'
               WHEN 'object' THEN coalesce(ooapi_text(e->'organization'->'name'),
                                           e->'organization'->>'shortName',
                                           e->'organization'->>'organizationId')
           END,
           e, p_sync
      FROM jsonb_array_elements(doc->'items') e
      -- the price: the "total costs" entry when there is one, else the sum
      CROSS JOIN LATERAL (
          SELECT coalesce(max((p->>'amount')::numeric) FILTER (WHERE p->>'costType' = 'total costs'),
                          sum((p->>'amount')::numeric)) AS total,
                 min(p->>'currency') AS currency
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e->'priceInformation') = 'array'
                                           THEN e->'priceInformation' ELSE '[]' END) p) pr
      -- the place: the first address whose postcode or city is known here
      LEFT JOIN LATERAL (
          SELECT coalesce(pc.municipality, m.code) AS municipality, a->>'city' AS city
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e->'addresses') = 'array'
                                           THEN e->'addresses' ELSE '[]' END)
                 WITH ORDINALITY AS x(a, o)
            LEFT JOIN postcode4 pc ON pc.postcode = left(regexp_replace(a->>'postalCode', '\s', '', 'g'), 4)
            LEFT JOIN municipality m ON lower(m.name) = lower(btrim(a->>'city'))
           ORDER BY (coalesce(pc.municipality, m.code) IS NULL), o
           LIMIT 1) ad ON true
    ON CONFLICT (region, offering_id) DO UPDATE
       SET code_type = EXCLUDED.code_type, code = EXCLUDED.code,
           offering_type = EXCLUDED.offering_type, name = EXCLUDED.name,
           description = EXCLUDED.description, teaching_language = EXCLUDED.teaching_language,
           modes = EXCLUDED.modes, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
           enroll_start = EXCLUDED.enroll_start, enroll_end = EXCLUDED.enroll_end,
           price = EXCLUDED.price, currency = EXCLUDED.currency,
           municipality = EXCLUDED.municipality, city = EXCLUDED.city, link = EXCLUDED.link,
           organization = EXCLUDED.organization, source = EXCLUDED.source,
           sync_no = EXCLUDED.sync_no, withdrawn_at = NULL,
           updated_at = CASE WHEN o.source IS DISTINCT FROM EXCLUDED.source OR o.withdrawn_at IS NOT NULL
                             THEN now() ELSE o.updated_at END;
    has_next := (doc->>'hasNextPage')::boolean;
    items := n;
END $$;

-- End a sync: withdraw what this sync did not see, remember the validators.
-- Returns the counts for the summary line.
CREATE FUNCTION offering_sync_finish(p_sync bigint, p_etag text, p_last_modified text,
                                     OUT total integer, OUT added integer, OUT changed integer,
                                     OUT withdrawn integer)
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := my_region();
    v_started timestamptz := now();
BEGIN
    -- A source that suddenly lists nothing is broken, not empty: refuse
    -- rather than withdraw the whole catalogue.
    IF NOT EXISTS (SELECT 1 FROM offering WHERE region = v_region AND sync_no = p_sync)
       AND EXISTS (SELECT 1 FROM offering WHERE region = v_region AND withdrawn_at IS NULL) THEN
        RAISE EXCEPTION 'the source lists no offerings at all; the catalogue is kept as it was'
            USING ERRCODE = '22023', HINT = 'LKSYNC';
    END IF;
    UPDATE offering SET withdrawn_at = now(), updated_at = now()
     WHERE region = v_region AND sync_no <> p_sync AND withdrawn_at IS NULL;
    GET DIAGNOSTICS withdrawn = ROW_COUNT;
    SELECT count(*) FILTER (WHERE sync_no = p_sync),
           count(*) FILTER (WHERE sync_no = p_sync AND first_seen = v_started),
           count(*) FILTER (WHERE sync_no = p_sync AND first_seen <> v_started
                                 AND updated_at = v_started)
      INTO total, added, changed
      FROM offering WHERE region = v_region;
    UPDATE offering_source
       SET etag = p_etag, last_modified = p_last_modified, synced_at = now(), checked_at = now(),
           items = total
     WHERE region = v_region;
END $$;

-- A conditional request found the catalogue unchanged.
CREATE FUNCTION offering_sync_unchanged() RETURNS integer
    LANGUAGE sql SET search_path = loket, pg_catalog, pg_temp AS $$
    UPDATE offering_source SET checked_at = now() WHERE region = my_region() RETURNING items
$$;

-- The search as you type: Dutch full text (every word also as a prefix,
-- for the word being typed) on name and description, with optional
-- filters.  A half-typed word is stemmed by the Dutch dictionary ("kwaad"
-- becomes "kwad"), so the same words are also tried unstemmed ('simple').
-- The screen shows at most p_limit rows.
CREATE FUNCTION offering_search(p_text text, p_mode text DEFAULT NULL,
                                p_from date DEFAULT NULL, p_max_price numeric DEFAULT NULL,
                                p_muni text DEFAULT NULL, p_limit integer DEFAULT 20)
RETURNS TABLE (id bigint, name text, organization text, modes text[], start_date date,
               price numeric, municipality text, city text, link text, description text,
               offering_type text)
    LANGUAGE sql STABLE SET search_path = loket, pg_catalog, pg_temp AS $$
    WITH w AS (
        SELECT string_agg(quote_literal(x) || ':*', ' & ') AS terms
          FROM regexp_split_to_table(lower(btrim(coalesce(p_text, ''))), '[^[:alnum:]]+') x
         WHERE x <> ''
    ), q AS (
        SELECT CASE WHEN w.terms IS NULL THEN NULL ELSE to_tsquery('dutch', w.terms) END AS dutch,
               CASE WHEN w.terms IS NULL THEN NULL ELSE to_tsquery('simple', w.terms) END AS plain
          FROM w
    )
    SELECT o.id, o.name, o.organization, o.modes, o.start_date, o.price,
           m.name, o.city, o.link, o.description, o.offering_type
      FROM offering o CROSS JOIN q
      LEFT JOIN municipality m ON m.code = o.municipality
     WHERE o.region = my_region() AND o.withdrawn_at IS NULL
       AND (q.dutch IS NULL
            OR to_tsvector('dutch', o.name || ' ' || coalesce(o.description, '')) @@ q.dutch
            OR to_tsvector('simple', o.name || ' ' || coalesce(o.description, '')) @@ q.plain)
       AND (p_mode IS NULL OR p_mode = ANY (o.modes))
       AND (p_from IS NULL OR o.start_date >= p_from)
       AND (p_max_price IS NULL OR o.price <= p_max_price)
       AND (p_muni IS NULL OR o.municipality = p_muni OR m.name ILIKE p_muni)
     ORDER BY CASE WHEN q.dutch IS NULL THEN 0
                   ELSE ts_rank(to_tsvector('dutch', o.name || ' ' || coalesce(o.description, '')),
                                q.dutch) END DESC,
              o.start_date NULLS LAST, o.name, o.id
     LIMIT greatest(1, least(coalesce(p_limit, 20), 100))
$$;

-- Reports: which offerings were given most in the window (supervisors;
-- counts under the region's threshold held back as everywhere).
CREATE FUNCTION report_offerings(p_since date, p_until date)
    RETURNS TABLE (name text, organization text, given bigint, withdrawn boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    RETURN QUERY
    SELECT o.name, o.organization, suppress(count(*), k), o.withdrawn_at IS NOT NULL
      FROM offering_given g JOIN offering o ON o.id = g.offering_id
     WHERE o.region = v_region
       AND g.given_at >= nl_start(p_since) AND g.given_at < nl_start(p_until + 1)
     GROUP BY o.id
     ORDER BY suppress(count(*), k) DESC NULLS LAST, o.name, o.id
     LIMIT 50;
END $$;
REVOKE EXECUTE ON FUNCTION report_offerings(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION report_offerings(date, date) TO loket_supervisor;

REVOKE EXECUTE ON FUNCTION offering_sync_begin(text), offering_sync_page(bigint, integer, text),
                           offering_sync_finish(bigint, text, text), offering_sync_unchanged(),
                           offering_search(text, text, date, numeric, text, integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION offering_sync_begin(text), offering_sync_page(bigint, integer, text),
                          offering_sync_finish(bigint, text, text), offering_sync_unchanged()
    TO loket_editor, loket_admin;
REVOKE EXECUTE ON FUNCTION offering_sync_error(integer, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION offering_sync_error(integer, integer, text, text)
    TO loket_editor, loket_admin;
GRANT EXECUTE ON FUNCTION offering_search(text, text, date, numeric, text, integer)
    TO loket_advisor, loket_central, loket_editor;
