"""A checker of `neo4j-admin database import` CSV files, written from the header format of the
Neo4j Operations Manual ("Import" > "CSV header format"), not from kg/exports.py.

The manual's grammar, as checked here:
- each header field is `<name>:<field_type>`, or a bare `<name>` (a string property);
- node files have one `:ID` (an optional property name before it, an optional id space in
  parentheses after it: `iri:ID(Actor)`), any number of `:LABEL` fields, and properties;
- relationship files have one `:START_ID` and one `:END_ID` (with optional id spaces) and a
  `:TYPE` field (or a type given on the command line), and properties;
- `:IGNORE` skips a field; property types are int, long, float, double, boolean, byte, short,
  char, string, point, date, localtime, time, localdatetime, datetime, duration, each also as an
  array (`string[]`), whose values are split at the array delimiter (`;` by default).

Then the data: every row has the header's width; typed values parse; node ids are unique in
their id space across all node files; every relationship's start and end id is a node's; labels
and types are non-empty. Fields with a line break are refused (they need --multiline-fields).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

SPECIAL = {"ID", "START_ID", "END_ID", "TYPE", "LABEL", "IGNORE"}
SCALARS = {
    "int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point",
    "date", "localtime", "time", "localdatetime", "datetime", "duration",
}  # fmt: skip
_FIELD = re.compile(
    r"^(?P<name>[^:]*)(?::(?P<type>[A-Za-z_]+)(?P<array>\[\])?(?:\((?P<space>[^()]*)\))?)?$"
)
_INT_RANGES = {
    "byte": 2**7, "short": 2**15, "int": 2**31, "long": 2**63,
}  # fmt: skip
_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")


class Neo4jImportError(ValueError):
    """A file the import tool would refuse or misread."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str  # ID, START_ID, END_ID, TYPE, LABEL, IGNORE, or a property type
    array: bool = False
    space: str = ""


@dataclass
class Loaded:
    """What the files would load: nodes by (id space, id), relationships as tuples."""

    nodes: dict[tuple[str, str], dict[str, object]] = field(default_factory=dict)
    labels: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    relationships: list[tuple[str, str, str, dict[str, object]]] = field(default_factory=list)


def parse_header(row: list[str], *, relationships: bool) -> list[Field]:
    """The fields of a header row.

    Raises:
        Neo4jImportError: a field the grammar has no place for, or a missing or repeated id field.
    """
    fields: list[Field] = []
    for text in row:
        match = _FIELD.match(text)
        if match is None:
            raise Neo4jImportError(f"header field {text!r} is not <name>:<type>")
        name, kind = match["name"], match["type"]
        if kind is None:
            if not name:
                raise Neo4jImportError("an empty header field")
            fields.append(Field(name, "string"))
            continue
        if kind in SPECIAL:
            if match["array"]:
                raise Neo4jImportError(f"{text!r}: {kind} is not an array type")
            if match["space"] is not None and kind not in {"ID", "START_ID", "END_ID"}:
                raise Neo4jImportError(f"{text!r}: only id fields take an id space")
            fields.append(Field(name, kind, space=match["space"] or ""))
            continue
        if kind not in SCALARS:
            raise Neo4jImportError(f"{text!r}: unknown type {kind!r}")
        if not name:
            raise Neo4jImportError(f"{text!r}: a property needs a name")
        if match["space"] is not None:
            raise Neo4jImportError(f"{text!r}: only id fields take an id space")
        fields.append(Field(name, kind, array=bool(match["array"])))
    kinds = [f.kind for f in fields]
    wanted = ("START_ID", "END_ID") if relationships else ("ID",)
    for kind in wanted:
        if kinds.count(kind) != 1:
            raise Neo4jImportError(f"{kinds.count(kind)} :{kind} fields; a file needs exactly one")
    others = {"ID", "LABEL"} if relationships else {"START_ID", "END_ID", "TYPE"}
    if others & set(kinds):
        raise Neo4jImportError(
            f"{sorted(others & set(kinds))} fields in a"
            f" {'relationship' if relationships else 'node'} file"
        )
    names = [f.name for f in fields if f.kind not in SPECIAL]
    if len(names) != len(set(names)):
        raise Neo4jImportError(f"a property named twice in {row}")
    return fields


