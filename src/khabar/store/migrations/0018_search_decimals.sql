-- A decimal number is one search token: the index's tokenizer keeps '.' and ',' inside a token,
-- so the match key of ١٢٫٥ or 12.5 (khabar.text.match_keys: "12.5") is indexed and searched
-- as one word, and a search for ١٢ no longer finds ١٢٫٥ (nor 1 find 1,250). Only numbers hold
-- these marks in the indexed text (it is the match keys of the title and body, joined by
-- spaces). The table is contentless, so the data step in khabar.store.sqlite indexes the
-- stored articles again. A read-only store without it is read as it is (its old index splits
-- a decimal into two numbers, as before).
DROP TABLE IF EXISTS articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='', tokenize='unicode61 remove_diacritics 0 tokenchars ''.,'''
);
