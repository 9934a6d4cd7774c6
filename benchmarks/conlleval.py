"""Entity-level precision/recall/F1 with conlleval's chunk rules (exact span and type).

Chunk rules (as in the CoNLL-2000 `conlleval` script, IOB2/BIO input):

* a chunk starts at ``B-X``, or at ``I-X`` when the previous tag is ``O`` or of another type
  (a stray ``I-`` starts a chunk, it is not dropped);
* a chunk ends before ``O``, before ``B-``, or before a tag of another type, and at the end
  of the sentence;
* a predicted chunk is correct only if a gold chunk has the same start, end and type.

    >>> score([["B-PERS", "I-PERS", "O", "B-LOC"]], [["B-PERS", "I-PERS", "O", "B-ORG"]])["overall"]["f1"]
    50.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def chunks(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """``{(start, end, type)}`` chunks of one sentence's tags (end exclusive)."""
    out: set[tuple[int, int, str]] = set()
    start = -1
    typ = ""
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O" or not tag:
            prefix, t = "O", ""
        else:
            prefix, _, t = tag.partition("-")
            if prefix not in ("B", "I"):
                prefix, t = "B", tag  # a bare type: its own chunk start
        # end of chunk?
        if start >= 0 and (prefix != "I" or t != typ):
            out.add((start, i, typ))
            start = -1
        if prefix == "B" or (prefix == "I" and start < 0):
            start, typ = i, t
    return out


def _prf(correct: int, pred: int, gold: int) -> dict[str, float]:
    p = 100.0 * correct / pred if pred else 0.0
    r = 100.0 * correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 2),
        "recall": round(r, 2),
        "f1": round(f, 2),
        "correct": correct,
        "predicted": pred,
        "gold": gold,
    }


def score(
    gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]]
) -> dict[str, dict[str, float]]:
    """Per-type and ``overall`` P/R/F1 (percent) over sentences of gold and predicted tags."""
    counts: dict[str, list[int]] = {}
    tokens = token_correct = 0
    for g_tags, p_tags in zip(gold, pred, strict=True):
        if len(g_tags) != len(p_tags):
            raise ValueError("gold and predicted sentences differ in length")
        tokens += len(g_tags)
        token_correct += sum(1 for a, b in zip(g_tags, p_tags) if a == b)
        g, p = chunks(g_tags), chunks(p_tags)
        for _, _, t in g:
            counts.setdefault(t, [0, 0, 0])[2] += 1
        for _, _, t in p:
            counts.setdefault(t, [0, 0, 0])[1] += 1
        for _, _, t in g & p:
            counts[t][0] += 1
    result = {t: _prf(*c) for t, c in sorted(counts.items())}
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    result["overall"] = _prf(*total)
    result["overall"]["token_accuracy"] = (
        round(100.0 * token_correct / tokens, 2) if tokens else 0.0
    )
    return result


def format_table(result: dict[str, dict[str, float]]) -> str:
    lines = [f"{'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
    for t, r in result.items():
        lines.append(
            f"{t:<8} {r['precision']:6.2f} {r['recall']:6.2f} {r['f1']:6.2f}"
            f" {r['gold']:6d} {r['predicted']:6d}"
        )
    return "\n".join(lines)


def read_conll(path: str) -> list[list[tuple[str, str]]]:
    """Sentences of ``token TAG`` lines (blank line between sentences)."""
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            cols = raw.split()
            if not cols:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((cols[0], cols[-1] if len(cols) > 1 else "O"))
    if cur:
        sents.append(cur)
    return sents
