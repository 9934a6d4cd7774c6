-- The idf counts of story clustering by the hour of the stream clock (POSIX seconds // 3600),
-- for ClusterConfig.idf_window_days: what each hour counted, so that an hour older than the
-- window leaves the counts (its rows deleted), and the counts are the sum of the hours left.
-- term '' is the number of articles counted in that hour; hour -(2^62) holds the counts learnt
-- before the stream had a clock. With the window `story_df` stays empty; a store written without
-- one (before this migration, or with the window off) keeps its totals there, and the next run
-- with the window counts them in its first hour and empties `story_df`.
CREATE TABLE story_df_hours (
    hour INTEGER NOT NULL,
    term TEXT NOT NULL,
    df INTEGER NOT NULL,
    PRIMARY KEY (hour, term)
) WITHOUT ROWID;
