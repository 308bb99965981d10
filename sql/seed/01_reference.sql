-- 01_reference: the Twente region, its organisations, the code lists with
-- their Dutch labels, the 14 municipalities with every 4-digit postcode, and
-- the public holidays.  Idempotent: running it again changes nothing, and a
-- corrected label here is corrected in the database.

INSERT INTO region (code, name, pickup_days) VALUES ('twente', 'Twente', 2)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
WHERE region.name IS DISTINCT FROM EXCLUDED.name;

INSERT INTO region_counter (region) VALUES ('twente') ON CONFLICT DO NOTHING;

-- Which organisation is central is data: lwl here, another one tomorrow.
INSERT INTO organisation (code, name, kind, region) VALUES
    ('lwl',    'Leerwerkloket Twente',                          'central',    'twente'),
    ('kvk',    'Kamer van Koophandel',                          'vindplaats', 'twente'),
    ('cnv',    'CNV loopbaanadvies',                            'vindplaats', 'twente'),
    ('fnv',    'FNV loopbaanadvies',                            'vindplaats', 'twente'),
    ('lbs',    'Loopbaanstation',                               'vindplaats', 'twente'),
    ('roc',    'ROC van Twente / Endoor',                       'vindplaats', 'twente'),
    ('saxion', 'Saxion',                                        'vindplaats', 'twente'),
    ('zone',   'Zone College',                                  'vindplaats', 'twente'),
    ('wsp',    'Werkgeversservicepunt / Werkplein Twente',      'vindplaats', 'twente'),
    ('tfvv',   'Twents Fonds voor Vakmanschap',                 'vindplaats', 'twente')
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
WHERE organisation.name IS DISTINCT FROM EXCLUDED.name;

INSERT INTO client_group (code, label, sort) VALUES
    ('werkende',     'Werkende',       10),
    ('werkzoekende', 'Werkzoekende',   20),
    ('werkgever',    'Werkgever',      30),
    ('zzp',          'Zzp''er',        40),
    ('student',      'Student',        50),
    ('herintreder',  'Herintreder',    60)
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, sort = EXCLUDED.sort
WHERE (client_group.label, client_group.sort) IS DISTINCT FROM (EXCLUDED.label, EXCLUDED.sort);

INSERT INTO channel (code, label, sort) VALUES
    ('balie',          'Balie',           10),
    ('telefoon',       'Telefoon',        20),
    ('email',          'E-mail',          30),
    ('chat',           'Chat',            40),
    ('bedrijfsbezoek', 'Bedrijfsbezoek',  50),
    ('evenement',      'Evenement',       60)
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, sort = EXCLUDED.sort
WHERE (channel.label, channel.sort) IS DISTINCT FROM (EXCLUDED.label, EXCLUDED.sort);

INSERT INTO topic (code, label, sort) VALUES
    ('opleiding',      'Opleiding kiezen',                               10),
    ('financiering',   'Financiering',                                   20),
    ('loopbaan',       'Loopbaan',                                       30),
    ('evc',            'Erkenning van ervaring (EVC, praktijkverklaring, diploma''s)', 40),
    ('taal',           'Taal en digitale vaardigheden',                  50),
    ('werk-naar-werk', 'Van werk naar werk',                             60),
    ('personeel',      'Personeelsontwikkeling (werkgevers)',            70),
    ('overig',         'Overig',                                         80)
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, sort = EXCLUDED.sort
WHERE (topic.label, topic.sort) IS DISTINCT FROM (EXCLUDED.label, EXCLUDED.sort);

INSERT INTO referral_reason (code, label, sort) VALUES
    ('advies',          'Onafhankelijk advies',            10),
    ('loopbaangesprek', 'Loopbaangesprek',                 20),
    ('financiering',    'Vraag over financiering',         30),
    ('evc',             'EVC of praktijkverklaring',       40),
    ('groepsvraag',     'Groepsvraag (werkgever of sector)', 50),
    ('overig',          'Overig',                          60)
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, sort = EXCLUDED.sort
WHERE (referral_reason.label, referral_reason.sort) IS DISTINCT FROM (EXCLUDED.label, EXCLUDED.sort);

INSERT INTO referral_outcome (code, label, sort) VALUES
    ('advies_gegeven',           'Advies gegeven',                       10),
    ('loopbaangesprek',          'Loopbaangesprek gevoerd',              20),
    ('opleiding_gekozen',        'Opleiding gekozen',                    30),
    ('financiering_aangevraagd', 'Financiering aangevraagd',             40),
    ('doorverwezen_elders',      'Doorverwezen naar een andere partner', 50),
    ('geen_contact',             'Geen contact met de klant',            60),
    ('niet_van_toepassing',      'Niet van toepassing',                  70)
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, sort = EXCLUDED.sort
WHERE (referral_outcome.label, referral_outcome.sort) IS DISTINCT FROM (EXCLUDED.label, EXCLUDED.sort);

