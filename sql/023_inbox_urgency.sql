-- 023_inbox_urgency: in the central point's inbox a referral of high urgency
-- comes first among those with the same deadline.  Deadlines are the end of
-- a working day (010), so "the same deadline" is the same last day to pick
-- it up: the tabs now read by (deadline, urgency <> 'hoog', id), and the
-- keyset pages on those three.  The indexes of 013 are rebuilt in that order
-- so a page stays an index range scan on a busy region.
SET LOCAL ROLE loket_owner;
DROP INDEX referral_to_open;
CREATE INDEX referral_to_open ON referral (to_org, status, deadline, (urgency <> 'hoog'), id)
    WHERE status IN ('sent', 'accepted', 'in_progress');
DROP INDEX referral_mine;
CREATE INDEX referral_mine ON referral (accepted_by, deadline, (urgency <> 'hoog'), id)
    WHERE status IN ('accepted', 'in_progress');
