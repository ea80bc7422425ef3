"""Shared fixtures (the only fixture file). Engineers append their own sections; don't clobber."""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from kg.config import Settings
from kg.iris import Iris
from kg.records import Extraction
from kg.store import GraphStore, OxigraphStore
from kg.validation import Validator

if TYPE_CHECKING:
    from tests.utils.virtuoso import Virtuoso

# starlette >= 1.0 warns when its TestClient runs on `httpx` rather than `httpx2`; httpx2 is not in
# the environment, and the warning is raised at import time, so silence exactly that one here.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

# ---------------------------------------------------------------------------------------------
# Store and API fixtures (kg/store, api): a fresh in-memory store per test, loaded with
# tests/fixtures/sample.trig, the hand-written dataset in the shape of docs/rdf-model.md.
# ---------------------------------------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_TRIG = FIXTURES / "sample.trig"
SAMPLE_BASE = "http://127.0.0.1:8000/"


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def read_trig(path: Path) -> dict[str, Graph]:
    """The named graphs of a TriG file as rdflib graphs, keyed by graph IRI."""
    graphs: dict[str, Graph] = defaultdict(Graph)
    for quad in ox.parse(path=path, format=ox.RdfFormat.TRIG):
        assert isinstance(quad.graph_name, ox.NamedNode), "fixtures use named graphs only"
        graphs[quad.graph_name.value].add(
            (_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object))
        )
    return dict(graphs)


def load_trig(store: GraphStore, path: Path = SAMPLE_TRIG) -> None:
    """Put every named graph of a TriG file into the store, one `put_graph` per graph."""
    for iri, graph in read_trig(path).items():
        store.put_graph(iri, graph)


@pytest.fixture
def memory_store() -> Iterator[OxigraphStore]:
    """An empty in-memory store."""
    store = OxigraphStore()
    yield store
    store.close()


@pytest.fixture
def sample_store(memory_store: OxigraphStore) -> OxigraphStore:
    """An in-memory store holding tests/fixtures/sample.trig."""
    load_trig(memory_store)
    return memory_store


@pytest.fixture
def api_settings(tmp_path: Path) -> Settings:
    """Settings for the API tests; the store path is never opened when a store is passed in."""
    return Settings(store_path=tmp_path / "store", base_iri=SAMPLE_BASE, max_rows=1000)


@pytest.fixture
def api_client(api_settings: Settings, sample_store: OxigraphStore) -> Iterator[TestClient]:
    """A TestClient (lifespan run) on an app serving the sample store."""
    from api.main import create_app

    app = create_app(api_settings, store=sample_store)
    with TestClient(app) as client:
        yield client


# ---------------------------------------------------------------------------------------------
# Mapping and validation fixtures (kg/mapping.py, kg/validation.py): hand-built records
# (tests/utils/extraction.py), the graph they map to, and a validator whose topic concepts come
# from the test itself, so the tests hold whatever ontology/topics.ttl contains.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def iris() -> Iris:
    """The IRI minter for the default base IRI."""
    from tests.utils.extraction import BASE_IRI

    return Iris(BASE_IRI)


@pytest.fixture
def demo_extraction() -> Extraction:
    """One small article with one record of every kind."""
    from tests.utils.extraction import demo_extraction

    return demo_extraction()


@pytest.fixture
def demo_graph(demo_extraction: Extraction, iris: Iris) -> Graph:
    """The mapped graph of `demo_extraction`."""
    from kg.mapping import to_graph

    return to_graph(demo_extraction, iris)


@pytest.fixture(scope="session")
def shapes_validator() -> Validator:
    """A validator for ontology/shapes.ttl that knows exactly one topic, the demo's."""
    from kg.mapping import ontology_dir
    from kg.namespaces import RDF, SKOS, TOPIC
    from kg.validation import topic_concepts
    from tests.utils.extraction import TOPIC_ID

    topics = Graph()
    topics.add((TOPIC[TOPIC_ID], RDF.type, SKOS.Concept))
    topics.add((TOPIC[TOPIC_ID], SKOS.inScheme, TOPIC.scheme))
    shapes = (ontology_dir() / "shapes.ttl").read_text(encoding="utf-8")
    return Validator(shapes, topic_concepts(topics))


# ---------------------------------------------------------------------------------------------
# NLP fixtures (kg/nlp): hand-built Docs over a blank English vocab for the unit tests, and the
# real pipeline (session-scoped, built once) for the tests marked `slow`.
# ---------------------------------------------------------------------------------------------

ARTICLES = Path(__file__).parent.parent / "data" / "articles"
NLP_FIXTURE_ARTICLES = FIXTURES / "articles"


@pytest.fixture(scope="session")
def blank_nlp():
    """A blank English pipeline: its vocab builds hand-made Docs; no model is loaded."""
    import spacy

    return spacy.blank("en")


@pytest.fixture(scope="session")
def real_nlp():
    """The real pipeline with the kg_ components (slow: loads the spaCy model once)."""
    from kg.nlp.pipeline import build_nlp

    return build_nlp()


# ---------------------------------------------------------------------------------------------
# A real Oxigraph server (`oxigraph serve`, PyPI `oxigraph`, a dev extra) for the remote-store and
# interop tests: started on 127.0.0.1 at a free port over a temporary folder, stopped afterwards.
# ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """A factory: `start(union_default_graph=False)` runs `oxigraph serve`, returns its base URL
    (`…/query`, `…/update`, `…/store`); every server started is stopped at teardown."""
    import shutil
    import subprocess
    import sys
    import time

    import httpx

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.fail("`oxigraph` is not installed: pip install -e '.[dev]'")
    processes: list[subprocess.Popen[bytes]] = []

    def start(union_default_graph: bool = False) -> str:
        port = _free_port()
        location = tmp_path_factory.mktemp("oxigraph")
        command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
        if union_default_graph:
            command.append("--union-default-graph")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/query", params={"query": "ASK {}"}).status_code == 200:
                    return url
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph serve did not start: {command}")
            time.sleep(0.05)

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------------------------
# A real Virtuoso Open Source server (Debian `virtuoso-opensource`, installed by `make virtuoso`)
# for tests/e2e/test_store_virtuoso.py: one per session, on 127.0.0.1 over a temporary folder,
# its process group killed at the end (tests/utils/virtuoso.py). Not installed: the tests skip,
# and fail under CI=true, as the browser tests do.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """The running server, its updating user and its settings for newskg."""
    import os

    from tests.utils.virtuoso import binaries, running_virtuoso

    found = binaries()
    if found is None:
        reason = (
            "virtuoso-t/isql-vt are not installed: `make virtuoso` (Debian virtuoso-opensource)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso"), *found) as server:
        yield server


# ---------------------------------------------------------------------------------------------
# The bundled articles (data/articles) built by `kg build` with the real pipeline, in a
# subprocess, for the tests marked `slow` that compare the reads on real data
# (tests/integration/test_read_index.py, test_registry_counts.py).
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """The bundled articles built by `kg build` (real pipeline), opened in this process; one
    build per test module, since some modules write to it."""
    import os
    import subprocess
    import sys

    path = tmp_path_factory.mktemp("bundled") / "store"
    env = {**os.environ, "KG_STORE_PATH": str(path)}
    for name in ("KG_STORE_URL", "KG_BASE_IRI"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(ARTICLES), "--workers", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    store = OxigraphStore(path)
    yield store
    store.close()
