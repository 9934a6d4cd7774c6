"""The shipped cut of langid's model answers exactly as langid's own copy does."""

from __future__ import annotations

import random

import numpy as np
import pytest

from khabar.clean import language
from khabar.clean.language import CANDIDATES, MODEL_FILE, _identifier, _shipped_model

TEXTS = [
    "The minister said on Tuesday that the new bridge would open before the summer.",
    "Le ministre a déclaré mardi que le nouveau pont ouvrirait avant l'été.",
    "El ministro dijo el martes que el nuevo puente abriría antes del verano.",
    "Der Minister sagte am Dienstag, die neue Brücke werde vor dem Sommer eröffnet.",
    "Il ministro ha detto martedì che il nuovo ponte aprirà prima dell'estate.",
    "Bakan salı günü yeni köprünün yazdan önce açılacağını söyledi.",
    "Menteri mengatakan pada hari Selasa bahwa jembatan baru akan dibuka sebelum musim panas.",
    "Министр заявил во вторник, что новый мост откроется до лета.",
    "השר אמר ביום שלישי כי הגשר החדש ייפתח לפני הקיץ.",
    "وزیر روز سه‌شنبه گفت که پل جدید پیش از تابستان باز می‌شود.",
    "وزیر نے منگل کو کہا کہ نیا پل گرمیوں سے پہلے کھل جائے گا۔",
    "قال الوزير الثلاثاء إن الجسر الجديد سيفتح قبل الصيف.",
    "Reuters 12:40 GMT — update 3",
]


def test_the_model_file_is_shipped_for_the_candidate_languages() -> None:
    assert MODEL_FILE.exists(), "run python benchmarks/build_language_model.py"
    shipped = _shipped_model()
    assert shipped is not None
    assert sorted(shipped[3]) == sorted(CANDIDATES)


def test_same_answers_as_langid_own_model() -> None:
    from langid.langid import LanguageIdentifier, model

    own = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    own.set_languages(list(CANDIDATES))
    shipped = _identifier()
    rng = random.Random(7)
    noise = ["".join(chr(rng.randrange(32, 0x700)) for _ in range(rng.randrange(3, 120))) for _ in range(300)]
    for text in TEXTS + noise:
        assert shipped.classify(text) == own.classify(text), text
    assert np.array_equal(shipped.nb_ptc, own.nb_ptc) and np.array_equal(shipped.nb_pc, own.nb_pc)


def test_a_model_file_for_other_languages_is_not_used(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    with np.load(MODEL_FILE) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["classes"] = arrays["classes"][:-1]
    other = tmp_path / "other.npz"
    np.savez(other, **arrays)
    monkeypatch.setattr(language, "MODEL_FILE", other)
    assert _shipped_model() is None
    monkeypatch.setattr(language, "MODEL_FILE", tmp_path / "missing.npz")
    assert _shipped_model() is None
