-- 00_codes: the national code lists with their Dutch labels (client groups,
-- channels, topics, referral reasons and outcomes) and the public holidays.
-- Every region's database and the national reporting database
-- (`loket db seed --national`, doc/national.md) load the same lists, so the
-- codes in the regions' summaries mean the same everywhere.  Idempotent:
-- running it again changes nothing, and a corrected label here is
-- corrected in the database.

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
