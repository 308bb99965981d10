-- 018_knowledge_editing: knowledge editors keep the first-line information
-- current (issue 6).  A save is a new immutable version; questions keep
-- pointing at the version that was given (info_given).  Editors write only
-- in their own region, enforced by forced row-level security; everyone reads.
-- kb_export/kb_import move the knowledge between regions as JSON, parsed by
-- PostgreSQL (jsonb), validated completely before anything is written.
SET LOCAL ROLE loket_owner;

ALTER TABLE knowledge_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_item FORCE ROW LEVEL SECURITY;
ALTER TABLE knowledge_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_version FORCE ROW LEVEL SECURITY;

-- First-line information is the same for every vindplaats: all may read.
CREATE POLICY knowledge_item_read ON knowledge_item FOR SELECT USING (true);
CREATE POLICY knowledge_version_read ON knowledge_version FOR SELECT USING (true);
-- Editors create and retire items of their own region only.
CREATE POLICY knowledge_item_insert ON knowledge_item FOR INSERT TO loket_editor
    WITH CHECK (region = (SELECT my_region()));
CREATE POLICY knowledge_item_retire ON knowledge_item FOR UPDATE TO loket_editor
    USING (region = (SELECT my_region()))
    WITH CHECK (region = (SELECT my_region()));
CREATE POLICY knowledge_version_insert ON knowledge_version FOR INSERT TO loket_editor
    WITH CHECK (created_by = current_user
                AND EXISTS (SELECT 1 FROM knowledge_item i
                             WHERE i.id = knowledge_version.item_id
                               AND i.region = (SELECT my_region())));
-- The schema owner (migrations, `loket db seed`) writes everywhere.
CREATE POLICY knowledge_item_owner ON knowledge_item TO loket_owner USING (true) WITH CHECK (true);
CREATE POLICY knowledge_version_owner ON knowledge_version TO loket_owner
    USING (true) WITH CHECK (true);

