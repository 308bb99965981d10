-- 014_saved_query: queries in the supervisors' language kept by name
-- (\save NAME, \run NAME in `loket query`).  Each person's own, and those
-- they share with their region.
SET LOCAL ROLE loket_owner;

CREATE TABLE saved_query (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner      name NOT NULL DEFAULT current_user,
    region     code NOT NULL REFERENCES region,
    name       text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    expr       text NOT NULL CHECK (has_text(expr) AND char_length(expr) <= 2000),
    shared     boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner, name)
);
ALTER TABLE saved_query ENABLE ROW LEVEL SECURITY;
ALTER TABLE saved_query FORCE ROW LEVEL SECURITY;
CREATE POLICY saved_query_read ON saved_query FOR SELECT
    TO loket_supervisor, loket_advisor, loket_central
    USING (owner = current_user OR (shared AND region = (SELECT my_region())));
CREATE POLICY saved_query_own_insert ON saved_query FOR INSERT
    TO loket_supervisor, loket_advisor, loket_central
    WITH CHECK (owner = current_user AND region = (SELECT my_region()));
CREATE POLICY saved_query_own_update ON saved_query FOR UPDATE
    TO loket_supervisor, loket_advisor, loket_central
    USING (owner = current_user)
    WITH CHECK (owner = current_user AND region = (SELECT my_region()));
CREATE POLICY saved_query_own_delete ON saved_query FOR DELETE
    TO loket_supervisor, loket_advisor, loket_central
    USING (owner = current_user);
GRANT SELECT, INSERT, DELETE ON saved_query TO loket_supervisor, loket_advisor, loket_central;
GRANT UPDATE (expr, shared, updated_at) ON saved_query
    TO loket_supervisor, loket_advisor, loket_central;
