-- 027_clean_link: the catalogue's link is a web address and nothing else,
-- and an unknown field in a query is refused as such.
--
-- 019 checked a link only against '^https?://[^[:space:]]+$', which lets
-- ESC, C1 controls (U+0080..U+009F), bidi and invisible characters through:
-- a catalogue could put a terminal escape in every advisor's catalogue
-- screen.  Now the table itself refuses them (text_is_clean of 022), so
-- offering_sync_page() fails on such a page with offering_link_clean and
-- the catalogue is not changed.  A link already stored with one of them is
-- no web address: it is emptied, so that the check holds for every row.
--
-- query_column() returned NULL for an unknown field, which query_build()
-- turned into an empty column name: the caller got an SQL syntax error
-- showing the generated statement instead of "unknown field".  Fields the
-- language knows but cannot use as a column (text, since, until) still
-- give NULL, for query_build's own "cannot count by".
SET LOCAL ROLE loket_owner;

UPDATE offering SET link = NULL
 WHERE link IS NOT NULL
   AND (NOT text_is_clean(link, false) OR link !~ '^https?://[^[:space:]]+$');
ALTER TABLE offering
    ADD CONSTRAINT offering_link_clean
        CHECK (text_is_clean(link, false) AND link ~ '^https?://[^[:space:]]+$');

CREATE OR REPLACE FUNCTION query_column(p_field text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_field IS NULL OR p_field NOT IN ('topic', 'org', 'group', 'channel', 'status', 'muni',
                                          'referral', 'outcome', 'text', 'since', 'until') THEN
        RAISE EXCEPTION 'query: unknown field %', coalesce(p_field, '(none)')
            USING ERRCODE = '22023';
    END IF;
    RETURN CASE p_field
        WHEN 'topic' THEN 'q.topic'
        WHEN 'org' THEN 'q.organisation'
        WHEN 'group' THEN 'q.client_group'
        WHEN 'channel' THEN 'q.channel'
        WHEN 'status' THEN 'q.status'
        WHEN 'muni' THEN 'p.municipality'
        WHEN 'referral' THEN 'lr.status'
        WHEN 'outcome' THEN 'lr.outcome'
    END;
END $$;
