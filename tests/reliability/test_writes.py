"""Writes: every write route (SPARQL Update at /update and /sparql, POST and DELETE /documents)
is refused without the token (401 + WWW-Authenticate), with a wrong one (403), and entirely
when no token is configured (403); the token is compared by `secrets.compare_digest`; nothing
refused changes the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.config import Settings
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE
from tests.reliability.support import FIXTURE_ARTICLES, TOKEN, assert_problem, fingerprint

ENGLISH = (FIXTURE_ARTICLES / "fx_001_kremlin_call.txt").read_text(encoding="utf-8")
UPDATE = "application/sparql-update"
DROP_BODY = {"content": "DROP ALL", "headers": {"content-type": UPDATE}}
TEXT_BODY = {"content": ENGLISH, "headers": {"content-type": "text/plain"}}
WRITES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "update-body": ("POST", "/update", DROP_BODY),
    "update-form": ("POST", "/update", {"data": {"update": "DROP ALL"}}),
    "sparql-update": ("POST", "/sparql", DROP_BODY),
    "post-json": ("POST", "/documents", {"json": {"text": ENGLISH}}),
    "post-text": ("POST", "/documents", TEXT_BODY),
    "delete": ("DELETE", "/documents/alpha", {}),
}
WRONG = {
    "wrong": "Bearer nope",
    "prefix": f"Bearer {TOKEN[:-1]}",
    "longer": f"Bearer {TOKEN}x",
    "case": f"Bearer {TOKEN.upper()}",
}


def _no_nlp() -> Any:
    raise AssertionError("a refused write must never reach the extraction pipeline")


def _client(store: OxigraphStore, tmp_path: Path, token: str | None) -> TestClient:
    from api.main import create_app

    settings = Settings(store_path=tmp_path / "unused", base_iri=SAMPLE_BASE, write_token=token)
    return TestClient(create_app(settings, store=store, nlp_factory=_no_nlp))


@pytest.fixture
def guarded(sample_store: OxigraphStore, tmp_path: Path) -> Iterator[TestClient]:
    with _client(sample_store, tmp_path, TOKEN) as client:
        yield client


def _send(client: TestClient, write: str, authorization: str | None) -> Any:
    method, path, kwargs = WRITES[write]
    headers = dict(kwargs.get("headers", {}))
    if authorization is not None:
        headers["authorization"] = authorization
    return client.request(method, path, **{**kwargs, "headers": headers})


@pytest.mark.parametrize("authorization", [None, "Basic dXNlcjpwYXNz", "Bearer", TOKEN])
@pytest.mark.parametrize("write", list(WRITES))
def test_writes_without_a_bearer_token_are_401(
    guarded: TestClient, sample_store: OxigraphStore, write: str, authorization: str | None
) -> None:
    before = fingerprint(sample_store)
    response = _send(guarded, write, authorization)
    assert_problem(response, 401, "Authorization: Bearer")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert fingerprint(sample_store) == before


@pytest.mark.parametrize("authorization", list(WRONG.values()), ids=list(WRONG))
@pytest.mark.parametrize("write", list(WRITES))
def test_writes_with_a_wrong_token_are_403(
    guarded: TestClient, sample_store: OxigraphStore, write: str, authorization: str
) -> None:
    before = fingerprint(sample_store)
    assert_problem(_send(guarded, write, authorization), 403, "not this server's write token")
    assert fingerprint(sample_store) == before


@pytest.mark.parametrize("write", list(WRITES))
def test_writes_are_disabled_without_a_configured_token(
    sample_store: OxigraphStore, tmp_path: Path, write: str
) -> None:
    before = fingerprint(sample_store)
    with _client(sample_store, tmp_path, None) as client:
        for authorization in (None, f"Bearer {TOKEN}", "Bearer "):
            assert_problem(_send(client, write, authorization), 403, "KG_WRITE_TOKEN")
    assert fingerprint(sample_store) == before


def test_writes_the_right_token_writes(guarded: TestClient, sample_store: OxigraphStore) -> None:
    """The refusals above come from the token check: the right token gets through."""
    assert _send(guarded, "delete", f"Bearer {TOKEN}").status_code == 204
    assert not sample_store.has_graph(f"{SAMPLE_BASE}graph/alpha")
    response = _send(guarded, "update-body", f"Bearer {TOKEN}")
    assert response.status_code == 204
    assert sample_store.graph_iris() == []


@pytest.mark.parametrize("write", list(WRITES))
def test_writes_token_is_compared_with_compare_digest(
    guarded: TestClient, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    """The decision is `secrets.compare_digest`'s (constant time), on the UTF-8 bytes: record
    its calls, then make it say yes to a wrong token and see the write go through the check."""
    import secrets

    calls: list[tuple[Any, Any]] = []
    real = secrets.compare_digest

    def recording(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(secrets, "compare_digest", recording)
    assert _send(guarded, write, "Bearer nope").status_code == 403
    assert calls == [(b"nope", TOKEN.encode())]

    monkeypatch.setattr(secrets, "compare_digest", lambda *_: True)
    method, path, _ = WRITES[write]
    if method == "DELETE":  # past the check, the delete runs: the token was taken as right
        assert _send(guarded, write, "Bearer nope").status_code == 204
    elif path == "/documents":  # past the check; a refused body stops it before any write
        refused = guarded.post(
            path,
            content=b"\x00",
            headers={"authorization": "Bearer nope", "content-type": "text/plain"},
        )
        assert_problem(refused, 422, "binary")
    else:  # past the check; a malformed update stops it before any write
        refused = guarded.post(
            path,
            content="DROP ALL ; INSERT DATA {",
            headers={"authorization": "Bearer nope", "content-type": UPDATE},
        )
        assert_problem(refused, 400)
