-- 03_demo_roles: demo login roles, one per organisation (<org>_demo), plus a
-- supervisor, a knowledge editor and a privacy officer, with their advisor
-- rows.  For demo and
-- test clusters only: never seed these into production (doc/deployment.md).
-- Idempotent: roles are created only when missing, memberships and rows are
-- set to what is written here.

DO $$
DECLARE
    d record;
BEGIN
    FOR d IN
        SELECT o.code || '_demo' AS role_name,
               CASE o.kind WHEN 'central' THEN 'loket_central' ELSE 'loket_advisor' END AS grp
          FROM organisation o WHERE o.region = 'twente'
        UNION ALL SELECT 'supervisor_demo', 'loket_supervisor'
        UNION ALL SELECT 'editor_demo', 'loket_editor'
        UNION ALL SELECT 'privacy_demo', 'loket_privacy'
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
END
$$;

INSERT INTO advisor (role_name, display_name, region, organisation, roles)
SELECT o.code || '_demo',
       'Demo-adviseur ' || CASE o.code
           WHEN 'lwl' THEN 'Leerwerkloket'
           WHEN 'kvk' THEN 'KvK'
           WHEN 'cnv' THEN 'CNV'
           WHEN 'fnv' THEN 'FNV'
           WHEN 'lbs' THEN 'Loopbaanstation'
           WHEN 'roc' THEN 'ROC van Twente'
           WHEN 'saxion' THEN 'Saxion'
           WHEN 'zone' THEN 'Zone College'
           WHEN 'wsp' THEN 'Werkgeversservicepunt'
           WHEN 'tfvv' THEN 'Twents Fonds voor Vakmanschap'
           ELSE o.name END,
       o.region, o.code,
       CASE o.kind WHEN 'central' THEN ARRAY['central'] ELSE ARRAY['advisor'] END
  FROM organisation o WHERE o.region = 'twente'
UNION ALL
SELECT 'supervisor_demo', 'Demo-supervisor Twente', 'twente', NULL, ARRAY['supervisor']
UNION ALL
SELECT 'editor_demo', 'Demo-redacteur kennisbank', 'twente', NULL, ARRAY['editor']
UNION ALL
SELECT 'privacy_demo', 'Demo-functionaris gegevensbescherming', 'twente', NULL, ARRAY['privacy']
ON CONFLICT (role_name) DO UPDATE
   SET display_name = EXCLUDED.display_name, region = EXCLUDED.region,
       organisation = EXCLUDED.organisation, roles = EXCLUDED.roles, active = true
 WHERE (advisor.display_name, advisor.region, advisor.organisation, advisor.roles, advisor.active)
       IS DISTINCT FROM
       (EXCLUDED.display_name, EXCLUDED.region, EXCLUDED.organisation, EXCLUDED.roles, true);
