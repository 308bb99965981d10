-- 047_funnel_empty.sql: the funnel of a window without questions says 0,
-- not "<5".
--
-- report_funnel's first row is the ROLLUP's total, which GROUP BY ROLLUP
-- returns even when no summary row is in the window; its sums are then
-- NULL, and ck_show passes NULL on, which every screen and export shows as
-- held back ("<5").  A supervisor who looked at a quiet week, or at a
-- window before the region started, read that a few questions had been
-- asked.  An empty sum is 0, and a true zero is no secret (026).  The
-- national twin (046) is made from the same text and is fixed the same way.
SET LOCAL ROLE loket_owner;

DO $$
DECLARE
    fn text;
    v_def text;
    v_new text;
BEGIN
    FOREACH fn IN ARRAY ARRAY['report_funnel(date, date)', 'national_funnel(date, date)'] LOOP
        v_def := pg_get_functiondef(format('loket.%s', fn)::regprocedure);
        v_new := regexp_replace(v_def, 'ck_show\(sum\(c\.(\w+)\)::bigint',
                                'ck_show(coalesce(sum(c.\1), 0)::bigint', 'g');
        -- six stages in the row, and the order's registered
        IF (length(v_new) - length(v_def)) <> 7 * length('coalesce(, 0)') THEN
            RAISE EXCEPTION '047: % does not sum its stages as 026 wrote it', fn;
        END IF;
        EXECUTE v_new;
    END LOOP;
END $$;
