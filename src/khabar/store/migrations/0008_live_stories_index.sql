-- The stories that still hold clustering state (those inside the window). After each batch the
-- stories that left the window drop theirs (`UPDATE stories SET state='{}' WHERE last_ts < ?
-- AND state != '{}'`, khabar.store.stories): through this index that reads the live stories
-- only, instead of every story older than the window, a number that grows with the store.
CREATE INDEX IF NOT EXISTS stories_live ON stories(last_ts) WHERE state != '{}';
