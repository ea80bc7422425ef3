"""The checker of `neo4j-admin database import` files (tests/utils/neo4j_import.py) refuses what
the import tool's header grammar refuses, so a passing export means something."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.neo4j_import import Neo4jImportError, check_import, parse_header


@pytest.mark.parametrize(
    ("header", "relationships"),
    [
        (["iri:ID", "name:strng"], False),  # unknown type
        (["name:string"], False),  # no :ID
        (["a:ID", "b:ID"], False),  # two ids
        ([":ID", ":START_ID"], False),  # a relationship field in a node file
        ([":START_ID", ":TYPE"], True),  # no :END_ID
        ([":START_ID", ":END_ID", ":LABEL"], True),  # a label on a relationship
        ([":ID", ":float"], False),  # a property without a name
        ([":ID", "x:LABEL[]"], False),  # labels are not an array type
        ([":ID", "a:int", "a:string"], False),  # a property twice
    ],
)
def test_neo4j_import_check_refuses_bad_headers(header: list[str], relationships: bool) -> None:
    with pytest.raises(Neo4jImportError):
        parse_header(header, relationships=relationships)


def test_neo4j_import_check_reads_the_manual_example(tmp_path: Path) -> None:
    (tmp_path / "movies.csv").write_text(
        'movieId:ID,title,year:int,:LABEL\ntt0133093,"The Matrix",1999,Movie\n'
        'tt0234215,"The Matrix Reloaded",2003,Movie;Sequel\n'
    )
    (tmp_path / "actors.csv").write_text(
        'personId:ID,name,aka:string[],:LABEL\nkeanu,"Keanu Reeves",Neo;The One,Actor\n'
    )
    (tmp_path / "roles.csv").write_text(
        ':START_ID,role,:END_ID,:TYPE\nkeanu,"Neo",tt0133093,ACTED_IN\n'
    )
    loaded = check_import(
        [tmp_path / "movies.csv", tmp_path / "actors.csv"], [tmp_path / "roles.csv"]
    )
    assert loaded.nodes[("", "tt0234215")]["year"] == 2003
    assert loaded.labels[("", "tt0234215")] == {"Movie", "Sequel"}
    assert loaded.nodes[("", "keanu")]["aka"] == ["Neo", "The One"]
    assert loaded.relationships == [("keanu", "ACTED_IN", "tt0133093", {"role": "Neo"})]


@pytest.mark.parametrize(
    ("nodes", "rels"),
    [
        (":ID,:LABEL\na,A\na,A\n", ":START_ID,:END_ID,:TYPE\n"),  # duplicate id
        (":ID,:LABEL\na,A\n", ":START_ID,:END_ID,:TYPE\na,b,R\n"),  # dangling end
        (":ID,n:int,:LABEL\na,1.5,A\n", ":START_ID,:END_ID,:TYPE\n"),  # not an int
        (":ID,:LABEL\na,A\n", ":START_ID,:END_ID,:TYPE\na,a\n"),  # short row
        (':ID,x,:LABEL\na,"two\nlines",A\n', ":START_ID,:END_ID,:TYPE\n"),  # a line break
        (":ID,d:date,:LABEL\na,March 2025,A\n", ":START_ID,:END_ID,:TYPE\n"),  # not a date
    ],
)
def test_neo4j_import_check_refuses_bad_data(tmp_path: Path, nodes: str, rels: str) -> None:
    (tmp_path / "n.csv").write_text(nodes)
    (tmp_path / "r.csv").write_text(rels)
    with pytest.raises(Neo4jImportError):
        check_import([tmp_path / "n.csv"], [tmp_path / "r.csv"])
