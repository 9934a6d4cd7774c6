"""Named entities: an offline Arabic NER model (CRF trained on ANERcorp) and canonical names.

>>> from khabar.extract import find_entities  # doctest: +SKIP
>>> [(e.text, e.label) for e in find_entities("زار الوزير سمير داود مدينة حلب")]  # doctest: +SKIP
[('سمير داود', 'PER'), ('حلب', 'LOC')]
"""

from khabar.extract.entities import canonicalize
from khabar.extract.ner import find_entities, tag_conll, tag_document, tag_tokens

__all__ = ["canonicalize", "find_entities", "tag_conll", "tag_document", "tag_tokens"]
