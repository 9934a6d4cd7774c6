"""Executors run the same stage functions over many articles: local processes or Ray.

`khabar.executors.local` is the default engine behind `Corpus.ingest(..., workers=N)`;
`khabar.executors.ray` (extra `khabar[ray]`) runs the pipeline on a Ray cluster and writes
Parquet shards that `khabar load-parquet` loads into a store.
"""
