-- 008_question_number: opening a question by its number (Enter in the list,
-- :goto, loket case show) asks for "number = N in my region, or in any region
-- for people who work region-wide".  The region test is written so that it
-- also holds for them, which the unique (region, number) index cannot serve
-- with number alone; on 1,000,000 questions that was a scan of ~100 ms
-- (tests/bench/tui_keys.sh).  Numbers repeat only across regions, so this
-- index finds the few candidates directly.
SET LOCAL ROLE loket_owner;
CREATE INDEX question_number ON question (number);
