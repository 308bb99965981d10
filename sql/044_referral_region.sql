-- 044_referral_region.sql: a referral goes to an organisation of the
-- question's own region (issue 17, part 5: tests/db/test_regions found that
-- a Twente advisor could refer a question to another region's central
-- point with plain SQL, which put a Twente client's details in front of
-- that region's staff).  Checked after the row is complete (the region and
-- the default central point are filled in by the earlier triggers).
SET LOCAL ROLE loket_owner;

CREATE FUNCTION referral_same_region() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM organisation o
                    WHERE o.code = NEW.to_org AND o.region = NEW.region) THEN
        RAISE EXCEPTION 'a referral goes to an organisation of its own region'
            USING ERRCODE = '23514', CONSTRAINT = 'referral_to_own_region';
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION referral_same_region() FROM PUBLIC;
CREATE TRIGGER referral_same_region AFTER INSERT OR UPDATE OF to_org, region ON referral
    FOR EACH ROW EXECUTE FUNCTION referral_same_region();

