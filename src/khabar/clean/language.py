"""Which language an article is in.

Arabic script is most of what khabar sees, and counting letters settles it without a model:
an Arabic-script text with none of the letters Persian, Urdu or Kurdish add is Arabic. Anything
else goes to langid (BSD, offline, loaded on first use), restricted to the languages news
dumps actually mix in so that short texts are not labelled with exotic guesses.

langid's model is read from `resources/langid_candidates.npz` (its tables cut to those
languages by `benchmarks/build_language_model.py`): milliseconds, where unpacking the copy
inside langid costs seconds in every process that meets a non-Arabic text.
"""

from __future__ import annotations

import re
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

from khabar.text import arabic_letter_share

CANDIDATES = ("ar", "fa", "ur", "ku", "ps", "en", "fr", "es", "de", "it", "tr", "he", "id", "ru")
_NON_ARABIC_LETTERS = re.compile(r"[\u067E\u0686\u0698\u06AF\u06A9\u06CC\u0679\u0688\u0691\u06BA\u06BE\u06C1\u06D2\u06D5\u06B5\u06C6\u06CE]")
_ANY_LETTER = re.compile(r"[^\W\d_]")
MODEL_FILE = Path(__file__).resolve().parents[1] / "resources" / "langid_candidates.npz"


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from langid.langid import LanguageIdentifier

    shipped = _shipped_model()
    if shipped is not None:
        return LanguageIdentifier(*shipped, norm_probs=True)
    from langid.langid import model  # a checkout whose model file was not built

    identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def _shipped_model() -> tuple[Any, ...] | None:
    """langid's constructor arguments from MODEL_FILE, or None when it is absent or was built
    for other candidate languages."""
    import numpy as np

    try:
        with np.load(MODEL_FILE) as z:
            classes = [str(c) for c in z["classes"]]
            if sorted(classes) != sorted(CANDIDATES):
                return None
            lengths = z["output_lengths"]
            features = z["output_features"].tolist()
            ends = np.cumsum(lengths).tolist()
            output = {state: tuple(features[end - n:end])
                      for state, n, end in zip(z["output_states"].tolist(), lengths.tolist(), ends)}
            next_move = z["next_move"]
            # an array.array, as langid has it: indexed a byte at a time, it gives plain ints
            moves = (array("H", next_move.tobytes()) if next_move.dtype == np.uint16
                     else array("I", next_move.astype(np.uint32).tobytes()))
            return z["ptc"], z["pc"], int(z["num_features"]), classes, moves, output
    except (OSError, KeyError, ValueError):
        return None


def detect_language(text: str) -> str:
    """An ISO 639-1 code, or `und` when the text has too few letters to tell."""
    sample = text[:700]
    share = arabic_letter_share(sample)
    if share >= 0.6 and len(sample) >= 24 and not _NON_ARABIC_LETTERS.search(sample):
        return "ar"
    letters = len(_ANY_LETTER.findall(sample))
    if letters < 12:
        return "und"
    if share >= 0.6 and len(_NON_ARABIC_LETTERS.findall(sample)) < 0.01 * letters + 1:
        return "ar"
    language, _probability = _identifier().classify(sample)
    return str(language)
