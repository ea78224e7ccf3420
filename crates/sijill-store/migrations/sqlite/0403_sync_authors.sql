-- Who made a revision, by the display name of the account that made it on its instance
-- (an edit on the web, a conflict resolved), so a conflict can name the person behind
-- each value. Null for a revision found by comparison (the write path did not say who).
ALTER TABLE sync_revisions ADD COLUMN author TEXT;
