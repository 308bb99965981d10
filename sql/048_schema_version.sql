-- 048_schema_version.sql: every login may ask which schema the database
-- has (issue 18, part 4), so that loket can say that it is too old for the
-- database, or the database too old for it, before a statement fails on a
-- missing column.  schema_migration stays the owner's; this definer
-- function answers its highest version and nothing else.
SET LOCAL ROLE loket_owner;

CREATE FUNCTION schema_version() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT max(version) FROM loket.schema_migration
$$;
COMMENT ON FUNCTION schema_version() IS
    'the highest migration applied (048); loket compares it with its own';
GRANT EXECUTE ON FUNCTION schema_version() TO PUBLIC;
