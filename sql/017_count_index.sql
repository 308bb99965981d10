-- 017_count_index: the supervisors' counts (query_count, sql/015) over a
-- period read this index only: a quarter of Twente's questions counted by
-- organisation took 160 ms through question_recent and the table, 45 ms here
-- (1,000,000 questions, tests/bench/reports.sh).  The columns are those the
-- query language filters and counts by on the question itself.
SET LOCAL ROLE loket_owner;

CREATE INDEX question_counts ON question (region, created_at)
    INCLUDE (topic, organisation, client_group, channel, status, postcode4);

-- Starting parallel workers costs this machine more than such a scan takes
-- (2 cores: 133 ms with workers, 99 ms without, for the count above); only
-- counts over most of the table are worth them.
ALTER FUNCTION query_counted(text, text[], integer, boolean) SET parallel_setup_cost = 10000;
