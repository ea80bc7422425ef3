"""The only place IRIs are minted.

Data IRIs live under the configured base IRI (`KG_BASE_IRI`) so that the server can dereference
them; vocabulary IRIs live under the fixed ontology namespaces of `kg.namespaces`. Every data IRI
is a pure function of its inputs, so the same article gives the same IRIs in every build.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from rdflib import URIRef

from kg.errors import InputError

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_DOC_ID = re.compile(r"^(?!\.+$)[A-Za-z0-9_.-]+$")
#: Ids whose graph IRI is one of the store's own graphs (`Iris.ontology_graph`,
#: `Iris.registry_graph`, `Iris.gazetteer_graph`): an article under such an id would replace or
#: remove them.
RESERVED_DOC_IDS = frozenset({"ontology", "actors", "gazetteer"})


def slugify(name: str) -> str:
    """A lower-case ASCII slug: 'Volodymyr Zelenskyy' -> 'volodymyr-zelenskyy'.

    >>> slugify("Kaja Kallas")
    'kaja-kallas'
    >>> slugify("Dmitry Peskov's")
    'dmitry-peskov-s'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_name.lower()).strip("-")
    if slug:
        return slug[:80]
    # Names with no ASCII letters (Cyrillic, CJK) still get a stable key.
    return "x" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def short_hash(*parts: object) -> str:
    """A 12-hex digest of the parts, for IRIs of statements that have no natural key."""
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:12]


def check_doc_id(doc_id: str) -> str:
    """Return a document id unchanged if it can be part of an IRI (as every minted id can).

    Raises:
        InputError: the id has characters no document id has (spaces, slashes, quotes…), is
            only dots, or names one of the store's own graphs (`ontology`, `actors`,
            `gazetteer`).

    >>> check_doc_id("000_bc7c407ef40413f8")
    '000_bc7c407ef40413f8'
    """
    if doc_id in RESERVED_DOC_IDS:
        raise InputError(
            f"{doc_id!r} cannot be a document id: it names the store's own {doc_id} graph;"
            " rename the file or give another id"
        )
    if not _DOC_ID.match(doc_id):
        raise InputError(
            f"{doc_id!r} is not a document id: ids are made of letters, digits, '_', '.' and '-'"
            " (not dots alone) "
            "(list them with `kg stats` or GET /documents)"
        )
    return doc_id


def minted_bases(graph_iris: Iterable[str]) -> list[str]:
    """The base IRIs a store's data was minted under, read from the IRIs of its ontology graphs
    (`{base}graph/ontology`, written by every build): a store remembers its base this way.

    >>> minted_bases(["http://127.0.0.1:8000/graph/ontology", "http://127.0.0.1:8000/graph/a"])
    ['http://127.0.0.1:8000/']
    """
    suffix = "graph/ontology"
    return sorted(iri.removesuffix(suffix) for iri in graph_iris if iri.endswith("/" + suffix))


def serving_note(base_iri: str, host: str, port: int) -> str | None:
    """A warning when data IRIs do not name the address the server answers at, else None.

    IRIs are names that stay the same whatever the port (a store keeps its IRIs); the server
    answers for its IRIs by path, so `{base}id/actor/x` is at `http://host:port/id/actor/x`.

    >>> serving_note("http://127.0.0.1:8000/", "127.0.0.1", 8000) is None
    True
    >>> serving_note("http://127.0.0.1:8000/", "127.0.0.1", 8765)[:45]
    'data IRIs are under http://127.0.0.1:8000/ (K'
    """
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/"
    parts = urlsplit(base_iri)
    default_port = 443 if parts.scheme == "https" else 80
    if (parts.hostname, parts.port or default_port) == (host, port) and parts.path == "/":
        return None
    example = f"{address}id/actor/vladimir-putin"
    return (
        f"data IRIs are under {base_iri} (KG_BASE_IRI), not this server's {address}: they are"
        f" answered here by path ({example} for {base_iri}id/actor/vladimir-putin); set"
        " KG_BASE_IRI to the address clients use only for a new store, as a store keeps the"
        " IRIs it was built with"
    )


