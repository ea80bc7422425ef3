"""Data IRIs and the serving address: `kg serve` on another port than the one in KG_BASE_IRI
answers for the store's IRIs by path, says so at startup, and the README's SPARQL example gives
rows there once its port is edited; a changed KG_BASE_IRI is refused, not silently applied."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.build import Builder
from kg.config import Settings
from kg.store import OxigraphStore
from tests.e2e.test_server import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BASE = "http://127.0.0.1:8000/"
PUTIN = f"{DEFAULT_BASE}id/actor/vladimir-putin"


def _env(store: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "KG_STORE_PATH": str(store), **extra}
    for name in ("KG_STORE_URL", "KG_BASE_IRI", "KG_HOST", "KG_PORT"):
        if name not in extra:
            env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("port") / "store"
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(REPO / "data" / "articles"), "--workers", "1"],
        env=_env(path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def served(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`kg serve` with KG_PORT set to a free port (not 8000); yields its URL and stderr so far."""
    port = free_port()
    log = tmp_path_factory.mktemp("log") / "serve.err"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve"],
            env=_env(store, KG_PORT=str(port), KG_QUERY_WORKERS="0"),
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "kg serve did not start"
            time.sleep(0.2)
        yield url, log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_iris_port_startup_note_names_the_base_and_the_address(
    served: tuple[str, str],
) -> None:
    url, stderr = served
    note = next(line for line in stderr.splitlines() if line.startswith("kg: note:"))
    assert DEFAULT_BASE in note
    assert f"{url}/id/actor/vladimir-putin" in note


def test_iris_port_iris_dereference_by_path(served: tuple[str, str]) -> None:
    url, _ = served
    answer = httpx.get(f"{url}/id/actor/vladimir-putin", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200, answer.text
    assert f"<{PUTIN}>" in answer.text
    positions = httpx.get(f"{url}/actors/vladimir-putin/positions").json()["items"]
    iri = positions[0]["iri"]
    assert iri.startswith(DEFAULT_BASE)  # the store's IRIs, whatever the port
    local = url + "/" + iri.removeprefix(DEFAULT_BASE)
    description = httpx.get(local, headers={"Accept": "application/n-triples"})
    assert description.status_code == 200, description.text
    assert f"<{iri}> <https://w3id.org/newskg/ns#holder> <{PUTIN}>" in description.text
    redirect = httpx.get(f"{url}/id/actor/vladimir-putin", headers={"Accept": "text/html"})
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/actors/vladimir-putin"


def _readme_sparql_example() -> tuple[str, str]:
    """The README's SPARQL SELECT example (question 2 of the tour): its URL and its query."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"\$ curl -s (\S+/sparql) -H 'Accept: text/csv' --data-urlencode 'query=\n(.*?)'\n",
        readme,
        re.DOTALL,
    )
    assert match is not None, "the README's SPARQL SELECT example is not where it was"
    return match.group(1), match.group(2)


def test_iris_port_readme_sparql_example_gives_rows_on_another_port(
    served: tuple[str, str],
) -> None:
    """A reader serving on another port edits the address everywhere in the example."""
    url, _ = served
    endpoint, query = _readme_sparql_example()
    edited_endpoint = endpoint.replace("http://127.0.0.1:8000", url)
    edited_query = query.replace("127.0.0.1:8000", url.removeprefix("http://"))
    assert edited_endpoint == f"{url}/sparql"
    answer = httpx.post(
        edited_endpoint, data={"query": edited_query}, headers={"Accept": "text/csv"}
    )
    assert answer.status_code == 200, answer.text
    rows = answer.text.strip().splitlines()
    assert rows[0].startswith("topic,direction,document")
    assert len(rows) > 1


def test_iris_port_another_base_iri_is_refused(tmp_path: Path) -> None:
    """A store built under the default base, served with another KG_BASE_IRI: one line, exit 2."""
    store = OxigraphStore(tmp_path / "store")
    Builder(Settings(base_iri=DEFAULT_BASE), store).load_vocabularies()
    store.close()
    for command in (["serve", "--port", str(free_port())], ["validate"]):
        result = subprocess.run(
            [sys.executable, "-m", "kg", *command],
            env=_env(tmp_path / "store", KG_BASE_IRI="https://kg.example/"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert f"set KG_BASE_IRI={DEFAULT_BASE}" in result.stderr
