-- region.sql: a second (third, ...) demo region beside Twente, for tests of
-- isolation between regions and of national scale (issue 17, part 5).
-- `loket db seed --region NAME` runs it after the reference data and calls
-- pg_temp.seed_region(NAME): the region, its central point and partners
-- (NAME_lwl, NAME_kvk, ... as organisation codes), a municipality of the
-- same name with ten postcodes no other region has (for `--cases`), the current knowledge items copied from Twente's (the region's
-- own from then on), and the demo roles NAME_<org>_demo, NAME_supervisor_demo,
-- NAME_editor_demo and NAME_privacy_demo with their advisor rows.
-- Idempotent, as the other seed files.  For demo and test clusters only.

CREATE OR REPLACE FUNCTION pg_temp.seed_region(p_code text) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    v_name text := initcap(replace(p_code, '-', ' '));
    d record;
BEGIN
    IF p_code !~ '^[a-z][a-z0-9-]{0,20}$' OR p_code = 'twente' THEN
        RAISE EXCEPTION 'a region for the demo: lowercase letters, digits and -, not twente'
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO region (code, name, pickup_days) VALUES (p_code, v_name, 2)
    ON CONFLICT (code) DO NOTHING;
    INSERT INTO organisation (code, name, kind, region)
    SELECT p_code || '_' || o.code,
           replace(o.name, 'Twente', v_name) || CASE WHEN o.name LIKE '%Twente%' THEN ''
                                                      ELSE ' ' || v_name END,
           o.kind, p_code
      FROM organisation o WHERE o.region = 'twente'
    ON CONFLICT (code) DO NOTHING;
    INSERT INTO municipality (code, name, region, population)
    VALUES (p_code, v_name, p_code, 100000)
    ON CONFLICT (code) DO NOTHING;
    -- ten postcodes no region has, for its synthetic questions (--cases)
    IF NOT EXISTS (SELECT 1 FROM postcode4 WHERE municipality = p_code) THEN
        INSERT INTO postcode4 (postcode, municipality)
        SELECT p::text, p_code FROM generate_series(1000, 9999) AS p
         WHERE NOT EXISTS (SELECT 1 FROM postcode4 x WHERE x.postcode = p::text)
         ORDER BY p LIMIT 10;
    END IF;
    -- the knowledge base starts as Twente's current one, then is the region's
    INSERT INTO knowledge_item (region, slug)
    SELECT p_code, i.slug FROM knowledge_item i
     WHERE i.region = 'twente' AND i.retired_at IS NULL
    ON CONFLICT (region, slug) DO NOTHING;
    INSERT INTO knowledge_version (item_id, version_no, title, tell_client, body, audience,
                                   topics, link, valid_from, review_by)
    SELECT n.id, 1, v.title, v.tell_client, v.body, v.audience, v.topics, v.link,
           v.valid_from, v.review_by
      FROM knowledge_item t
      JOIN LATERAL (SELECT * FROM knowledge_version x WHERE x.item_id = t.id
                     ORDER BY x.version_no DESC LIMIT 1) v ON true
      JOIN knowledge_item n ON n.region = p_code AND n.slug = t.slug
     WHERE t.region = 'twente'
       AND NOT EXISTS (SELECT 1 FROM knowledge_version w WHERE w.item_id = n.id);
    -- the demo roles, as 03_demo_roles.sql makes Twente's
    FOR d IN
        SELECT o.code || '_demo' AS role_name,
               CASE o.kind WHEN 'central' THEN 'loket_central' ELSE 'loket_advisor' END AS grp
          FROM organisation o WHERE o.region = p_code
        UNION ALL SELECT p_code || '_supervisor_demo', 'loket_supervisor'
        UNION ALL SELECT p_code || '_editor_demo', 'loket_editor'
        UNION ALL SELECT p_code || '_privacy_demo', 'loket_privacy'
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = d.role_name) THEN
            EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB '
                           'NOCREATEROLE NOREPLICATION', d.role_name);
        END IF;
        IF NOT pg_has_role(d.role_name, d.grp, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', d.grp, d.role_name);
        END IF;
        EXECUTE format('COMMENT ON ROLE %I IS %L', d.role_name,
                       'loket demo role; not for production');
    END LOOP;
    INSERT INTO advisor (role_name, display_name, region, organisation, roles)
    SELECT o.code || '_demo', 'Demo-adviseur ' || o.name, p_code, o.code,
           CASE o.kind WHEN 'central' THEN ARRAY['central'] ELSE ARRAY['advisor'] END
      FROM organisation o WHERE o.region = p_code
    UNION ALL
    SELECT p_code || '_supervisor_demo', 'Demo-supervisor ' || v_name, p_code, NULL,
           ARRAY['supervisor']
    UNION ALL
    SELECT p_code || '_editor_demo', 'Demo-redacteur ' || v_name, p_code, NULL, ARRAY['editor']
    UNION ALL
    SELECT p_code || '_privacy_demo', 'Demo-functionaris gegevensbescherming ' || v_name,
           p_code, NULL, ARRAY['privacy']
    ON CONFLICT (role_name) DO NOTHING;
END $$;
