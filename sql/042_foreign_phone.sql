-- 042_foreign_phone.sql: a client's phone number from abroad (issue 16's
-- walk: the intake form warned about a Belgian or German number in the text
-- and moved it to the contact form, which could not store it).  Twente
-- borders Germany; cross-border workers ask too.
--
--   - client.phone takes + and a country code other than 31 and 7 to 14
--     more digits (E.164, stored without spaces or dashes), besides the
--     Dutch forms it took (0, +31 or 0031 and nine digits).
--   - 041's contact_regex already finds such numbers in free text, so an
--     export or erasure by one finds where it was typed.
SET LOCAL ROLE loket_owner;

ALTER TABLE client DROP CONSTRAINT client_phone_check;
ALTER TABLE client ADD CONSTRAINT client_phone_check CHECK (
    phone ~ '^(\+31|0031|0)[1-9][0-9]{8}$'
    OR (phone ~ '^\+[1-9][0-9]{7,14}$' AND phone !~ '^\+31'));
