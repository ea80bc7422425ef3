"""The extraction records of every bundled and fixture article, dumped for a byte-for-byte
comparison before and after a change that should not change them (a speed-up of kg.nlp):

    .venv/bin/python bench/records.py > before.txt   # on the old code
    .venv/bin/python bench/records.py > after.txt    # on the new code
    cmp before.txt after.txt

One line per article: its file name, then the `repr` of its `Extraction` (frozen dataclasses,
tuples in extraction order, so the text is deterministic). The last line is a SHA-256 of all the
others, handy to compare runs at a glance.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.articles import read_txt
from kg.nlp.extract import extract
from kg.nlp.pipeline import build_nlp

REPO = Path(__file__).resolve().parent.parent
SOURCES = [REPO / "data" / "articles", REPO / "tests" / "fixtures" / "articles"]


def dump() -> list[str]:
    """One line per article: `name<TAB>repr(extraction)`."""
    nlp = build_nlp()
    lines = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            lines.append(f"{path.name}\t{extract(nlp, read_txt(path))!r}")
    return lines


def main() -> None:
    lines = dump()
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    print("\n".join(lines))
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
