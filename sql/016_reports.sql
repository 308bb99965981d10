-- 016_reports: the six supervisor reports (issue 5, doc/reports.md).
-- Each is a definer function over the caller's region only (015's
-- supervisor_region()), with counts from 1 to region.suppress_below - 1 as
-- NULL, and rates, times and test statistics over so few NULL as well.
-- Periods are Dutch calendar days; p_until is included.  Rows are ordered
-- by the counts as shown, so that the order of held-back rows does not tell
-- which is larger.
SET LOCAL ROLE loket_owner;

-- A window the reports accept: at most about three years.
CREATE FUNCTION report_check_window(p_since date, p_until date) RETURNS void
    LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_since IS NULL OR p_until IS NULL OR p_since > p_until
       OR p_until - p_since > 1100 THEN
        RAISE EXCEPTION 'report: expected since <= until, at most three years apart'
            USING ERRCODE = '22023';
    END IF;
END $$;

CREATE FUNCTION region_threshold(p_region text) RETURNS integer
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT suppress_below FROM region WHERE code = p_region
$$;

-- 1. Volume by one dimension (org, topic, group, channel, muni) per week or
-- month.  One row per value, biggest first, and first a row for the whole
-- region (value NULL).  series holds one count per period from the period
-- of p_since on; trend compares the complete periods of the second half of
-- the window with those of the first half (a fraction: 0.12 is 12% more).
CREATE FUNCTION report_volume(p_dim text, p_period text, p_since date, p_until date)
    RETURNS TABLE (value text, label text, total bigint, series bigint[], trend numeric,
                   first_period date)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
    v_step interval;
    v_first date;
    v_periods date[];
    v_complete integer;
    h integer;
BEGIN
    PERFORM report_check_window(p_since, p_until);
    IF p_dim IS NULL OR p_dim NOT IN ('org', 'topic', 'group', 'channel', 'muni') THEN
        RAISE EXCEPTION 'report: volume by org, topic, group, channel or muni'
            USING ERRCODE = '22023';
    END IF;
    IF p_period IS NULL OR p_period NOT IN ('week', 'month') THEN
        RAISE EXCEPTION 'report: per week or month' USING ERRCODE = '22023';
    END IF;
    PERFORM stat_refresh(v_region);
    v_step := ('1 ' || p_period)::interval;
    v_first := date_trunc(p_period, p_since)::date;
    v_periods := ARRAY(SELECT g::date FROM generate_series(v_first, p_until, v_step) g);
    -- the last period wholly inside the window, and how many whole ones
    -- the trend compares: h before it and h up to it
    SELECT max(i), count(*) INTO v_complete, h
      FROM generate_subscripts(v_periods, 1) AS i
     WHERE v_periods[i] >= p_since AND (v_periods[i] + v_step)::date <= p_until + 1;
    h := coalesce(h, 0) / 2;
    RETURN QUERY
    WITH raw AS (
        SELECT s.value, date_trunc(p_period, s.day)::date AS p, sum(s.n)::bigint AS n
          FROM stat_volume s
         WHERE s.region = v_region AND s.dim = p_dim AND s.day BETWEEN p_since AND p_until
         GROUP BY 1, 2
    ), keyed AS (
        SELECT r.value, r.p, r.n FROM raw r
        UNION ALL
        SELECT NULL, r.p, sum(r.n)::bigint FROM raw r GROUP BY r.p
    ), grid AS (
        SELECT v.value, i AS idx, coalesce(x.n, 0) AS n
          FROM (SELECT DISTINCT kk.value FROM keyed kk) v
          CROSS JOIN generate_subscripts(v_periods, 1) AS i
          LEFT JOIN keyed x ON x.value IS NOT DISTINCT FROM v.value AND x.p = v_periods[i]
    ), rows AS (
        SELECT g.value, sum(g.n)::bigint AS total,
               array_agg(suppress(g.n, k) ORDER BY g.idx) AS series,
               sum(g.n) FILTER (WHERE g.idx > v_complete - 2 * h AND g.idx <= v_complete - h) AS a,
               sum(g.n) FILTER (WHERE g.idx > v_complete - h AND g.idx <= v_complete) AS b
          FROM grid g GROUP BY g.value
    )
    SELECT r.value,
           CASE p_dim
               WHEN 'org' THEN (SELECT o.name::text FROM organisation o WHERE o.code = r.value)
               WHEN 'topic' THEN (SELECT t.label::text FROM topic t WHERE t.code = r.value)
               WHEN 'group' THEN (SELECT t.label::text FROM client_group t WHERE t.code = r.value)
               WHEN 'channel' THEN (SELECT t.label::text FROM channel t WHERE t.code = r.value)
               WHEN 'muni' THEN (SELECT m.name::text FROM municipality m WHERE m.code = r.value)
           END,
           suppress(r.total, k), r.series,
           CASE WHEN h > 0 AND r.a >= k AND r.b >= k THEN round((r.b - r.a) / r.a, 3) END,
           v_first
      FROM rows r
     ORDER BY r.value IS NOT NULL, suppress(r.total, k) DESC NULLS LAST, r.value;
