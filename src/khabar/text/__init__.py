"""Arabic text primitives: normalization with offset maps, sentences, tokens and match keys.

Everything here works on the original text and reports offsets into it; normalized forms are
for matching only.

    >>> from khabar.text import match_key, normalize_text, split_sentences
    >>> normalize_text("أَحْمَد ٥٦٠")
    'احمد 560'
    >>> match_key("بالموصل") == match_key("الموصل") == "موصل"
    True
    >>> text = "انتهى الاجتماع.وبدأ المؤتمر"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['انتهى الاجتماع.', 'وبدأ المؤتمر']
"""

from khabar.text.lead import lead_title
from khabar.text.normalize import Normalized, collapse_spaces, normalize, normalize_text
from khabar.text.sentences import split_sentences
from khabar.text.tokens import (
    Token,
    arabic_letter_share,
    derived_verbal_noun,
    match_key,
    match_keys,
    remembered_match_keys,
    split_clitics,
    token_spans,
    tokenize,
    whole_word_key,
    word_parts,
)

__all__ = [
    "Normalized",
    "Token",
    "arabic_letter_share",
    "collapse_spaces",
    "derived_verbal_noun",
    "lead_title",
    "match_key",
    "match_keys",
    "remembered_match_keys",
    "normalize",
    "normalize_text",
    "split_clitics",
    "whole_word_key",
    "split_sentences",
    "token_spans",
    "tokenize",
    "word_parts",
]
