-- How often each short line appears across one outlet's articles (lines printed in many of an
-- outlet's articles are its site chrome), and a hash of each record's raw text so re-ingesting
-- the same input is recognised before any processing, whatever the classifier has learnt since.
CREATE TABLE outlet_lines (
    outlet TEXT NOT NULL,
    line_hash INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (outlet, line_hash)
) WITHOUT ROWID;
CREATE TABLE outlet_counts (
    outlet TEXT PRIMARY KEY,
    articles INTEGER NOT NULL
);
ALTER TABLE records ADD COLUMN text_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX records_text_hash ON records(text_hash);
