"""`kg export --format neo4j` and the property-graph exports on the bundled articles (real
pipeline): one node per actor, no gazetteer entry unless asked for, files that pass the
`neo4j-admin database import` header check, and the command of import.sh naming them."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.utils.neo4j_import import check_import

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "data" / "articles"


def kg(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE_PATH": str(store)}
    for name in ("KG_STORE_URL", "KG_BASE_IRI"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("neo4j") / "store"
    result = kg(path, "build", str(ARTICLES), "--workers", "1")
    assert result.returncode == 0, result.stderr
    return path


def _import_sh_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The node and relationship files import.sh passes to neo4j-admin."""
    script = (folder / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full neo4j" in script
    nodes = [folder / name for name in re.findall(r"--nodes=\./(\S+)", script)]
    rels = [folder / name for name in re.findall(r"--relationships=\./(\S+)", script)]
    return nodes, rels


def test_cli_neo4j_export_of_the_articles_imports(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "neo4j"
    result = kg(store, "export", "--format", "neo4j", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "neo4j-admin database import full" in result.stderr
    nodes, rels = _import_sh_files(out)
    written = {p.name for p in out.iterdir()} - {"import.sh"}
    assert {p.name for p in nodes + rels} == written
    loaded = check_import(nodes, rels)
    actors = {k: v for k, v in loaded.nodes.items() if "Actor" in loaded.labels[k]}
    keys = Counter(str(props["key"]) for props in actors.values())
    names = Counter(str(props["name"]) for props in actors.values())
    assert max(keys.values()) == 1, keys.most_common(3)
    assert max(names.values()) == 1, names.most_common(3)
    assert not [iri for _, iri in actors if iri.startswith("https://w3id.org/newskg/actor/")]
    ends = {r[0] for r in loaded.relationships} | {r[2] for r in loaded.relationships}
    assert all(iri in ends for _, iri in actors)  # every actor is in the articles' graph
    assert "vladimir-putin" in keys
    types = {r[1] for r in loaded.relationships}
    assert {"HOLDS_POSITION", "MENTIONS", "HAS_PARTICIPANT", "REPORTS"} <= types

    full = tmp_path / "full"
    result = kg(store, "export", "-f", "neo4j", "-o", str(full), "--with-gazetteer")
    assert result.returncode == 0, result.stderr
    with_gazetteer = check_import(*_import_sh_files(full))
    more = [k for k in with_gazetteer.nodes if "Actor" in with_gazetteer.labels[k]]
    assert len(more) > len(actors)
    assert len(with_gazetteer.relationships) == len(loaded.relationships)


def test_cli_gephi_csv_has_one_node_per_actor(store: Path, tmp_path: Path) -> None:
    result = kg(store, "export", "--format", "csv", "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "nodes.csv").read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["type"] == "Actor"]
    labels = Counter(r["Label"] for r in rows)
    assert rows
    assert max(labels.values()) == 1, labels.most_common(3)
    assert all(r["Id"].startswith("http://127.0.0.1:8000/id/actor/") for r in rows)
