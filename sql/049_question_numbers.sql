-- 049_question_numbers.sql: one advisor's open transaction no longer halts
-- the region's registrations ("hole B", found by the trial with psql).
--
-- next_question_number() took the number with an UPDATE of the region's
-- row in region_counter, whose lock the inserting transaction held until it
-- ended.  An advisor who ran BEGIN; INSERT INTO loket.question ...; and left
-- psql open made every other registration in the region wait, for as long
-- as they liked: the screens sat on "bezig...", the CLI hung.  No setting
-- helps, since idle_in_transaction_session_timeout is the user's to SET.
--
-- Now each region has a sequence, question_number_<region>, owned by the
-- owner; nextval() takes no lock that anyone waits for.  The price is that
-- a number taken by a transaction that rolls back is not given again: the
-- numbers have gaps, as a sequence's do.  They stay unique per region
-- (question_region_number), server-given (024: nobody else calls these
-- functions or reads the sequences) and increasing.
SET LOCAL ROLE loket_owner;

-- The region's sequence, made when missing (a region inserted later).
CREATE FUNCTION question_number_sequence(p_region text) RETURNS regclass
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_name text := 'question_number_' || p_region;
    v regclass := to_regclass(format('loket.%I', v_name));
BEGIN
    IF v IS NULL THEN
        EXECUTE format('CREATE SEQUENCE IF NOT EXISTS loket.%I AS integer', v_name);
        v := to_regclass(format('loket.%I', v_name));
    END IF;
    RETURN v;
END $$;
REVOKE EXECUTE ON FUNCTION question_number_sequence(text) FROM PUBLIC;

-- Every region has one from the start; a new region's comes with its row.
CREATE FUNCTION region_number_sequence() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM question_number_sequence(NEW.code);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION region_number_sequence() FROM PUBLIC;
CREATE TRIGGER region_number_sequence AFTER INSERT ON region
    FOR EACH ROW EXECUTE FUNCTION region_number_sequence();

-- The sequences go on from the counters.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT g.code, c.last_number FROM region g
               LEFT JOIN region_counter c ON c.region = g.code LOOP
        IF coalesce(r.last_number, 0) > 0 THEN
            PERFORM setval(question_number_sequence(r.code), r.last_number);
        ELSE
            PERFORM question_number_sequence(r.code);
        END IF;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION next_question_number(p_region text) RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT nextval(question_number_sequence(p_region))::integer
$$;

-- The counter is gone; what read it reads the sequence.
DROP TABLE region_counter;
