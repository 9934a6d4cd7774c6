-- The idf counts of story clustering by the hour of the stream clock (POSIX seconds // 3600),
-- for ClusterConfig.idf_window_days: `story_df` holds the counts of the window, this table what
-- each hour added to them, so an hour's counts leave `story_df` once it is older than the window.
-- term '' is the number of articles counted in that hour. Stores made before hold their whole
-- history in `story_df`; it is counted in the first hour the next ingest learns in.
CREATE TABLE story_df_hours (
    hour INTEGER NOT NULL,
    term TEXT NOT NULL,
    df INTEGER NOT NULL,
    PRIMARY KEY (hour, term)
) WITHOUT ROWID;
