-- Articles, the records (sightings) that produced them, quarantined inputs, and a full-text
-- index over match keys (normalized, clitic-stripped words) so search ignores spelling variants.
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    outlet TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    dateline TEXT NOT NULL DEFAULT '',
    published TEXT,
    language TEXT NOT NULL DEFAULT '',
    external_id TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    body TEXT NOT NULL,
    spans TEXT NOT NULL DEFAULT '{}',
    metadata TEXT NOT NULL DEFAULT '{}',
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE records (
    seq INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    external_id TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '',
    outlet TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL,
    UNIQUE (article_id, external_id, origin)
);
CREATE INDEX records_external_id ON records(external_id);

CREATE TABLE quarantine (
    seq INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    sample TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL,
    UNIQUE (origin, reason)
);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='', tokenize='unicode61 remove_diacritics 0'
);