END $$;

-- 2. The referral funnel per organisation where the question was asked:
-- of the questions registered in the window, how many got first-line
-- information, were referred, picked up, completed, returned.  First a row
-- for the region (organisation NULL).
CREATE FUNCTION report_funnel(p_since date, p_until date)
    RETURNS TABLE (organisation text, name text, registered bigint, informed bigint,
                   referred bigint, accepted bigint, completed bigint, returned bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM stat_refresh(v_region);
    RETURN QUERY
    SELECT c.organisation::text, (SELECT o.name::text FROM organisation o WHERE o.code = c.organisation),
           suppress(sum(c.registered)::bigint, k), suppress(sum(c.informed)::bigint, k),
           suppress(sum(c.referred)::bigint, k), suppress(sum(c.accepted)::bigint, k),
           suppress(sum(c.completed)::bigint, k), suppress(sum(c.returned)::bigint, k)
      FROM stat_cohort c
     WHERE c.region = v_region AND c.day BETWEEN p_since AND p_until
     GROUP BY ROLLUP (c.organisation)
     ORDER BY c.organisation IS NOT NULL, suppress(sum(c.registered)::bigint, k) DESC NULLS LAST,
              c.organisation;
END $$;

-- 2b. The outcomes of the completed referrals of those questions, per
-- organisation and for the region (organisation NULL).
CREATE FUNCTION report_outcomes(p_since date, p_until date)
    RETURNS TABLE (organisation text, outcome text, label text, n bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM stat_refresh(v_region);
    RETURN QUERY
    SELECT s.organisation::text, s.outcome::text,
           (SELECT t.label::text FROM referral_outcome t WHERE t.code = s.outcome),
           suppress(sum(s.n)::bigint, k)
      FROM stat_outcome s
     WHERE s.region = v_region AND s.day BETWEEN p_since AND p_until
     GROUP BY GROUPING SETS ((s.organisation, s.outcome), (s.outcome))
     ORDER BY s.organisation IS NOT NULL, s.organisation,
              suppress(sum(s.n)::bigint, k) DESC NULLS LAST, s.outcome;
END $$;

-- 3. Pick-up time per target organisation, of the referrals made in the
-- window: median and 90th percentile of the hours from sending to being
-- picked up (calendar hours), and how many wait past their deadline now
-- (whenever they were made).
CREATE FUNCTION report_pickup(p_since date, p_until date)
    RETURNS TABLE (organisation text, name text, referrals bigint, picked_up bigint,
                   median_hours numeric, p90_hours numeric, waiting_now bigint,
                   overdue_now bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    RETURN QUERY
    WITH made AS (
        SELECT r.to_org, count(*) AS n, count(r.accepted_at) AS picked,
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM r.accepted_at - r.created_at) / 3600) AS med,
               percentile_cont(0.9) WITHIN GROUP (
                   ORDER BY extract(epoch FROM r.accepted_at - r.created_at) / 3600) AS p90
          FROM referral r
         WHERE r.region = v_region AND r.status <> 'withdrawn'
           AND r.created_at >= nl_start(p_since) AND r.created_at < nl_start(p_until + 1)
         GROUP BY r.to_org
    ), open AS (
        SELECT r.to_org, count(*) AS waiting, count(*) FILTER (WHERE r.deadline < now()) AS late
          FROM referral r
         WHERE r.region = v_region AND r.status = 'sent'
         GROUP BY r.to_org
    )
    SELECT o.code::text, o.name::text, suppress(coalesce(m.n, 0), k),
           suppress(coalesce(m.picked, 0), k),
           CASE WHEN m.picked >= k THEN round(m.med::numeric, 1) END,
           CASE WHEN m.picked >= k THEN round(m.p90::numeric, 1) END,
           suppress(coalesce(w.waiting, 0), k), suppress(coalesce(w.late, 0), k)
      FROM organisation o
      LEFT JOIN made m ON m.to_org = o.code
      LEFT JOIN open w ON w.to_org = o.code
     WHERE o.region = v_region AND (m.to_org IS NOT NULL OR w.to_org IS NOT NULL)
     ORDER BY suppress(coalesce(m.n, 0), k) DESC NULLS LAST, o.code;
END $$;

-- 4. Consistency between vindplaatsen: per topic and organisation, the
-- share of questions referred, the share that got first-line information,
-- and the share of informed questions given the item the region gives most
-- on that topic; each against the rest of the region, with a two-proportion
-- z-score.  Flagged when |z| >= 3 and the shares differ by 10 points or
-- more: refers_more/less, informs_more/less, item_more/less.
CREATE FUNCTION report_consistency(p_since date, p_until date)
    RETURNS TABLE (topic text, organisation text, questions bigint,
                   referral_rate numeric, rest_referral_rate numeric, referral_z numeric,
                   info_rate numeric, rest_info_rate numeric, info_z numeric,
                   item text, item_rate numeric, rest_item_rate numeric, item_z numeric,
                   flags text[])
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM stat_refresh(v_region);
    RETURN QUERY
    WITH c AS (
        SELECT s.topic, s.organisation, sum(s.registered)::bigint AS n,
               sum(s.referred)::bigint AS ref, sum(s.informed)::bigint AS inf
          FROM stat_cohort s
         WHERE s.region = v_region AND s.day BETWEEN p_since AND p_until
         GROUP BY 1, 2
    ), items AS (
        SELECT s.topic, s.organisation, s.item_id, sum(s.n)::bigint AS n
          FROM stat_item s
         WHERE s.region = v_region AND s.day BETWEEN p_since AND p_until
         GROUP BY 1, 2, 3
    ), top_item AS (
        SELECT DISTINCT ON (i.topic) i.topic, i.item_id
          FROM items i GROUP BY i.topic, i.item_id
         ORDER BY i.topic, sum(i.n) DESC, i.item_id
    ), t AS (
        SELECT c.*, (sum(c.n) OVER w - c.n)::bigint AS rn,
               (sum(c.ref) OVER w - c.ref)::bigint AS rref,
               (sum(c.inf) OVER w - c.inf)::bigint AS rinf,
               ti.item_id, coalesce(it.n, 0) AS itm,
               (sum(coalesce(it.n, 0)) OVER w - coalesce(it.n, 0))::bigint AS ritm
          FROM c
          LEFT JOIN top_item ti ON ti.topic = c.topic
          LEFT JOIN items it ON it.topic = c.topic AND it.organisation = c.organisation
                            AND it.item_id = ti.item_id
        WINDOW w AS (PARTITION BY c.topic)
    ), z AS (
        SELECT t.*,
               report_z(t.ref, t.n, t.rref, t.rn) AS zr,
               report_z(t.inf, t.n, t.rinf, t.rn) AS zi,
               report_z(t.itm, t.inf, t.ritm, t.rinf) AS zt,
               safe_rate(t.ref, t.n, k) AS pr, safe_rate(t.rref, t.rn, k) AS qr,
               safe_rate(t.inf, t.n, k) AS pi, safe_rate(t.rinf, t.rn, k) AS qi,
               safe_rate(t.itm, t.inf, k) AS pt, safe_rate(t.ritm, t.rinf, k) AS qt
          FROM t
    )
    SELECT z.topic::text, z.organisation::text, suppress(z.n, k),
           z.pr, z.qr, CASE WHEN z.pr IS NOT NULL AND z.qr IS NOT NULL THEN z.zr END,
           z.pi, z.qi, CASE WHEN z.pi IS NOT NULL AND z.qi IS NOT NULL THEN z.zi END,
           (SELECT i.slug::text FROM knowledge_item i WHERE i.id = z.item_id),
           z.pt, z.qt, CASE WHEN z.pt IS NOT NULL AND z.qt IS NOT NULL THEN z.zt END,
           array_remove(ARRAY[
               report_flag(z.pr, z.qr, z.zr, 'refers'),
               report_flag(z.pi, z.qi, z.zi, 'informs'),
               report_flag(z.pt, z.qt, z.zt, 'item')], NULL)
      FROM z
     ORDER BY z.topic, suppress(z.n, k) DESC NULLS LAST, z.organisation;
END $$;

-- The two-proportion z-score of x1/n1 against x2/n2 (pooled), rounded.
CREATE FUNCTION report_z(x1 bigint, n1 bigint, x2 bigint, n2 bigint) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN n1 > 0 AND n2 > 0 AND p > 0 AND p < 1
                THEN round(((x1::numeric / n1 - x2::numeric / n2)
                            / sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2)))::numeric, 2) END
      FROM (SELECT (x1 + x2)::numeric / nullif(n1 + n2, 0) AS p) AS pooled
