-- The place and the outlet or agency of an article's dateline, kept apart for filtering.
ALTER TABLE articles ADD COLUMN dateline_place TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN dateline_source TEXT NOT NULL DEFAULT '';
