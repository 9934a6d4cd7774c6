-- Stories and copy groups (khabar.stories). Story ids and copy group ids are the id of their
-- first article, so they never change. `story_articles` holds one row per clustered article
-- (its story, its copy group, the exact-text hash and MinHash signature the near-duplicate
-- index needs when it is loaded again); `stories` holds each story's summary and, for stories
-- still in the active window, the clustering state (`state`, JSON) so a later ingest run can
-- join them; `story_df`/`story_meta` keep the incremental idf and the stream's clock.
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    first_seen TEXT,
    last_seen TEXT,
    first_ts REAL,
    last_ts REAL,
    size INTEGER NOT NULL DEFAULT 0,
    n_outlets INTEGER NOT NULL DEFAULT 0,
    outlets TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_last_ts ON stories(last_ts);
CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL REFERENCES stories(id),
    copy_group TEXT NOT NULL,
    exact_hash TEXT NOT NULL DEFAULT '',
    minhash BLOB,
    shingles INTEGER NOT NULL DEFAULT 0,
    outlet TEXT NOT NULL DEFAULT '',
    published_ts REAL,
    score REAL NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id);
CREATE INDEX story_articles_copy_group ON story_articles(copy_group);
CREATE INDEX story_articles_exact_hash ON story_articles(exact_hash);
CREATE INDEX story_articles_published ON story_articles(published_ts);
CREATE VIEW copy_groups AS
    SELECT copy_group AS id, COUNT(*) AS size, COUNT(DISTINCT outlet) AS n_outlets,
           MIN(seq) AS first_seq
    FROM story_articles GROUP BY copy_group HAVING COUNT(*) > 1;
CREATE TABLE story_df (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE story_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