-- Population 2021-2024 (rounded), which also weighs the synthetic questions.
INSERT INTO municipality (code, name, region, population) VALUES
    ('enschede',       'Enschede',       'twente', 160000),
    ('hengelo',        'Hengelo',        'twente',  82000),
    ('almelo',         'Almelo',         'twente',  73000),
    ('rijssen-holten', 'Rijssen-Holten', 'twente',  39000),
    ('hellendoorn',    'Hellendoorn',    'twente',  36000),
    ('hof-van-twente', 'Hof van Twente', 'twente',  35000),
    ('twenterand',     'Twenterand',     'twente',  34000),
    ('oldenzaal',      'Oldenzaal',      'twente',  32000),
    ('dinkelland',     'Dinkelland',     'twente',  27000),
    ('borne',          'Borne',          'twente',  25000),
    ('wierden',        'Wierden',        'twente',  25000),
    ('haaksbergen',    'Haaksbergen',    'twente',  24000),
    ('losser',         'Losser',         'twente',  23000),
    ('tubbergen',      'Tubbergen',      'twente',  21000)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, population = EXCLUDED.population
WHERE (municipality.name, municipality.population)
      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.population);

INSERT INTO postcode4 (postcode, municipality)
SELECT p::text, m
FROM (VALUES
    ('enschede', 7511, 7548), ('hengelo', 7551, 7559), ('almelo', 7601, 7609),
    ('borne', 7621, 7623), ('oldenzaal', 7571, 7577), ('losser', 7581, 7582),
    ('losser', 7586, 7586), ('dinkelland', 7591, 7591), ('dinkelland', 7595, 7595),
    ('dinkelland', 7631, 7631), ('tubbergen', 7651, 7651), ('tubbergen', 7661, 7661),
    ('haaksbergen', 7481, 7483), ('hof-van-twente', 7471, 7472),
    ('hof-van-twente', 7491, 7491), ('rijssen-holten', 7451, 7451),
    ('rijssen-holten', 7461, 7463), ('wierden', 7641, 7642), ('wierden', 7468, 7468),
    ('hellendoorn', 7441, 7443), ('hellendoorn', 7447, 7447), ('twenterand', 7671, 7672),
    ('twenterand', 7681, 7681), ('twenterand', 7683, 7683)
) AS r(m, lo, hi), generate_series(lo, hi) AS p
ON CONFLICT (postcode) DO UPDATE SET municipality = EXCLUDED.municipality
WHERE postcode4.municipality IS DISTINCT FROM EXCLUDED.municipality;

-- Dutch public holidays (for deadlines in working days).
INSERT INTO holiday (day, name) VALUES
    ('2025-01-01', 'Nieuwjaarsdag'), ('2025-04-18', 'Goede Vrijdag'),
    ('2025-04-20', 'Eerste paasdag'), ('2025-04-21', 'Tweede paasdag'),
    ('2025-04-26', 'Koningsdag'), ('2025-05-05', 'Bevrijdingsdag'),
    ('2025-05-29', 'Hemelvaartsdag'), ('2025-06-08', 'Eerste pinksterdag'),
    ('2025-06-09', 'Tweede pinksterdag'), ('2025-12-25', 'Eerste kerstdag'),
    ('2025-12-26', 'Tweede kerstdag'),
    ('2026-01-01', 'Nieuwjaarsdag'), ('2026-04-03', 'Goede Vrijdag'),
    ('2026-04-05', 'Eerste paasdag'), ('2026-04-06', 'Tweede paasdag'),
    ('2026-04-27', 'Koningsdag'), ('2026-05-05', 'Bevrijdingsdag'),
    ('2026-05-14', 'Hemelvaartsdag'), ('2026-05-24', 'Eerste pinksterdag'),
    ('2026-05-25', 'Tweede pinksterdag'), ('2026-12-25', 'Eerste kerstdag'),
    ('2026-12-26', 'Tweede kerstdag'),
    ('2027-01-01', 'Nieuwjaarsdag'), ('2027-03-26', 'Goede Vrijdag'),
    ('2027-03-28', 'Eerste paasdag'), ('2027-03-29', 'Tweede paasdag'),
    ('2027-04-27', 'Koningsdag'), ('2027-05-05', 'Bevrijdingsdag'),
    ('2027-05-06', 'Hemelvaartsdag'), ('2027-05-16', 'Eerste pinksterdag'),
    ('2027-05-17', 'Tweede pinksterdag'), ('2027-12-25', 'Eerste kerstdag'),
    ('2027-12-26', 'Tweede kerstdag')
ON CONFLICT (day) DO UPDATE SET name = EXCLUDED.name
WHERE holiday.name IS DISTINCT FROM EXCLUDED.name;
