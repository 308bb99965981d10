-- 006_list_index: the case list reads questions newest first with a keyset on
-- (created_at, id), filtered by row-level security.  The policies are OR-ed
-- (own organisation, or referred to it), which an index on organisation
-- cannot serve in order, so the list walks this index backwards and stops
-- after one page of visible rows (tests/bench/list_page.sh shows the effect).
SET LOCAL ROLE loket_owner;
CREATE INDEX question_recent ON question (created_at DESC, id DESC);