class Iris:
    """Mints data IRIs under one base IRI."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri if base_iri.endswith("/") else base_iri + "/"

    def document(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}id/document/{check_doc_id(doc_id)}")

    def graph(self, doc_id: str) -> URIRef:
        """The named graph that holds everything extracted from one article."""
        return URIRef(f"{self.base}graph/{check_doc_id(doc_id)}")

    def ontology_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/ontology")

    def registry_graph(self) -> URIRef:
        """The named graph that describes, once, every actor the stored articles name
        (`kg.registry`): each article write maintains it in the same transaction."""
        return URIRef(f"{self.base}graph/actors")

    def gazetteer_graph(self) -> URIRef:
        """The named graph of the gazetteer (`ontology/actors.ttl`): known actors under their
        own IRIs (`https://w3id.org/newskg/actor/{key}`), aliases, verified Wikidata links."""
        return URIRef(f"{self.base}graph/gazetteer")

    def actor(self, key: str) -> URIRef:
        return URIRef(f"{self.base}id/actor/{key}")

    def activity(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}id/document/{doc_id}/activity")

    def software(self) -> URIRef:
        return URIRef(f"{self.base}id/software/newskg-extractor")

    def mention(self, doc_id: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}id/document/{doc_id}/mention/{start}-{end}")

    def naming(self, doc_id: str, actor_key: str) -> URIRef:
        """How the article `doc_id` names the actor `actor_key` (a `kg:Naming`)."""
        return URIRef(f"{self.base}id/document/{doc_id}/naming/{actor_key}")

    def role(self, doc_id: str, actor_key: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}id/document/{doc_id}/role/{actor_key}/{start}-{end}")

    def merge(self, doc_id: str, actor_key: str, rule: str) -> URIRef:
        return URIRef(f"{self.base}id/document/{doc_id}/merge/{actor_key}/{slugify(rule)}")

    def event(self, doc_id: str, digest: str) -> URIRef:
        return URIRef(f"{self.base}id/document/{doc_id}/event/{digest}")

    def participation(self, event: URIRef, actor_key: str) -> URIRef:
        return URIRef(f"{event}/participant/{actor_key}")

    def position(self, doc_id: str, digest: str) -> URIRef:
        return URIRef(f"{self.base}id/document/{doc_id}/position/{digest}")

    def quote(self, doc_id: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}id/document/{doc_id}/quote/{start}-{end}")

    @staticmethod
    def evidence(node: URIRef) -> URIRef:
        return URIRef(f"{node}/evidence")

    @staticmethod
    def sentence(node: URIRef) -> URIRef:
        """The span of the sentence a statement's evidence stands in (`kg:sentence`)."""
        return URIRef(f"{node}/sentence")

    @staticmethod
    def holder_mention(node: URIRef) -> URIRef:
        """The span naming a statement's holder, speaker or agent (`kg:holderMention`)."""
        return URIRef(f"{node}/holder-mention")

    @staticmethod
    def date_evidence(node: URIRef) -> URIRef:
        """The span of the words that date a statement (`kg:dateEvidence`)."""
        return URIRef(f"{node}/date")

    @staticmethod
    def date_published_evidence(doc: URIRef) -> URIRef:
        """The span a document's published date was read from (`kg:datePublishedEvidence`)."""
        return URIRef(f"{doc}/date-published")

    @staticmethod
    def position_selector(node: URIRef) -> URIRef:
        return URIRef(f"{node}/evidence/position")

    @staticmethod
    def quote_selector(node: URIRef) -> URIRef:
        return URIRef(f"{node}/evidence/quote")

    @staticmethod
    def selectors(resource: URIRef) -> tuple[URIRef, URIRef]:
        """The text position and text quote selectors of a span resource (a sentence or a
        holder mention); `position_selector(node), quote_selector(node)` for evidence."""
        return URIRef(f"{resource}/position"), URIRef(f"{resource}/quote")
