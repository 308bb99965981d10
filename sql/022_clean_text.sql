-- 022_clean_text: text that people type holds no control, bidi or invisible
-- characters.
--
-- The rule (doc/forms.md, "Characters that are not stored"): a right-to-left
-- override (U+202E) or a zero-width space shows one thing on one screen and
-- another on the next, and a control character can do worse to a terminal.
-- loket refuses them in every column a person types into, and the forms
-- refuse them as they are typed or pasted (src/util/textedit.c), so what is
-- stored is what everyone sees.  The set is exactly the one the sanitiser
-- shows as symbols (src/util/sanitize.c, sanitize_is_unsafe), less the tab,
-- and less the line break in text of several lines; tests/db/test_clean_text
-- checks that the two agree on every code point.
--
-- The constraints are NOT VALID: rows stored before this migration stay as
-- they are (and are shown with symbols, as ever); every new or changed row
-- is checked.  After cleaning old rows an administrator may VALIDATE them.
SET LOCAL ROLE loket_owner;

CREATE FUNCTION text_is_clean(t text, multiline boolean) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN t IS NULL OR t !~ CASE WHEN multiline
        THEN '[\x01-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e0fff]'
        ELSE '[\x01-\x08\x0a-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e0fff]'
        END;
COMMENT ON FUNCTION text_is_clean(text, boolean) IS
    'False when t holds a character loket does not store in typed text: C0/C1 controls '
    '(but tab, and line feed when multiline), DEL, bidi controls, zero-width and other '
    'invisible format characters.';

-- The values of question.extra (fields organisations add through forms/).
CREATE FUNCTION jsonb_text_is_clean(j jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce((SELECT bool_and(text_is_clean(value, true)) FROM jsonb_each_text(j)), true);

ALTER TABLE question
    ADD CONSTRAINT question_text_clean CHECK (text_is_clean(text, true)) NOT VALID,
    ADD CONSTRAINT question_extra_clean CHECK (jsonb_text_is_clean(extra)) NOT VALID;
ALTER TABLE client
    ADD CONSTRAINT client_name_clean CHECK (text_is_clean(name, false)) NOT VALID,
    ADD CONSTRAINT client_company_name_clean CHECK (text_is_clean(company_name, false)) NOT VALID,
    ADD CONSTRAINT client_sector_clean CHECK (text_is_clean(sector, false)) NOT VALID;
ALTER TABLE referral
    ADD CONSTRAINT referral_note_clean CHECK (text_is_clean(note, true)) NOT VALID,
    ADD CONSTRAINT referral_outcome_note_clean CHECK (text_is_clean(outcome_note, true)) NOT VALID,
    ADD CONSTRAINT referral_return_reason_clean CHECK (text_is_clean(return_reason, true)) NOT VALID,
    ADD CONSTRAINT referral_target_note_clean CHECK (text_is_clean(target_note, true)) NOT VALID;
ALTER TABLE signal
    ADD CONSTRAINT signal_sector_clean CHECK (text_is_clean(sector, false)) NOT VALID,
    ADD CONSTRAINT signal_text_clean CHECK (text_is_clean(text, true)) NOT VALID;
ALTER TABLE knowledge_version
    ADD CONSTRAINT knowledge_version_title_clean CHECK (text_is_clean(title, false)) NOT VALID,
    ADD CONSTRAINT knowledge_version_tell_client_clean CHECK (text_is_clean(tell_client, true)) NOT VALID,
    ADD CONSTRAINT knowledge_version_body_clean CHECK (text_is_clean(body, true)) NOT VALID;