$$;

-- 'WHAT_more' or 'WHAT_less' when rate p deviates strongly from q.
CREATE FUNCTION report_flag(p numeric, q numeric, z numeric, what text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p IS NULL OR q IS NULL OR z IS NULL OR abs(z) < 3 OR abs(p - q) < 0.10
                THEN NULL
                WHEN p > q THEN what || '_more' ELSE what || '_less' END
$$;

-- 5. Demand signals in the window by kind, topic, sector and municipality,
-- biggest first within each.  Sectors are free text, counted by their
-- lower-case, trimmed spelling.
CREATE FUNCTION report_signals(p_since date, p_until date)
    RETURNS TABLE (dim text, value text, label text, n bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    RETURN QUERY
    WITH s AS (
        SELECT x.kind, x.topic::text AS topic, lower(btrim(x.sector)) AS sector,
               x.municipality::text AS muni
          FROM signal x
         WHERE x.region = v_region
           AND x.created_at >= nl_start(p_since) AND x.created_at < nl_start(p_until + 1)
    ), counted AS (
        SELECT d.dim, d.value, count(*) AS n
          FROM s, LATERAL (VALUES ('kind', s.kind), ('topic', s.topic),
                                  ('sector', coalesce(s.sector, '')),
                                  ('muni', coalesce(s.muni, ''))) AS d(dim, value)
         GROUP BY 1, 2
    )
    SELECT c.dim, c.value,
           CASE c.dim
               WHEN 'topic' THEN (SELECT t.label::text FROM topic t WHERE t.code = c.value)
               WHEN 'muni' THEN (SELECT m.name::text FROM municipality m WHERE m.code = c.value)
           END,
           suppress(c.n, k)
      FROM counted c
     ORDER BY array_position(ARRAY['kind', 'topic', 'sector', 'muni'], c.dim),
              suppress(c.n, k) DESC NULLS LAST, c.value;
END $$;

-- 5b. The newest signals in the window, as examples (at most 50).
CREATE FUNCTION report_signal_examples(p_since date, p_until date, p_limit integer)
    RETURNS TABLE (day date, kind text, topic text, sector text, muni text,
                   organisation text, text text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
BEGIN
    PERFORM report_check_window(p_since, p_until);
    RETURN QUERY
    SELECT nl_day(x.created_at), x.kind, x.topic::text, x.sector,
           (SELECT m.name::text FROM municipality m WHERE m.code = x.municipality),
           x.organisation::text, x.text
      FROM signal x
     WHERE x.region = v_region
       AND x.created_at >= nl_start(p_since) AND x.created_at < nl_start(p_until + 1)
     ORDER BY x.created_at DESC, x.id
     LIMIT least(greatest(coalesce(p_limit, 10), 1), 50);
END $$;

-- 6. Knowledge items: how often each was given in the window, how often
-- after the review date of the version given, and the review date of its
-- newest version.  Items not given are listed too, so that an item past
-- review shows up before it is given again.
CREATE FUNCTION report_knowledge(p_since date, p_until date)
    RETURNS TABLE (slug text, title text, given bigint, given_late bigint,
                   review_by date, past_review boolean, retired boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    RETURN QUERY
    WITH g AS (
        SELECT v.item_id, count(*) AS n,
               count(*) FILTER (WHERE nl_day(i.given_at) > v.review_by) AS late
          FROM info_given i JOIN knowledge_version v ON v.id = i.knowledge_version_id
         WHERE i.given_at >= nl_start(p_since) AND i.given_at < nl_start(p_until + 1)
         GROUP BY v.item_id
    )
    SELECT ki.slug::text, cur.title, suppress(coalesce(g.n, 0), k),
           suppress(coalesce(g.late, 0), k), cur.review_by, cur.review_by < nl_day(now()),
           ki.retired_at IS NOT NULL
      FROM knowledge_item ki
      JOIN LATERAL (SELECT v.title, v.review_by FROM knowledge_version v
                     WHERE v.item_id = ki.id ORDER BY v.version_no DESC LIMIT 1) cur ON true
      LEFT JOIN g ON g.item_id = ki.id
     WHERE ki.region = v_region AND (g.item_id IS NOT NULL OR ki.retired_at IS NULL)
     ORDER BY suppress(coalesce(g.n, 0), k) DESC NULLS LAST, ki.slug;
END $$;

REVOKE EXECUTE ON FUNCTION report_volume(text, text, date, date), report_funnel(date, date),
                           report_outcomes(date, date), report_pickup(date, date),
                           report_consistency(date, date), report_signals(date, date),
                           report_signal_examples(date, date, integer),
                           report_knowledge(date, date)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION report_volume(text, text, date, date), report_funnel(date, date),
                          report_outcomes(date, date), report_pickup(date, date),
                          report_consistency(date, date), report_signals(date, date),
                          report_signal_examples(date, date, integer),
                          report_knowledge(date, date)
    TO loket_supervisor;
