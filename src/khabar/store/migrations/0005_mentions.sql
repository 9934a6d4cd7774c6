-- Mentions index (khabar.store.mentions): one row per entity, quote, quantity and date span of
-- every article, so names can be listed and looked up without reading every article's spans.
-- `key` is what mentions are grouped by: for an entity "LABEL:match keys of its canonical name"
-- (spelling variants and clitics folded), for a quote its speaker's key, for a quantity its
-- value, for a date its resolved value. `label` is the entity label (PER, ORG, LOC, MISC), the
-- quote's reporting verb, the quantity's unit or counted noun, the date's granularity.
-- `start`/`end` are offsets into articles.text. Rows are written with their article, in the
-- same transaction; databases from before this migration are filled when it runs.
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    key TEXT NOT NULL DEFAULT '',
    canonical TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_kind_key ON mentions(kind, key);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
