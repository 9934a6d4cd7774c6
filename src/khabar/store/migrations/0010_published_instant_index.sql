-- Articles are listed newest first by the instant they were published, not by the stored ISO
-- string: '2026-04-15T01:00:00+03:00' is earlier than '2026-04-14T23:30:00+00:00' although it
-- sorts after it. julianday() reads the offset (a naive time counts as UTC, as the stories'
-- timestamps do), and an index on the expression keeps a page of the newest articles one walk
-- down an index.
CREATE INDEX IF NOT EXISTS articles_published_instant ON articles(julianday(published));
