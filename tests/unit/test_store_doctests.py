"""The docstring examples of the store and SPARQL modules run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module", ["kg.store.terms", "kg.store.remote", "kg.sparql_guard", "api.sparql"]
)
def test_store_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
