"""The development corpus: real articles whose texts are never committed, only their gold.

`data/dev/index/*.json` lists each article (title, outlet, date, URL, genre, the search that
finds it, the slice of that page kept, its SHA-256 and length, and its split: `dev` for
development, `heldout` kept aside to measure generalisation at the end). `data/dev/gold/*.json`
holds the gold as character spans (`../shared/eval/README.md`). The texts live in the
git-ignored `data/dev/texts/` and are rebuilt in each session (data/dev/README.md says how).

    python -m kg.devcorpus check                  which texts are present, missing or altered
    python -m kg.devcorpus eval [--split dev]     build and score the present texts of a split

`make eval-dev` runs `eval` on the dev split; `make eval-dev EVAL_ARGS="--split heldout"`
scores the kept-aside third.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import evaluation

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "data" / "dev"
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One article of the index."""

    file: str
    split: str
    sha256: str
    chars: int
    meta: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TextState:
    entry: Entry
    status: str
    """`ok`, `missing` or `altered` (present, but not the text the gold was made on)."""


def read_index(dev: Path = DEV) -> list[Entry]:
    """Every article of `dev/index/*.json`, sorted by file name."""
    entries = []
    for path in sorted((dev / "index").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            entries.append(
                Entry(
                    file=item["file"],
                    split=item["split"],
                    sha256=item["text_sha256"],
                    chars=item["text_chars"],
                    meta={
                        "title": item.get("title"),
                        "outlet": item.get("outlet"),
                        "author": item.get("author"),
                        "url": item.get("url"),
                        # the sidecar takes a full ISO date; a month or a year stays unknown
                        "published": item["published"]
                        if _FULL_DATE.match(item.get("published") or "")
                        else None,
                    },
                )
            )
    return sorted(entries, key=lambda entry: entry.file)


def text_state(entry: Entry, texts: Path) -> TextState:
    """Whether the entry's text is present in `texts` and is exactly the indexed one."""
    path = texts / entry.file
    if not path.is_file():
        return TextState(entry, "missing")
    text = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return TextState(
        entry, "ok" if digest == entry.sha256 and len(text) == entry.chars else "altered"
    )


def read_gold(dev: Path = DEV) -> dict[str, Any]:
    """The span gold of every slice, keyed by file name."""
    gold: dict[str, Any] = {}
    for path in sorted((dev / "gold").glob("*.json")):
        gold.update(json.loads(path.read_text(encoding="utf-8")))
    return gold


def check(dev: Path, texts: Path) -> list[TextState]:
    """Print one line per article and a summary; return the states."""
    states = [text_state(entry, texts) for entry in read_index(dev)]
    for state in states:
        print(f"{state.status:8} {state.entry.split:8} {state.entry.file}")  # noqa: T201
    counts = {
        status: sum(s.status == status for s in states) for status in ("ok", "missing", "altered")
    }
    print(", ".join(f"{n} {status}" for status, n in counts.items()))  # noqa: T201
    return states


def evaluate(dev: Path, texts: Path, split: str, extra: list[str]) -> int:
    """Build the split's present texts into a throwaway store and score them (`make eval`)."""
    states = [s for s in check(dev, texts) if split in ("all", s.entry.split)]
    usable = [s.entry for s in states if s.status == "ok"]
    left_out = [s for s in states if s.status != "ok"]
    if left_out:
        print(  # noqa: T201
            f"eval-dev: {len(left_out)} {split} texts left out (missing or altered; rebuild them"
            " as data/dev/README.md says): " + ", ".join(s.entry.file for s in left_out),
            file=sys.stderr,
        )
    if not usable:
        print(f"eval-dev: no {split} text of the corpus is present in {texts}", file=sys.stderr)  # noqa: T201
        return 2
    gold = read_gold(dev)
    with tempfile.TemporaryDirectory(prefix="newskg-dev-") as tmp:
        articles = Path(tmp) / "articles"
        articles.mkdir()
        for entry in usable:
            (articles / entry.file).write_bytes((texts / entry.file).read_bytes())
            (articles / f"{entry.file}.meta.json").write_text(
                json.dumps(entry.meta), encoding="utf-8"
            )
        gold_path = Path(tmp) / "gold.json"
        gold_path.write_text(json.dumps({e.file: gold[e.file] for e in usable}), encoding="utf-8")
        print(f"eval-dev: scoring {len(usable)} {split} articles", file=sys.stderr)  # noqa: T201
        return evaluation.main(["--articles", str(articles), "--gold", str(gold_path), *extra])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=["check", "eval"])
    parser.add_argument("--dev", type=Path, default=DEV, help="the corpus folder")
    parser.add_argument("--texts", type=Path, help="the rebuilt texts (default: DEV/texts)")
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss and extra")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    texts = args.texts or args.dev / "texts"
    if args.command == "check":
        states = check(args.dev, texts)
        return 0 if all(s.status == "ok" for s in states) else 1
    extra = (["-v"] if args.verbose else []) + (["--json", str(args.json)] if args.json else [])
    return evaluate(args.dev, texts, args.split, extra)


if __name__ == "__main__":
    sys.exit(main())
