-- The direct copy relation (khabar.stories.dedup.DedupIndex.copies_of): for each clustered
-- article, the earlier articles it was verified to copy (the candidates that passed the copy
-- test and were not refused as two statements of one template), with the Jaccard similarity of
-- the two texts' word 3-shingle sets and the containment of the smaller set in the larger.
-- Copy groups (story_articles.copy_group) are a partition, one group per article; being a
-- copy is no equivalence (a page holding two texts copies both, which copy nothing of each
-- other), so the relation is kept beside them. Written with the article's story assignment,
-- once (re-ingesting changes nothing); articles clustered before this migration have no rows.
-- A read-only store without this table is read as it is (no copies recorded).
CREATE TABLE IF NOT EXISTS article_copies (
    article_id TEXT NOT NULL,
    copies TEXT NOT NULL,
    jaccard REAL NOT NULL,
    containment REAL NOT NULL,
    PRIMARY KEY (article_id, copies)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_copies_copies ON article_copies(copies);
