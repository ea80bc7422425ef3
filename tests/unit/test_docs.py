"""The README and docs/ stay honest: links lead somewhere, the README starts with the two set-up
commands and links every reference page, and the configuration page lists every setting.

Links are checked the way GitHub renders them: a relative link resolves against the folder of the
page that holds it, and `#anchor` must be the slug of a heading of the target page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.config import Settings

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [README, *DOCS]

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`]*`")
LINK = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, where links and headings are markdown."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def _links(page: Path) -> list[str]:
    """Every link target of a page, outside code."""
    targets = []
    for line in _prose_lines(page.read_text(encoding="utf-8")):
        targets.extend(LINK.findall(INLINE_CODE.sub("", line)))
    return targets


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup dropped, lower case, punctuation out, spaces to -."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = text.replace("`", "").replace("*", "").lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    """The anchors of a page's headings, numbered as GitHub numbers repeated ones (-1, -2...)."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in _prose_lines(page.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if match is None:
            continue
        slug = _slug(match.group(2))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _broken(page: Path, target: str) -> str | None:
    """Why a relative link of `page` leads nowhere, or None when it resolves."""
    path_part, _, anchor = target.partition("#")
    resolved = (page.parent / path_part).resolve() if path_part else page
    if not resolved.is_relative_to(REPO):
        return f"{target}: outside the repository"
    if not resolved.exists():
        return f"{target}: no such file {resolved.relative_to(REPO)}"
    if anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
        return f"{target}: no heading with anchor #{anchor} in {resolved.relative_to(REPO)}"
    return None


def test_docs_slug_follows_github() -> None:
    """The anchors the link check expects are the ones GitHub makes."""
    assert _slug("7. A hostile remote store") == "7-a-hostile-remote-store"
    assert _slug("The command line: `kg`") == "the-command-line-kg"
    assert _slug("Known gaps and what is not covered") == "known-gaps-and-what-is-not-covered"
    assert _slug("Exports: RDF, GraphML, Gephi CSV, Neo4j") == "exports-rdf-graphml-gephi-csv-neo4j"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO)))
def test_docs_relative_links_resolve(page: Path) -> None:
    """Every relative link (and its #anchor) leads to a file, and a heading, that exist."""
    relative = [target for target in _links(page) if not SCHEME.match(target)]
    broken = [reason for target in relative if (reason := _broken(page, target)) is not None]
    assert broken == [], f"{page.relative_to(REPO)}: broken links:\n" + "\n".join(broken)


def test_docs_link_check_catches_a_broken_link() -> None:
    """The check itself fails on a missing file and on a missing anchor."""
    page = REPO / "docs" / "cli.md"
    assert _broken(page, "configuration.md") is None
    assert _broken(page, "no-such-page.md") is not None
    assert _broken(page, "configuration.md#no-such-heading") is not None
    assert _broken(page, "../../outside.md") is not None


def test_docs_readme_begins_with_the_two_set_up_commands() -> None:
    """Right under the title: one code block holding `make run` and `make test`, nothing else."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    body = [line for line in lines[1:] if line.strip()]
    assert FENCE.match(body[0]), "the README's first block after the title is not a code block"
    block = body[1 : body.index(body[0], 1)]
    commands = [line.split("#", 1)[0].strip() for line in block]
    assert commands == ["make run", "make test"]


def test_docs_readme_links_every_reference_page() -> None:
    """Each page of docs/ is reachable from the README's "where to go next"."""
    linked = {
        (README.parent / target.partition("#")[0]).resolve()
        for target in _links(README)
        if not SCHEME.match(target)
    }
    unlinked = [page.name for page in DOCS if page.resolve() not in linked]
    assert unlinked == []


def test_docs_configuration_lists_every_setting() -> None:
    """docs/configuration.md names every field of Settings as its KG_* variable."""
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [
        f"KG_{name.upper()}" for name in Settings.model_fields if f"`KG_{name.upper()}`" not in text
    ]
    assert missing == []