def _scalar(kind: str) -> Callable[[str], object]:
    def integer(value: str) -> int:
        number = int(value)
        if not -_INT_RANGES[kind] <= number < _INT_RANGES[kind]:
            raise ValueError(f"{value} is out of range for {kind}")
        return number

    def boolean(value: str) -> bool:
        if value.lower() not in {"true", "false"}:
            raise ValueError(f"{value!r} is not a boolean")
        return value.lower() == "true"

    def date(value: str) -> dt.date:
        if not _DATE.match(value):
            raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        parts = [int(p) for p in value.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])

    def char(value: str) -> str:
        if len(value) != 1:
            raise ValueError(f"{value!r} is not one character")
        return value

    if kind in _INT_RANGES:
        return integer
    converters: dict[str, Callable[[str], object]] = {
        "float": float, "double": float, "boolean": boolean, "date": date, "char": char,
    }  # fmt: skip
    return converters.get(kind, str)


def _value(f: Field, text: str, array_delimiter: str) -> object:
    convert = _scalar(f.kind)
    try:
        if f.array:
            return [convert(item) for item in text.split(array_delimiter)]
        return convert(text)
    except ValueError as exc:
        raise Neo4jImportError(f"field {f.name}:{f.kind}: {exc}") from exc


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))  # the tool's defaults: ',' and '"' doubled inside quotes
    if not rows:
        raise Neo4jImportError(f"{path.name}: no header row")
    for number, row in enumerate(rows, start=1):
        if any("\n" in value or "\r" in value for value in row):
            raise Neo4jImportError(f"{path.name} line {number}: a line break in a field")
    return rows[0], rows[1:]


def check_import(
    nodes: Iterable[Path], relationships: Iterable[Path], *, array_delimiter: str = ";"
) -> Loaded:
    """Read the files as `neo4j-admin database import --nodes=… --relationships=…` would.

    Raises:
        Neo4jImportError: the first thing the import would refuse.
    """
    loaded = Loaded()
    for path in nodes:
        header, rows = _rows(path)
        fields = parse_header(header, relationships=False)
        for number, row in enumerate(rows, start=2):
            if len(row) != len(fields):
                raise Neo4jImportError(
                    f"{path.name} line {number}: {len(row)} fields, not {len(fields)}"
                )
            properties: dict[str, object] = {}
            labels: set[str] = set()
            node_id: tuple[str, str] | None = None
            for f, text in zip(fields, row, strict=True):
                if f.kind == "ID":
                    if not text:
                        raise Neo4jImportError(f"{path.name} line {number}: an empty id")
                    node_id = (f.space, text)
                    if f.name:
                        properties[f.name] = text
                elif f.kind == "LABEL":
                    labels.update(label for label in text.split(array_delimiter) if label)
                elif f.kind != "IGNORE" and text != "":
                    properties[f.name] = _value(f, text, array_delimiter)
            assert node_id is not None
            if node_id in loaded.nodes:
                raise Neo4jImportError(
                    f"{path.name} line {number}: duplicate node id {node_id[1]!r}"
                )
            if not labels:
                raise Neo4jImportError(f"{path.name} line {number}: a node without a label")
            loaded.nodes[node_id] = properties
            loaded.labels[node_id] = labels
    for path in relationships:
        header, rows = _rows(path)
        fields = parse_header(header, relationships=True)
        for number, row in enumerate(rows, start=2):
            if len(row) != len(fields):
                raise Neo4jImportError(
                    f"{path.name} line {number}: {len(row)} fields, not {len(fields)}"
                )
            properties = {}
            ends: dict[str, tuple[str, str]] = {}
            rel_type = ""
            for f, text in zip(fields, row, strict=True):
                if f.kind in {"START_ID", "END_ID"}:
                    ends[f.kind] = (f.space, text)
                elif f.kind == "TYPE":
                    rel_type = text
                elif f.kind != "IGNORE" and text != "":
                    properties[f.name] = _value(f, text, array_delimiter)
            for kind, end in ends.items():
                if end not in loaded.nodes:
                    raise Neo4jImportError(
                        f"{path.name} line {number}: {kind} {end[1]!r} is no node's id"
                    )
            if not rel_type:
                raise Neo4jImportError(f"{path.name} line {number}: a relationship without a type")
            loaded.relationships.append(
                (ends["START_ID"][1], rel_type, ends["END_ID"][1], properties)
            )
    return loaded
