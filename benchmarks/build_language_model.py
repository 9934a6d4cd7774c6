"""Build resources/langid_candidates.npz: langid's model, cut to khabar's candidate languages.

    python benchmarks/build_language_model.py

langid (BSD 2-clause, Lui and Baldwin 2012; its licence is in NOTICE) keeps its model as a base64 string of a
bz2-compressed pickle of Python arrays: unpacking it costs 2–5 s of CPU in every process that
meets its first non-Arabic text (each worker of a parallel ingest, each `khabar extract`).
This writes the same arrays, the naive Bayes tables already restricted to
`khabar.clean.language.CANDIDATES` (what `LanguageIdentifier.set_languages` does at load), as
one compressed numpy file (~0.63 MB) that loads in milliseconds. The classifier is still
langid's own class, so every answer is the same (`tests/test_language_model.py` checks it against
the model inside the installed langid). Nothing is downloaded; only the installed package is read.
"""

from __future__ import annotations

import base64
import bz2
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from khabar.clean.language import CANDIDATES, MODEL_FILE  # noqa: E402  (after the path set-up)


def build() -> dict[str, np.ndarray]:
    import langid
    from langid.langid import model

    nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_output = pickle.loads(bz2.decompress(base64.b64decode(model)))
    pc = np.array(nb_pc)
    ptc = np.array(nb_ptc).reshape(-1, len(pc))
    keep = np.fromiter((c in CANDIDATES for c in nb_classes), dtype=bool)
    states = sorted(tk_output)
    return {
        "ptc": ptc[:, keep],
        "pc": pc[keep],
        "classes": np.array([c for c in nb_classes if c in CANDIDATES]),
        "num_features": np.array(ptc.shape[0]),
        "next_move": np.frombuffer(tk_nextmove, dtype=np.uint16) if tk_nextmove.typecode == "H"
        else np.array(tk_nextmove, dtype=np.uint32),
        "output_states": np.array(states, dtype=np.int32),
        "output_lengths": np.array([len(tk_output[s]) for s in states], dtype=np.int32),
        "output_features": np.array([f for s in states for f in tk_output[s]], dtype=np.int32),
        "langid_version": np.array(getattr(langid, "__version__", "") or _version()),
    }


def _version() -> str:
    from importlib.metadata import version

    return version("langid")


def main() -> None:
    arrays = build()
    np.savez_compressed(MODEL_FILE, **arrays)
    print(f"{MODEL_FILE.relative_to(ROOT)}: {MODEL_FILE.stat().st_size:,} bytes, "
          f"{len(arrays['classes'])} languages, {int(arrays['num_features'])} features, "
          f"langid {arrays['langid_version']}")


if __name__ == "__main__":
    main()
