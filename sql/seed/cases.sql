-- cases.sql: loket.seed_cases(), which generates synthetic questions for demos
-- and benchmarks, set-based (a handful of INSERT ... SELECT statements per
-- call, never a loop over rows).  Distributions follow PRODUCT.md: client
-- group, topic and channel split, municipality weighted by population with
-- one of its real postcodes, questions only at vindplaatsen, spread over the
-- last two years during office hours, ~60% with information given, ~25%
-- referred to the central point with statuses and outcomes, some clients
-- with dated consent, ~5% demand signals.  Every row goes through the
-- schema's constraints and triggers, history included: nothing is disabled.
--
-- `loket db seed --cases N` first reserves N readable numbers with
-- loket.seed_reserve(N) (a short transaction of its own, so that batches
-- need not queue on the region counter), then calls seed_cases in batches of
-- 50,000, on two connections at once: p_done questions of p_total come
-- before this batch, whose numbers start at p_first and whose times are its
-- share of the two-year window, so that numbers and times rise together.
-- Called alone, seed_cases(N) reserves its own numbers.
-- Needs the reference data and the demo advisors (`loket db seed`).

-- Older signatures would make calls with fewer arguments ambiguous.
DROP FUNCTION IF EXISTS loket.seed_cases(integer, bigint, bigint);
DROP FUNCTION IF EXISTS loket.seed_cases(integer, bigint, bigint, integer);
DROP FUNCTION IF EXISTS loket.seed_reserve(integer);

-- Takes p_count numbers from the region's sequence that the triggers use
-- (049); returns the first.  A run that fails later leaves a gap.  Seed
-- when nobody registers: a question registered between the two calls would
-- take a number inside the block.
CREATE OR REPLACE FUNCTION loket.seed_reserve(p_count int, p_region text DEFAULT 'twente')
RETURNS int
LANGUAGE sql
SET search_path = loket, pg_catalog, pg_temp
AS $fn$
    SELECT (setval(s, nextval(s) + p_count - 1) - p_count + 1)::int
      FROM question_number_sequence(p_region) s
     WHERE p_count > 0
$fn$;

