"""The valid ids a mistyped one probably meant: an unknown filter or path id is answered with
the closest known ids, so `actor=putin` suggests `vladimir-putin` instead of an empty page."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["closest", "fold"]


def fold(text: str) -> str:
    """`text` case-folded without accents: how ids and labels are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def closest(wanted: str, names: Mapping[str, Iterable[str]], *, n: int = 5) -> list[str]:
    """The ids (keys of `names`) `wanted` most probably meant, best first.

    An id matches when, ignoring case and accents, it or one of its labels equals `wanted`,
    contains it, or is close to it (difflib); `names` maps each id to its labels.

    >>> closest("putin", {"vladimir-putin": ["Vladimir Putin"], "kremlin": ["Kremlin"]})
    ['vladimir-putin']
    >>> closest("Ceasefire", {"ceasefire": ["Ceasefire"], "sanctions": ["Sanctions"]})
    ['ceasefire']
    >>> closest("sanktions", {"ceasefire": [], "sanctions": []})
    ['sanctions']
    """
    needle = fold(wanted).strip()
    if not needle:
        return []
    forms = {key: [fold(key), *(fold(label) for label in labels)] for key, labels in names.items()}
    exact = [key for key, texts in forms.items() if needle in texts]
    within = [key for key, texts in forms.items() if any(needle in t for t in texts)]
    by_form: dict[str, list[str]] = {}
    for key, texts in forms.items():
        for text in texts:
            by_form.setdefault(text, []).append(key)
    near = difflib.get_close_matches(needle, list(by_form), n=n, cutoff=0.6)
    ordered = exact + sorted(within, key=len) + [k for text in near for k in by_form[text]]
    return list(dict.fromkeys(ordered))[:n]
