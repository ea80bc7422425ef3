"""Choosing an export format: the `format` parameter, then Accept (pure functions)."""

from __future__ import annotations

import pytest

from api.routers.graph import choose_format
from kg.errors import NotAcceptableError
from kg.exports import ExportFormat


@pytest.mark.parametrize(
    ("accept", "format_name", "one_graph", "expected"),
    [
        (None, None, False, ExportFormat.TRIG),
        (None, None, True, ExportFormat.TURTLE),
        ("*/*", None, False, ExportFormat.TRIG),
        ("text/html,*/*;q=0.8", None, True, ExportFormat.TURTLE),
        ("application/n-quads;q=0.5, application/ld+json", None, False, ExportFormat.JSONLD),
        ("application/graphml+xml", None, False, ExportFormat.GRAPHML),
        ("text/csv", "csv-edges", False, ExportFormat.CSV_EDGES),
        ("image/png", "NTriples", False, ExportFormat.NTRIPLES),
    ],
)
def test_exports_choose_format(
    accept: str | None, format_name: str | None, one_graph: bool, expected: ExportFormat
) -> None:
    assert choose_format(accept, format_name, one_graph) is expected


@pytest.mark.parametrize(("accept", "format_name"), [("text/csv", None), (None, "docx")])
def test_exports_choose_format_refuses(accept: str | None, format_name: str | None) -> None:
    with pytest.raises(NotAcceptableError):
        choose_format(accept, format_name, False)


def test_exports_format_media_types() -> None:
    assert ExportFormat.from_media_type("application/trig; charset=utf-8") is ExportFormat.TRIG
    assert ExportFormat.from_media_type("text/csv") is None
    assert ExportFormat.CSV_NODES.media_type.startswith("text/csv")
    assert ExportFormat.GRAPHML.file_extension == "graphml"
