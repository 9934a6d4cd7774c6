-- The story list's orders (khabar.store.stories.SORTS: biggest, newest, most outlets) read an
-- index instead of sorting the whole stories table for every page.
CREATE INDEX IF NOT EXISTS stories_by_size ON stories(size DESC, last_ts DESC, id);
CREATE INDEX IF NOT EXISTS stories_by_recency ON stories(last_ts DESC, size DESC, id);
CREATE INDEX IF NOT EXISTS stories_by_outlets ON stories(n_outlets DESC, size DESC, last_ts DESC, id);
