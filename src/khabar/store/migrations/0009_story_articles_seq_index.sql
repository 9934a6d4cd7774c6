-- Each batch's story assignments are numbered on from `SELECT MAX(seq) FROM story_articles`
-- (khabar.store.stories): without an index that reads the whole table, minhash signatures and
-- all, once a batch, a cost that grows with the store (0.10 ms an article at 126k articles
-- and rising, `benchmarks/store_scale.py`). With it the maximum is one walk down the index.
CREATE INDEX IF NOT EXISTS story_articles_seq ON story_articles(seq);