-- Each step of a batch writes how long it took to the server's log (LOG:
-- seed_cases STEP MS), for tests/bench/seed_cases.sh; returns the time now.
CREATE OR REPLACE FUNCTION loket.seed_lap(p_step text, p_since timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql
SET search_path = loket, pg_catalog, pg_temp
AS $fn$
BEGIN
    RAISE LOG 'seed_cases % %', p_step,
        round(extract(epoch FROM clock_timestamp() - p_since) * 1000, 1);
    RETURN clock_timestamp();
END
$fn$;

CREATE OR REPLACE FUNCTION loket.seed_cases(p_count int, p_done bigint DEFAULT 0,
                                            p_total bigint DEFAULT NULL,
                                            p_first int DEFAULT NULL,
                                            p_region text DEFAULT 'twente')
RETURNS int
LANGUAGE plpgsql
SET search_path = loket, pg_catalog, pg_temp
AS $fn$
DECLARE
    v_total   bigint := greatest(coalesce(p_total, p_count), p_count);
    v_window  interval := interval '730 days';
    v_start   timestamptz;
    v_slice   interval;
    v_first   integer := p_first;
    v_central text;
    v_orgs    text[];      -- vindplaatsen with an advisor, and per organisation:
    v_advs    text[];      --   the advisor who registers its questions
    v_org_lo  float8[];    --   its lower bound in [0, 1) for width_bucket
    v_munis   text[];      -- municipalities, and per municipality:
    v_places  text[];      --   its name
    v_muni_lo float8[];    --   its lower bound, by population
    v_pc_off  int[];       --   where its postcodes start in v_pcs (0-based)
    v_pc_cnt  int[];       --   how many it has
    v_pcs     text[];
    v_t       timestamptz := clock_timestamp();
BEGIN
    IF p_count IS NULL OR p_count < 1 THEN
        RAISE EXCEPTION 'seed_cases: count must be positive' USING ERRCODE = '22023';
    END IF;
    SELECT code INTO v_central FROM organisation
     WHERE region = p_region AND kind = 'central' AND active;
    IF v_central IS NULL OR NOT EXISTS (SELECT 1 FROM advisor a JOIN organisation o
                                         ON o.code = a.organisation
                                        WHERE o.region = p_region AND o.kind = 'vindplaats') THEN
        RAISE EXCEPTION 'seed_cases: load the reference data and demo roles first (loket db seed)'
            USING ERRCODE = '55000';
    END IF;

    -- Vindplaatsen that have an advisor, weighted by how busy a front office is.
    SELECT array_agg(code ORDER BY code), array_agg(adv ORDER BY code),
           array_agg(lo ORDER BY code)
      INTO v_orgs, v_advs, v_org_lo
      FROM (SELECT code, adv, (sum(w) OVER (ORDER BY code) - w) / sum(w) OVER () AS lo
              FROM (SELECT o.code,
                           (SELECT min(a.role_name) FROM advisor a
                             WHERE a.organisation = o.code AND a.active) AS adv,
                           -- NAME_kvk in another demo region weighs as kvk
                           CASE regexp_replace(o.code, '^.*_', '')
                                       WHEN 'kvk' THEN 20 WHEN 'roc' THEN 15 WHEN 'lbs' THEN 12
                                       WHEN 'wsp' THEN 12 WHEN 'fnv' THEN 10 ELSE 7 END::float8 AS w
                      FROM organisation o
                     WHERE o.region = p_region AND o.kind = 'vindplaats' AND o.active) x
             WHERE adv IS NOT NULL) y;

    -- Municipalities by population, with their postcodes laid end to end.
    SELECT array_agg(code ORDER BY code), array_agg(name ORDER BY code),
           array_agg(lo ORDER BY code), array_agg(off ORDER BY code),
           array_agg(cardinality(pcs) ORDER BY code)
      INTO v_munis, v_places, v_muni_lo, v_pc_off, v_pc_cnt
      FROM (SELECT code, name, pcs,
                   (sum(population) OVER w - population)::float8
                       / sum(population) OVER () AS lo,
                   (coalesce(sum(cardinality(pcs)) OVER w, 0) - cardinality(pcs))::int AS off
              FROM (SELECT m.code, m.name, m.population,
                           (SELECT array_agg(p.postcode::text ORDER BY p.postcode)
                              FROM postcode4 p WHERE p.municipality = m.code) AS pcs
                      FROM municipality m WHERE m.region = p_region) mm
             WHERE cardinality(pcs) > 0
            WINDOW w AS (ORDER BY code)) x;
    SELECT array_agg(p.postcode::text ORDER BY m.code, p.postcode) INTO v_pcs
      FROM postcode4 p JOIN municipality m ON m.code = p.municipality
     WHERE m.region = p_region;

    -- This batch's slice of the window, oldest batch first.
    v_start := now() - v_window + v_window * (p_done::float8 / v_total);
    v_slice := v_window * (p_count::float8 / v_total);

    IF v_first IS NULL THEN
        v_first := seed_reserve(p_count, p_region);
    END IF;

    -- One row per question with everything decided, in order of time.
    DROP TABLE IF EXISTS pg_temp.seed_q;
    CREATE TEMPORARY TABLE seed_q ON COMMIT DROP AS
    WITH raw AS (
        SELECT g,
               v_start + v_slice * ((g - 1 + random()) / p_count) AS t,
               random() AS r_group, random() AS r_topic, random() AS r_channel,
               random() AS r_org, random() AS r_muni, random() AS r_text, random() AS r_pc,
               random() AS r_info, random() AS r_ref, random() AS r_client, random() AS r_sig,
               random() AS r_x, random() AS r_open
          FROM generate_series(1, p_count) AS g
    ), placed AS (
        -- office hours on working days: 08:30-17:00, weekends moved to the Friday before
        -- (but never before the window: a window starting on a Sunday once put
        -- questions 732 days back)
        SELECT raw.*,
               greatest(now() - v_window, least(now(),
                     date_trunc('day', t)
                     + CASE extract(isodow FROM t) WHEN 6 THEN interval '-1 day'
                                                   WHEN 7 THEN interval '-2 days'
                                                   ELSE interval '0' END
                     + interval '8 hours 30 minutes'
                     + (extract(epoch FROM t - date_trunc('day', t)) / 86400.0)
                       * interval '8 hours 30 minutes')) AS created_at,
               width_bucket(r_group, ARRAY[0, 0.40, 0.75, 0.83, 0.89, 0.95]::float8[]) AS gi,
               width_bucket(r_topic, ARRAY[0, 0.30, 0.50, 0.70, 0.80, 0.90]::float8[]) AS ti,
               width_bucket(r_org, v_org_lo) AS oi,
               width_bucket(r_muni, v_muni_lo) AS mi
          FROM raw
    ), decided AS (
        SELECT p.*,
               (ARRAY['werkzoekende', 'werkende', 'werkgever', 'herintreder', 'student', 'zzp'])
                   [gi] AS client_group,
               (ARRAY['opleiding', 'financiering', 'loopbaan', 'evc', 'werk-naar-werk', 'taal'])
                   [ti] AS topic,
               v_munis[mi] AS municipality, v_places[mi] AS place
          FROM placed p
    )
    SELECT gen_random_uuid() AS id,
           v_first - 1 + row_number() OVER (ORDER BY created_at, g)::int AS number,
           created_at, v_orgs[oi] AS organisation, v_advs[oi] AS advisor,
           client_group, topic,
           (ARRAY['balie', 'telefoon', 'email', 'chat'])
               [width_bucket(r_channel, ARRAY[0, 0.50, 0.80, 0.90]::float8[])] AS channel,
           municipality, place,
           v_pcs[v_pc_off[mi] + 1 + floor(r_pc * v_pc_cnt[mi])::int] AS postcode4,
           -- who asks (half the time), what about, and now and then a remark
           CASE WHEN r_open < 0.5 THEN (ARRAY[
               'Klant is sinds kort werkloos.', 'Klant zoekt al een tijd werk.',
               'Klant werkt in de productie.', 'Klant werkt al jaren bij dezelfde werkgever.',
               'Werkgever met een klein technisch bedrijf.', 'HR-adviseur van een zorginstelling.',
               'Klant heeft jaren voor de kinderen gezorgd.', 'Klant wil na een lange pauze weer aan het werk.',
               'Student twijfelt over de huidige opleiding.', 'Klant is gestopt met een hbo-opleiding.',
               'Zzp''er in de bouw.', 'Zelfstandige in de schoonheidsverzorging.'])
               [2 * gi - 1 + floor(r_open * 4)::int] || ' ' ELSE '' END
           || (ARRAY[
               -- opleiding
               'Wil zich laten omscholen en weet niet welke opleiding past.',
               'Welke mbo-opleiding is naast het werk te volgen?',
               'Zoekt een deeltijdopleiding op hbo-niveau in de buurt.',
               'Kan een opleiding ook in de avonduren, naast een volle werkweek?',
               'Heeft geen startkwalificatie en wil alsnog een diploma halen.',
               'Vraagt naar bbl-opleidingen in de techniek.',
               -- financiering
               'Hoe is een opleiding te betalen nu het STAP-budget weg is?',
               'Moet de werkgever de opleiding betalen?',
               'Is er subsidie voor scholing met een WW-uitkering?',
               'Is het levenlanglerenkrediet van DUO iets voor deze situatie?',
               'Vraagt naar het Twents Fonds voor Vakmanschap en de voucher.',
               'Welk O&O-fonds hoort bij deze sector?',
               -- loopbaan
               'Weet niet goed wat te willen en zoekt een loopbaangesprek.',
               'Wil iets anders gaan doen maar weet niet wat.',
               'Loopt vast in het huidige werk en zoekt richting.',
               'Vraagt naar een loopbaantest of loopbaanadvies.',
               'Wil na twintig jaar hetzelfde werk een nieuwe stap zetten.',
               'Welke beroepen in Twente bieden kans op werk?',
               -- evc
               'Kan werkervaring erkend worden zonder opnieuw naar school te gaan?',
               'Heeft een buitenlands diploma en wil weten wat het hier waard is.',
               'Vraagt naar een praktijkverklaring voor werk in de logistiek.',
               'Wil een ervaringscertificaat voor werk in de kinderopvang.',
               'Hoe lang duurt een EVC-traject en wie betaalt het?',
               'Kunnen vaardigheden uit vrijwilligerswerk meetellen?',
               -- werk-naar-werk
               'Krijgt ontslag door een reorganisatie en zoekt ander werk.',
               'De baan verdwijnt; welke omscholing heeft kans op werk?',
               'Vraagt naar begeleiding van werk naar werk via de vakbond.',
               'Wil overstappen van de industrie naar de zorg.',
               'Kan de huidige werkgever helpen bij de overstap naar ander werk?',
               'Wil van de logistiek naar de techniek en zoekt een route.',
               -- taal
               'Wil beter Nederlands leren voor het werk.',
               'Zoekt een cursus om beter met de computer te werken.',
               'Kan moeilijk lezen en schrijven en wil hulp.',
               'Heeft moeite met digitale formulieren; wat is er in de buurt?',
               'Wil de taaleis voor een mbo-opleiding halen.',
               'Zoekt een gratis taalcursus in de avond.'])
               [6 * ti - 5 + floor(r_text * 6)::int]
           || CASE WHEN r_x < 0.3 THEN ' Woont in ' || place || '.'
                   WHEN r_x < 0.5 THEN ' Graag advies over de mogelijkheden.'
                   WHEN r_x < 0.6 THEN ' Liefst terugbellen na 16.00 uur.'
                   ELSE '' END AS text,
           CASE WHEN r_ref < 0.25 THEN 'referred'
                WHEN r_info < 0.60 THEN 'informed'
                WHEN created_at < now() - interval '60 days' AND r_x < 0.5 THEN 'closed'
                ELSE 'open' END AS status,
           r_pc, r_text, r_muni, r_info, r_ref, r_client, r_sig, r_x
      FROM decided
     ORDER BY created_at, g;

    v_t := seed_lap('prepare', v_t);
    INSERT INTO question (id, region, number, organisation, advisor, channel, client_group, topic,
                          text, postcode4, status, created_at, updated_at)
    SELECT id, p_region, number, organisation, advisor, channel, client_group, topic, text,
           postcode4, status, created_at, created_at
      FROM seed_q;

    -- Information given: a current version of an item on the question's topic.
    v_t := seed_lap('question', v_t);
    INSERT INTO info_given (question_id, knowledge_version_id, given_by, given_at)
    SELECT s.id, k.ids[1 + floor(s.r_x * cardinality(k.ids))::int], s.advisor,
           s.created_at + interval '3 minutes'
      FROM seed_q s
      JOIN (SELECT t.topic, array_agg(v.id ORDER BY v.id) AS ids
              FROM knowledge_item i
              JOIN LATERAL (SELECT * FROM knowledge_version kv WHERE kv.item_id = i.id
                             ORDER BY version_no DESC LIMIT 1) v ON true
              CROSS JOIN LATERAL unnest(v.topics) AS t(topic)
             WHERE i.region = p_region AND i.retired_at IS NULL
             GROUP BY t.topic) k ON k.topic = s.topic
     WHERE s.r_info < 0.60;

    -- Pick-up deadlines per day (two working days), joined in below rather
    -- than worked out per referral by the insert trigger.
    DROP TABLE IF EXISTS pg_temp.seed_deadline;
    v_t := seed_lap('info_given', v_t);
    CREATE TEMPORARY TABLE seed_deadline ON COMMIT DROP AS
    SELECT g::date AS day,
           pickup_deadline(g::date::timestamp AT TIME ZONE 'Europe/Amsterdam',
                           (SELECT pickup_days FROM region WHERE code = p_region)) AS deadline
      FROM generate_series((SELECT min(created_at) FROM seed_q)::date - 1,
                           (SELECT max(created_at) FROM seed_q)::date + 1, interval '1 day') g;

    -- Referrals to the central point, their state by age.
    INSERT INTO referral (question_id, region, from_org, to_org, reason, urgency, note,
                          consent_contact, status, outcome, created_by, accepted_by,
                          created_at, accepted_at, completed_at, updated_at,
                          deadline, in_progress_at, returned_at, return_reason, withdrawn_at,
                          updated_by)
    SELECT s.id, p_region, s.organisation, v_central,
           CASE WHEN s.client_group = 'werkgever' AND s.r_x < 0.5 THEN 'groepsvraag'
                WHEN s.topic = 'financiering' THEN 'financiering'
                WHEN s.topic = 'evc' THEN 'evc'
                WHEN s.topic IN ('loopbaan', 'werk-naar-werk') THEN 'loopbaangesprek'
                ELSE 'advies' END,
           CASE WHEN s.r_pc < 0.1 THEN 'hoog' ELSE 'normaal' END,
           CASE WHEN s.r_x < 0.4 THEN 'Klant wil graag een vervolggesprek.' END,
           s.r_client < 0.45, st.status,
           CASE WHEN st.status = 'completed'
                THEN (ARRAY['advies_gegeven', 'loopbaangesprek', 'opleiding_gekozen',
                            'financiering_aangevraagd', 'doorverwezen_elders', 'geen_contact',
                            'niet_van_toepassing'])[1 + floor(s.r_pc * 7)::int] END,
           s.advisor,
           CASE WHEN st.status NOT IN ('sent', 'withdrawn') THEN v_central || '_demo' END,
           s.created_at + interval '10 minutes',
           CASE WHEN st.status NOT IN ('sent', 'withdrawn')
                THEN s.created_at + interval '1 day' END,
           CASE WHEN st.status = 'completed' THEN s.created_at + interval '21 days' END,
           s.created_at + CASE WHEN st.status = 'completed' THEN interval '21 days'
                               ELSE interval '1 day' END,
           sd.deadline,
           CASE WHEN st.status IN ('in_progress', 'completed') THEN s.created_at + interval '2 days' END,
           CASE WHEN st.status = 'returned' THEN s.created_at + interval '1 day' END,
           CASE WHEN st.status = 'returned'
                THEN 'Deze vraag hoort bij het UWV; de klant is daarheen verwezen.' END,
           CASE WHEN st.status = 'withdrawn' THEN s.created_at + interval '1 day' END,
           CASE WHEN st.status IN ('sent', 'withdrawn') THEN s.advisor
                ELSE v_central || '_demo' END
      FROM seed_q s
      JOIN seed_deadline sd ON sd.day = ((s.created_at + interval '10 minutes')
                                         AT TIME ZONE 'Europe/Amsterdam')::date
      CROSS JOIN LATERAL (SELECT CASE
               WHEN s.created_at > now() - interval '5 days' THEN 'sent'  -- some overdue, over a weekend too
               WHEN s.created_at > now() - interval '21 days'
                    THEN CASE WHEN s.r_info < 0.5 THEN 'accepted' ELSE 'in_progress' END
               WHEN s.r_info < 0.70 THEN 'completed'
               WHEN s.r_info < 0.80 THEN 'in_progress'
               WHEN s.r_info < 0.90 THEN 'returned'
               ELSE 'withdrawn' END AS status) st
     WHERE s.r_ref < 0.25;

    -- Referral news older than a day has been seen by whoever referred (a
    -- demo starts with a day's news, not two years').
    v_t := seed_lap('referral', v_t);
    INSERT INTO referral_seen (referral_id, role_name, version)
    SELECT r.id, r.created_by, r.version
      FROM referral r JOIN seed_q s ON s.id = r.question_id
     WHERE r.updated_at < now() - interval '1 day'
    ON CONFLICT DO NOTHING;

    -- The central point's progress in the history (the referral rows above
    -- were written in their final state, so their triggers saw no update).
    v_t := seed_lap('referral_seen', v_t);
    INSERT INTO question_event (question_id, at, actor, kind, detail)
    SELECT r.question_id, coalesce(r.completed_at, r.accepted_at, r.updated_at),
           coalesce(r.accepted_by, r.created_by), 'referral_updated',
           jsonb_build_object('referral_id', r.id,
                              'status', jsonb_build_object('old', 'sent', 'new', r.status))
           || CASE WHEN r.outcome IS NOT NULL
                   THEN jsonb_build_object('outcome', jsonb_build_object('old', null, 'new', r.outcome))
                   ELSE '{}' END
      FROM referral r JOIN seed_q s ON s.id = r.question_id
     WHERE r.status <> 'sent';

    -- Contact details, with dated consent: all consented referrals, a few others.
    -- As the advisors saved them: consent_by and the history's client_saved
    -- name the question's advisor and its time, not the role that seeds (the
    -- triggers that would write those are off for this one statement).
    v_t := seed_lap('question_event', v_t);
    ALTER TABLE client DISABLE TRIGGER client_log_insert;
    ALTER TABLE client DISABLE TRIGGER client_before_write;
    INSERT INTO client (question_id, organisation, kind, name, email, phone, company_name,
                        kvk_number, sector, company_size, consent_at, consent_by, created_at,
                        updated_at)
    SELECT s.id, s.organisation,
           CASE WHEN s.client_group = 'werkgever' THEN 'employer' ELSE 'person' END,
           n.first || ' ' || n.last,
           lower(n.first) || '.' || lower(replace(replace(n.last, ' ', ''), '''', ''))
               || '@example.nl',
           '06' || lpad((floor(s.r_pc * 90000000) + 10000000)::bigint::text, 8, '0'),
           CASE WHEN s.client_group = 'werkgever' THEN n.last || ' Techniek B.V.' END,
           CASE WHEN s.client_group = 'werkgever'
                THEN lpad((floor(s.r_x * 89999999) + 10000000)::bigint::text, 8, '0') END,
           CASE WHEN s.client_group = 'werkgever'
                THEN (ARRAY['techniek', 'zorg', 'logistiek', 'bouw', 'detailhandel'])
                     [1 + floor(s.r_text * 5)::int] END,
           CASE WHEN s.client_group = 'werkgever'
                THEN (ARRAY['1-9', '10-49', '50-249', '250+'])[1 + floor(s.r_muni * 4)::int] END,
           s.created_at + interval '2 minutes', s.advisor, s.created_at, s.created_at
      FROM seed_q s
      CROSS JOIN LATERAL (SELECT
               (ARRAY['Anna', 'Bram', 'Chantal', 'Daan', 'Emma', 'Fatima', 'Gerrit', 'Henk',
                      'Ilse', 'Jeroen', 'Kim', 'Lars', 'Mohammed', 'Noor', 'Pieter', 'Sanne',
                      'Thijs', 'Yara'])[1 + floor(s.r_text * 18)::int] AS first,
               (ARRAY['Jansen', 'de Vries', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder',
                      'Bos', 'Vos', 'Oude Luttikhuis', 'Nijhuis', 'Kamphuis', 'Yilmaz',
                      'Haverkate', 'Wolters', 'Pots'])[1 + floor(s.r_pc * 16)::int] AS last) n
     WHERE (s.r_ref < 0.25 AND s.r_client < 0.45) OR (s.r_ref >= 0.25 AND s.r_client < 0.05);
    ALTER TABLE client ENABLE TRIGGER client_log_insert;
    ALTER TABLE client ENABLE TRIGGER client_before_write;
    INSERT INTO question_event (question_id, at, actor, kind, detail)
    SELECT c.question_id, c.consent_at, c.consent_by, 'client_saved',
           jsonb_build_object('kind', c.kind, 'consent', true)
      FROM client c JOIN seed_q s ON s.id = c.question_id;

    -- Demand signals noticed in about one contact in twenty.
    v_t := seed_lap('client', v_t);
    INSERT INTO signal (region, organisation, advisor, question_id, kind, topic, sector,
                        municipality, text, created_at)
    SELECT p_region, s.organisation, s.advisor, s.id,
           CASE WHEN s.r_x < 0.5 THEN 'latente_vraag' ELSE 'ontbrekend_aanbod' END,
           s.topic,
           (ARRAY['techniek', 'zorg', 'logistiek', 'bouw', 'onderwijs', 'ict'])[1 + floor(s.r_pc * 6)::int],
           s.municipality,
           CASE WHEN s.r_x < 0.5
                THEN 'Meer vragen over ' || replace(s.topic, '-', ' ') || ' in ' || s.place || '.'
                ELSE 'Geen passend aanbod in de avond voor ' || replace(s.topic, '-', ' ') || '.' END,
           s.created_at + interval '5 minutes'
      FROM seed_q s
     WHERE s.r_sig < 0.05;

    v_t := seed_lap('signal', v_t);
    DROP TABLE seed_q;
    RETURN p_count;
END
$fn$;

