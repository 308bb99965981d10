-- 01_reference: the Twente region, its organisations, and its 14
-- municipalities with every 4-digit postcode (the code lists are in
-- 00_codes).  Idempotent: running it again changes nothing, and a corrected
-- label here is corrected in the database.

INSERT INTO region (code, name, pickup_days) VALUES ('twente', 'Twente', 2)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
WHERE region.name IS DISTINCT FROM EXCLUDED.name;

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
