"""`kg.read.index._firsts`: a filter on any set of dimensions keeps exactly one facet row per
statement and value combination, so the index counts and pages without DISTINCT."""

from __future__ import annotations

import itertools

import pytest

from kg.read.index import _dimensions, _firsts

ROWS = [
    (a, t, c)
    for a, t, c in itertools.product(("putin", "trump"), ("nato", "sanctions"), ("meeting", ""))
]


@pytest.mark.parametrize("mask", range(1, 8))
def test_read_index_facets_one_row_per_value_combination(mask: int) -> None:
    dims = (bool(mask & 1), bool(mask & 2), bool(mask & 4))
    bit = _dimensions(*dims)
    kept = [row for row, firsts in zip(ROWS, _firsts(ROWS), strict=True) if firsts & bit]
    projection = [tuple(v for v, on in zip(row, dims, strict=True) if on) for row in kept]
    assert len(projection) == len(set(projection))
    assert set(projection) == {
        tuple(v for v, on in zip(row, dims, strict=True) if on) for row in ROWS
    }


def test_read_index_facets_single_row_is_first_for_everything() -> None:
    assert _firsts([("putin", "", "")]) == [sum(1 << m for m in range(1, 8))]
