"""The actor registry through KG_STORE_URL against a real `oxigraph serve`: the one SPARQL
update per article write (kg.registry) keeps it exact there too, and start-up repairs it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from kg.registry import ensure_registry, registry_problems
from kg.store import RemoteStore
from tests.integration.test_registry import (
    IRIS,
    _bypass,
    assert_exact,
    put,
    remove,
    renamed_putin,
)
from tests.utils.extraction import demo_extraction
from tests.utils.talks import talks_one, talks_two

pytestmark = pytest.mark.e2e


@pytest.fixture
def remote(oxigraph_server: Callable[..., str]) -> Iterator[RemoteStore]:
    store = RemoteStore(oxigraph_server() + "/query")
    yield store
    store.close()


def test_registry_remote_add_replace_remove_keeps_it_exact(remote: RemoteStore) -> None:
    put(remote, demo_extraction())
    put(remote, talks_one("talks-one"))
    put(remote, talks_two("talks-two"))
    assert_exact(remote)
    put(remote, renamed_putin("demo"))
    registry = assert_exact(remote)
    assert not [s for s in registry.subjects() if str(s).endswith("/tara-stone")]
    remove(remote, "talks-one")
    assert_exact(remote)
    remove(remote, "demo")
    remove(remote, "talks-two")
    assert not remote.query(f"ASK {{ GRAPH <{IRIS.registry_graph()}> {{ ?s ?p ?o }} }}")


def test_registry_remote_repaired_at_start(remote: RemoteStore) -> None:
    put(remote, talks_one("talks-one"))
    _bypass(remote)
    assert registry_problems(remote, IRIS)
    ensure_registry(remote, IRIS)
    assert_exact(remote)
