"""`kg export` in a subprocess on an on-disk store seeded from the sample TriG (no spaCy): the
property-graph formats, and CSV written as two files."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.exports import EDGE_COLUMNS, NODE_COLUMNS
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE, load_trig

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "store"
    store = OxigraphStore(path)
    load_trig(store)
    store.close()
    return path


def kg_export(store: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "KG_STORE_PATH": str(store), "KG_BASE_IRI": SAMPLE_BASE}
    env.pop("KG_STORE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "kg", "export", *args],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_cli_export_csv_writes_nodes_and_edges(seeded: Path, tmp_path: Path) -> None:
    result = kg_export(seeded, "--format", "csv", "--output", str(tmp_path / "pg"))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "pg"
    nodes = list(csv.DictReader(io.StringIO((folder / "nodes.csv").read_text(encoding="utf-8"))))
    edges = list(csv.DictReader(io.StringIO((folder / "edges.csv").read_text(encoding="utf-8"))))
    assert tuple(nodes[0]) == NODE_COLUMNS
    assert tuple(edges[0]) == EDGE_COLUMNS
    assert {n["type"] for n in nodes} == {"Actor", "Event", "Document", "Topic"}


def test_cli_export_csv_needs_an_output_folder(seeded: Path) -> None:
    result = kg_export(seeded, "--format", "csv")
    assert result.returncode == 2
    assert b"--output DIR" in result.stderr


def test_cli_export_graphml_and_csv_edges_to_stdout(seeded: Path) -> None:
    graphml = kg_export(seeded, "--format", "graphml", "--graph", "alpha")
    assert graphml.returncode == 0, graphml.stderr
    graph = nx.read_graphml(io.BytesIO(graphml.stdout))
    assert graph.number_of_edges() > 5
    edges = kg_export(seeded, "--format", "csv-edges")
    assert edges.returncode == 0, edges.stderr
    rows = list(csv.DictReader(io.StringIO(edges.stdout.decode())))
    assert {r["Label"] for r in rows} >= {"participation", "position", "mention"}


def test_cli_export_trig_keeps_the_graphs(seeded: Path) -> None:
    result = kg_export(seeded, "--format", "trig")
    assert result.returncode == 0, result.stderr
    names = {q.graph_name for q in ox.parse(result.stdout, format=ox.RdfFormat.TRIG)}
    assert ox.NamedNode(f"{SAMPLE_BASE}graph/alpha") in names
