"""What a citation calls an article: its title, its detected headline, or its first words.

An untitled article must never be cited by a bare id like "001_5352769525018259"; the display
title is computed once, when the article is mapped (`kg:displayTitle`), so every reader (REST,
the web page, SPARQL) shows the same words.
"""

from __future__ import annotations

from kg.records import Article

__all__ = ["MAX_HEADLINE_CHARS", "display_title", "first_line_headline"]

MAX_HEADLINE_CHARS = 200
HEADLINE_STOPS = frozenset('.!?"\u201d\u2019:;,')  # a line ending so is a sentence
FIRST_WORDS = 12


def first_line_headline(text: str) -> tuple[int, int] | None:
    """The span of a first line that reads as a headline: short, no closing punctuation, and
    either a blank line after it or written in title case ("Russia Expects US to Provide a
    Plan"); None otherwise."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    if end < 0:
        return None
    line = text[start:end].rstrip()
    if not line or len(line) > MAX_HEADLINE_CHARS or line[-1] in HEADLINE_STOPS:
        return None
    blank_after = text[end:].startswith(("\n\n", "\n\r\n", "\n \n"))
    if not blank_after and not _title_case(line):
        return None
    return start, start + len(line)


def _title_case(line: str) -> bool:
    """Most words of four letters or more start with a capital, as in a headline."""
    long_words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    capitals = sum(w[0].isupper() for w in long_words)
    return len(long_words) >= 3 and capitals >= 0.8 * len(long_words)


def display_title(article: Article) -> str:
    """The article's title, else its detected headline, else its first words and an ellipsis.

    >>> display_title(Article("a", "Putin talks\\n\\nMoscow said.", "h"))
    'Putin talks'
    >>> display_title(Article("b", "Moscow said no to talks on Friday.", "h"))
    'Moscow said no to talks on Friday.'
    """
    if article.title and article.title.strip():
        return " ".join(article.title.split())
    headline = first_line_headline(article.text)
    if headline is not None:
        return " ".join(article.text[headline[0] : headline[1]].split())
    words = article.text.split()
    if not words:
        return article.doc_id
    head = " ".join(words[:FIRST_WORDS])
    return head + "\u2026" if len(words) > FIRST_WORDS else head