-- True when t is a date PostgreSQL accepts (pg_input_is_valid is only in 16).
CREATE FUNCTION is_date(t text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    PERFORM t::date;
    RETURN true;
EXCEPTION WHEN others THEN
    RETURN false;
END $$;

-- The current (newest) version of every item of the caller's region, with
-- what an editor's list needs.  Retired items are included, flagged.
CREATE FUNCTION kb_items(p_retired boolean DEFAULT false)
RETURNS TABLE (item_id bigint, slug text, version_id bigint, version_no integer, title text,
               topics text[], review_by date, past_review boolean, retired boolean,
               updated_at timestamptz, updated_by name)
LANGUAGE sql STABLE
SET search_path = loket, pg_catalog, pg_temp
AS $$
    SELECT i.id, i.slug, v.id, v.version_no, v.title, v.topics, v.review_by,
           v.review_by < current_date, i.retired_at IS NOT NULL, v.created_at, v.created_by
      FROM knowledge_item i
      JOIN LATERAL (SELECT * FROM knowledge_version kv WHERE kv.item_id = i.id
                     ORDER BY kv.version_no DESC LIMIT 1) v ON true
     WHERE i.region = my_region()
       AND (p_retired OR i.retired_at IS NULL)
     ORDER BY i.retired_at IS NOT NULL, v.title, i.id
$$;

-- The review queue: live items whose current version is past its review
-- date or due within p_days, the most overdue first.
CREATE FUNCTION kb_review_queue(p_days integer DEFAULT 30)
RETURNS TABLE (item_id bigint, slug text, version_no integer, title text, review_by date,
               days_left integer, updated_by name)
LANGUAGE sql STABLE
SET search_path = loket, pg_catalog, pg_temp
AS $$
    SELECT k.item_id, k.slug, k.version_no, k.title, k.review_by,
           k.review_by - current_date, k.updated_by
      FROM kb_items(false) k
     WHERE k.review_by <= current_date + greatest(p_days, 0)
     ORDER BY k.review_by, k.title
$$;

-- Every version of one item, newest first (for the history and the diff).
CREATE FUNCTION kb_versions(p_item bigint)
RETURNS TABLE (version_id bigint, version_no integer, title text, tell_client text, body text,
               audience text[], topics text[], link text, valid_from date, review_by date,
               created_by name, created_at timestamptz)
LANGUAGE sql STABLE
SET search_path = loket, pg_catalog, pg_temp
AS $$
    SELECT v.id, v.version_no, v.title, v.tell_client, v.body, v.audience, v.topics, v.link,
           v.valid_from, v.review_by, v.created_by, v.created_at
      FROM knowledge_version v
     WHERE v.item_id = p_item
     ORDER BY v.version_no DESC
$$;

-- Save: a new item (p_item NULL, with a slug) or a new version of an item.
-- p_base is the version the editor started from: when someone saved a newer
-- one meanwhile the save is refused (LK409), so no edit is silently lost.
-- Saving content identical to the current version makes no new version.
-- A review date must lie after today (an editor files nothing already
-- overdue), except in an import (p_import), which copies what another
-- region has, overdue or not.
CREATE FUNCTION kb_save(p_item bigint, p_slug text, p_base integer, p_title text,
                        p_tell_client text, p_body text, p_audience text[], p_topics text[],
                        p_link text, p_valid_from date, p_review_by date,
                        p_import boolean DEFAULT false)
RETURNS TABLE (item_id bigint, version_id bigint, version_no integer, created boolean)
LANGUAGE plpgsql
SET search_path = loket, pg_catalog, pg_temp
AS $$
DECLARE
    v_item bigint := p_item;
    v_cur knowledge_version;
    v_region text := my_region();
BEGIN
    IF v_region IS NULL THEN
        RAISE EXCEPTION 'role "%" is not an active loket advisor', current_user
            USING ERRCODE = '42501';
    END IF;
    IF NOT p_import AND p_review_by <= current_date THEN
        RAISE EXCEPTION 'the review date must be after today'
            USING ERRCODE = '23514', CONSTRAINT = 'knowledge_version_review_future';
    END IF;
    IF p_review_by <= p_valid_from THEN
        RAISE EXCEPTION 'the review date must be after the valid-from date'
            USING ERRCODE = '23514', CONSTRAINT = 'knowledge_version_check';
    END IF;
    IF nullif(p_link, '') !~ '^https://[^[:space:]]+$' THEN
        RAISE EXCEPTION 'the link must be an https:// address without spaces'
            USING ERRCODE = '23514', CONSTRAINT = 'knowledge_version_link_check';
    END IF;
    IF v_item IS NULL THEN
        IF p_slug IS NULL OR p_slug !~ '^[a-z][a-z0-9_-]{0,39}$' THEN
            RAISE EXCEPTION 'the short name must start with a letter and hold only a-z, 0-9, - and _ (at most 40)'
                USING ERRCODE = '23514', CONSTRAINT = 'knowledge_item_slug';
        END IF;
        IF EXISTS (SELECT 1 FROM knowledge_item i WHERE i.region = v_region AND i.slug = p_slug) THEN
            RAISE EXCEPTION 'an item with short name "%" already exists', p_slug
                USING ERRCODE = '23505', CONSTRAINT = 'knowledge_item_region_slug_key';
        END IF;
        INSERT INTO knowledge_item (region, slug) VALUES (v_region, p_slug) RETURNING id INTO v_item;
    ELSE
        -- Serialise saves of one item; the lock needs UPDATE on the row,
        -- which the policy grants for the editor's own region only.
        PERFORM 1 FROM knowledge_item i WHERE i.id = v_item FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'knowledge item % does not exist in your region', v_item
                USING ERRCODE = '42501';
        END IF;
        SELECT * INTO v_cur FROM knowledge_version kv WHERE kv.item_id = v_item
         ORDER BY kv.version_no DESC LIMIT 1;
        IF p_base IS DISTINCT FROM v_cur.version_no THEN
            RAISE EXCEPTION 'version % of this item was saved by % at % while you were editing version %',
                            v_cur.version_no, v_cur.created_by,
                            to_char(v_cur.created_at, 'DD-MM-YYYY HH24:MI'), p_base
                USING ERRCODE = '40001', HINT = 'LK409';
        END IF;
        IF (v_cur.title, v_cur.tell_client, v_cur.body, v_cur.audience, v_cur.topics,
            v_cur.link, v_cur.valid_from, v_cur.review_by)
           IS NOT DISTINCT FROM
           (p_title, p_tell_client, p_body, coalesce(p_audience, '{}'), p_topics,
            nullif(p_link, ''), p_valid_from, p_review_by) THEN
            RETURN QUERY SELECT v_item, v_cur.id, v_cur.version_no, false;
            RETURN;
        END IF;
    END IF;
    RETURN QUERY
    INSERT INTO knowledge_version AS kv (item_id, title, tell_client, body, audience, topics, link,
                                         valid_from, review_by)
    VALUES (v_item, p_title, p_tell_client, p_body, coalesce(p_audience, '{}'), p_topics,
            nullif(p_link, ''), p_valid_from, p_review_by)
    RETURNING kv.item_id, kv.id, kv.version_no, true;
END $$;

-- Retire (p_retire) or bring back an item.  A retired item is no longer
-- suggested; its versions and every question they were given on stay.
CREATE FUNCTION kb_retire(p_item bigint, p_retire boolean DEFAULT true) RETURNS boolean
LANGUAGE plpgsql
SET search_path = loket, pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE knowledge_item i
       SET retired_at = CASE WHEN p_retire THEN coalesce(i.retired_at, now()) END
     WHERE i.id = p_item;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'knowledge item % does not exist in your region', p_item
            USING ERRCODE = '42501';
    END IF;
    RETURN p_retire;
END $$;

-- The knowledge of the caller's region as one JSON document.
CREATE FUNCTION kb_export() RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = loket, pg_catalog, pg_temp
AS $$
    SELECT jsonb_build_object(
        'format', 'loket-knowledge', 'version', 1,
        'region', my_region(), 'exported_at', now(),
        'items', coalesce(jsonb_agg(
            jsonb_build_object(
                'slug', i.slug,
                'retired', i.retired_at IS NOT NULL,
                'versions', (SELECT jsonb_agg(jsonb_build_object(
                                 'version_no', v.version_no, 'title', v.title,
                                 'tell_client', v.tell_client, 'body', v.body,
                                 'audience', to_jsonb(v.audience), 'topics', to_jsonb(v.topics),
                                 'link', v.link, 'valid_from', v.valid_from,
                                 'review_by', v.review_by, 'created_by', v.created_by,
                                 'created_at', v.created_at) ORDER BY v.version_no)
                               FROM knowledge_version v WHERE v.item_id = i.id))
            ORDER BY i.slug), '[]'::jsonb))
      FROM knowledge_item i
     WHERE i.region = my_region()
$$;

-- kb_import_error: raise the one error an import reports, naming the item
-- (its position and short name) and the field.
CREATE FUNCTION kb_import_error(p_n integer, p_slug text, p_field text, p_problem text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'item % (%), field "%": %', p_n, coalesce(p_slug, '?'), p_field, p_problem
        USING ERRCODE = '22023';
END $$;

-- Import a kb_export document into the caller's region.  Every item is
-- checked first; the first problem is reported by item and field and
-- nothing is written.  Then, for each item, its newest version in the file
-- becomes the item's current content: a new local version when it differs
-- from the current one, nothing when it is the same (so importing the same
-- file twice changes nothing).  Local history is kept; a retired flag in the
-- file retires the item here.  Returns what happened to each item.
CREATE FUNCTION kb_import(p_doc jsonb)
RETURNS TABLE (slug text, action text, version_no integer)
LANGUAGE plpgsql
SET search_path = loket, pg_catalog, pg_temp
AS $$
DECLARE
    it jsonb;
    v jsonb;
    n integer := 0;
    s text;
    f text;
    r record;
    seen text[] := '{}';
BEGIN
    IF my_region() IS NULL THEN
        RAISE EXCEPTION 'role "%" is not an active loket advisor', current_user
            USING ERRCODE = '42501';
    END IF;
    IF jsonb_typeof(p_doc) <> 'object' OR p_doc->>'format' IS DISTINCT FROM 'loket-knowledge' THEN
        RAISE EXCEPTION 'not a loket knowledge export (field "format" must be "loket-knowledge")'
            USING ERRCODE = '22023';
    END IF;
    IF p_doc->'version' IS DISTINCT FROM '1'::jsonb THEN
        RAISE EXCEPTION 'unsupported export version %', coalesce(p_doc->>'version', 'missing')
            USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(p_doc->'items') IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'field "items" must be an array' USING ERRCODE = '22023';
    END IF;

    -- 1. Check everything.
    FOR it IN SELECT e FROM jsonb_array_elements(p_doc->'items') e LOOP
        n := n + 1;
        s := CASE WHEN jsonb_typeof(it) = 'object' THEN it->>'slug' END;
        IF jsonb_typeof(it) IS DISTINCT FROM 'object' THEN
            PERFORM kb_import_error(n, s, '-', 'an item must be an object');
        END IF;
        IF s IS NULL OR s !~ '^[a-z][a-z0-9_-]{0,39}$' THEN
            PERFORM kb_import_error(n, s, 'slug', 'missing or not a short name (a-z, 0-9, - and _)');
        END IF;
        IF s = ANY (seen) THEN
            PERFORM kb_import_error(n, s, 'slug', 'appears twice in the file');
        END IF;
        seen := seen || s;
        IF it ? 'retired' AND jsonb_typeof(it->'retired') <> 'boolean' THEN
            PERFORM kb_import_error(n, s, 'retired', 'must be true or false');
        END IF;
        IF jsonb_typeof(it->'versions') IS DISTINCT FROM 'array'
           OR jsonb_array_length(it->'versions') = 0 THEN
            PERFORM kb_import_error(n, s, 'versions', 'must be a non-empty array');
        END IF;
        FOR v IN SELECT e FROM jsonb_array_elements(it->'versions') e LOOP
            IF jsonb_typeof(v) IS DISTINCT FROM 'object' THEN
                PERFORM kb_import_error(n, s, 'versions', 'a version must be an object');
            END IF;
            FOREACH f IN ARRAY ARRAY['title', 'tell_client', 'body'] LOOP
                IF jsonb_typeof(v->f) IS DISTINCT FROM 'string' OR NOT has_text(v->>f) THEN
                    PERFORM kb_import_error(n, s, f, 'missing or empty');
                END IF;
            END LOOP;
            IF char_length(v->>'title') > 200 THEN
                PERFORM kb_import_error(n, s, 'title', 'longer than 200 characters');
            END IF;
            IF char_length(v->>'tell_client') > 1000 THEN
                PERFORM kb_import_error(n, s, 'tell_client', 'longer than 1000 characters');
            END IF;
            IF char_length(v->>'body') > 20000 THEN
                PERFORM kb_import_error(n, s, 'body', 'longer than 20000 characters');
            END IF;
            IF jsonb_typeof(v->'topics') IS DISTINCT FROM 'array'
               OR jsonb_array_length(v->'topics') = 0
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(v->'topics') t
                           WHERE jsonb_typeof(t) <> 'string'
                              OR NOT EXISTS (SELECT 1 FROM topic WHERE code = t #>> '{}')) THEN
                PERFORM kb_import_error(n, s, 'topics',
                                        'must be a non-empty list of known topic codes');
            END IF;
            IF v ? 'audience' AND v->'audience' <> 'null'::jsonb AND (
                   jsonb_typeof(v->'audience') <> 'array'
                   OR EXISTS (SELECT 1 FROM jsonb_array_elements(v->'audience') g
                               WHERE jsonb_typeof(g) <> 'string'
                                  OR NOT EXISTS (SELECT 1 FROM client_group
                                                  WHERE code = g #>> '{}'))) THEN
                PERFORM kb_import_error(n, s, 'audience', 'must be a list of known client groups');
            END IF;
            IF v ? 'link' AND v->'link' <> 'null'::jsonb
               AND (jsonb_typeof(v->'link') <> 'string'
                    OR v->>'link' !~ '^https://[^[:space:]]+$') THEN
                PERFORM kb_import_error(n, s, 'link', 'must be an https:// address');
            END IF;
            FOREACH f IN ARRAY ARRAY['valid_from', 'review_by'] LOOP
                IF jsonb_typeof(v->f) IS DISTINCT FROM 'string'
                   OR v->>f !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                   OR NOT is_date(v->>f) THEN
                    PERFORM kb_import_error(n, s, f, 'must be a date written YYYY-MM-DD');
                END IF;
            END LOOP;
            IF (v->>'review_by')::date <= (v->>'valid_from')::date THEN
                PERFORM kb_import_error(n, s, 'review_by', 'must be after valid_from');
            END IF;
            IF v ? 'version_no' AND (jsonb_typeof(v->'version_no') <> 'number'
                                     OR (v->>'version_no') !~ '^[1-9][0-9]{0,8}$') THEN
                PERFORM kb_import_error(n, s, 'version_no', 'must be a positive whole number');
            END IF;
        END LOOP;
    END LOOP;

    -- 2. Write: the newest version of each item in the file.
    FOR it IN SELECT e FROM jsonb_array_elements(p_doc->'items') e LOOP
        s := it->>'slug';
        SELECT e INTO v FROM jsonb_array_elements(it->'versions') WITH ORDINALITY AS x(e, o)
         ORDER BY coalesce((e->>'version_no')::integer, 0) DESC, o DESC LIMIT 1;
        SELECT i.id, cur.version_no AS base INTO r
          FROM knowledge_item i
          LEFT JOIN LATERAL (SELECT kv.version_no FROM knowledge_version kv WHERE kv.item_id = i.id
                              ORDER BY kv.version_no DESC LIMIT 1) cur ON true
         WHERE i.region = my_region() AND i.slug = s;
        RETURN QUERY
        SELECT s,
               CASE WHEN r.id IS NULL THEN 'created'
                    WHEN k.created THEN 'updated' ELSE 'unchanged' END,
               k.version_no
          FROM kb_save(r.id, s, r.base, v->>'title', v->>'tell_client', v->>'body',
                       coalesce(ARRAY(SELECT jsonb_array_elements_text(
                                          CASE WHEN jsonb_typeof(v->'audience') = 'array'
                                               THEN v->'audience' ELSE '[]' END)), '{}'),
                       ARRAY(SELECT jsonb_array_elements_text(v->'topics')),
                       v->>'link', (v->>'valid_from')::date, (v->>'review_by')::date,
                       true) k;
        IF coalesce((it->>'retired')::boolean, false) THEN
            UPDATE knowledge_item i SET retired_at = coalesce(i.retired_at, now())
             WHERE i.region = my_region() AND i.slug = s AND i.retired_at IS NULL;
            IF FOUND THEN
                RETURN QUERY SELECT s, 'retired'::text, NULL::integer;
            END IF;
        END IF;
    END LOOP;
END $$;

REVOKE EXECUTE ON FUNCTION kb_items(boolean), kb_review_queue(integer), kb_versions(bigint),
                           kb_export(), kb_import(jsonb), kb_retire(bigint, boolean),
                           kb_save(bigint, text, integer, text, text, text, text[], text[], text,
                                   date, date, boolean)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kb_items(boolean), kb_review_queue(integer), kb_versions(bigint),
                          kb_export()
    TO loket_editor, loket_admin, loket_central;
GRANT EXECUTE ON FUNCTION kb_save(bigint, text, integer, text, text, text, text[], text[], text,
                                  date, date, boolean),
                          kb_retire(bigint, boolean), kb_import(jsonb)
    TO loket_editor;
REVOKE EXECUTE ON FUNCTION kb_import_error(integer, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kb_import_error(integer, text, text, text) TO loket_editor;
