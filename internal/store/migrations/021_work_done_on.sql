-- A work's completion day (ngày hoàn thành, issue 13.3): a report for a period counts a work
-- as done only when it was completed by the period's end. '' is not known (a work done
-- without it counts as completed in its year) or not done.
ALTER TABLE works ADD COLUMN done_on TEXT NOT NULL DEFAULT '';
