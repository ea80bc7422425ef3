"""kg.nlp.common helpers on hand-built Docs."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.common import token_ids_starting_in


@pytest.mark.parametrize(
    ("start", "end"),
    [(0, 0), (0, 1), (0, 6), (1, 6), (6, 13), (7, 13), (5, 30), (0, 100), (29, 29), (30, 31)],
)
def test_nlp_common_token_ids_starting_in_is_the_scan(
    blank_nlp: Language, start: int, end: int
) -> None:
    """The binary search gives the tokens the plain scan of the Doc gives."""
    doc = Doc(blank_nlp.vocab, words=["Putin", "said", "\n\n", "talks", "were", "over", "."])
    scan = {t.i for t in doc if start <= t.idx < end}
    assert token_ids_starting_in(doc, start, end) == scan
