"""Lexicons and the actor gazetteer, loaded once from the Turtle files in `ontology/`.

Everything the extractor knows about words (stance cues, event triggers, topics, hedges, reporting
verbs) and about known actors is data: `ontology/lexicon.ttl`, `ontology/triggers.ttl` (event
triggers), `ontology/topics.ttl` and `ontology/actors.ttl`. This module turns those graphs into
plain, hashable Python tables.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, SKOS

import kg
from kg import vocab
from kg.errors import ExtractionError
from kg.records import ActorType, EventType, Stance

logger = logging.getLogger(__name__)

# Open (the gazetteer uses properties such as `kg:capital` that the ontology does not declare).
KG_NS = rdflib.Namespace(vocab.KG_NS)
STANCE_NS = vocab.STANCE_NS
LEX_NS = vocab.LEXICON_NS
TOPIC_NS = vocab.TOPIC_NS
WIKIDATA_NS = vocab.WIKIDATA_NS

#: The event classes a trigger may name: every one but `kg:OtherEvent`, the extractor's fallback.
EVENT_CLASSES: dict[str, EventType] = {t.iri: t for t in EventType if t is not EventType.OTHER}
#: The actor classes of the gazetteer, by IRI.
ACTOR_CLASSES: dict[str, ActorType] = {t.iri: t for t in ActorType}


def default_ontology_dir() -> Path:
    """The `ontology/` folder beside the `kg` package."""
    return Path(kg.__file__).resolve().parent.parent / "ontology"


@dataclass(frozen=True, slots=True)
class KnownActor:
    """One gazetteer entry."""

    key: str
    name: str
    type: ActorType
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """All lexicons and the gazetteer; immutable once loaded."""

    actors: dict[str, KnownActor]
    stances: dict[str, Stance]  # cue (lemmas joined by space) -> stance
    events: dict[str, EventType]  # trigger -> event type
    topics: tuple[Topic, ...]
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # lex:<name> -> entries

    def word_list(self, name: str) -> frozenset[str]:
        """The word list `lex:<name>` of lexicon.ttl.

        Raises:
            ExtractionError: no such list (a misspelt name would otherwise read as empty).
        """
        if name not in self.words:
            raise ExtractionError(
                f"no word list lex:{name} in ontology/lexicon.ttl; declare it there "
                f"(known: {', '.join(sorted(self.words))})"
            )
        return self.words[name]

    def topic_label(self, topic_id: str) -> str:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic.label
        return topic_id


def _parse(path: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:  # rdflib raises BadSyntax(SyntaxError)
        raise ExtractionError(
            f"cannot read lexicon file {path}: {exc}; check the Turtle syntax of that file"
        ) from exc
    return graph


def _labels(graph: rdflib.Graph, subject: rdflib.term.Node, pred: rdflib.URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, pred))


def _load_actors(graph: rdflib.Graph) -> dict[str, KnownActor]:
    actors: dict[str, KnownActor] = {}
    for cls_iri, actor_type in ACTOR_CLASSES.items():
        for subject in graph.subjects(RDF.type, rdflib.URIRef(cls_iri)):
            names = _labels(graph, subject, SKOS.prefLabel)
            keys = _labels(graph, subject, KG_NS.actorKey)
            if not names or not keys:
                continue
            capital = next(iter(graph.objects(subject, KG_NS.capital)), None)
            capital_key = None
            if capital is not None:
                capital_keys = _labels(graph, capital, KG_NS.actorKey)
                capital_key = capital_keys[0] if capital_keys else None
            qid = None
            for same in graph.objects(subject, OWL.sameAs):
                if str(same).startswith(WIKIDATA_NS):
                    qid = str(same)[len(WIKIDATA_NS) :]
            actors[keys[0]] = KnownActor(
                key=keys[0],
                name=names[0],
                type=actor_type,
                aliases=tuple(_labels(graph, subject, SKOS.altLabel)),
                demonyms=tuple(_labels(graph, subject, KG_NS.demonym)),
                capital=capital_key,
                wikidata=qid,
            )
    return actors


@lru_cache(maxsize=4)
def load_lexicon(ontology_dir: str | None = None) -> Lexicon:
    """Read the gazetteer, topics and lexicon from `ontology_dir` (default: the repo's `ontology/`).

    Raises:
        ExtractionError: a file is missing or is not valid Turtle.
    """
    folder = Path(ontology_dir) if ontology_dir else default_ontology_dir()
    files = {name: folder / f"{name}.ttl" for name in ("actors", "topics", "lexicon", "triggers")}
    for path in files.values():
        if not path.is_file():
            raise ExtractionError(
                f"lexicon file {path} not found; the extractor reads its lexicons from the "
                "ontology/ folder of the repository"
            )
    actors = _load_actors(_parse(files["actors"]))

    tgraph = _parse(files["topics"])
    topics: list[Topic] = []
    for subject in tgraph.subjects(SKOS.inScheme, rdflib.URIRef(TOPIC_NS + "scheme")):
        notation = _labels(tgraph, subject, SKOS.notation)
        label = _labels(tgraph, subject, SKOS.prefLabel)
        if notation:
            topics.append(
                Topic(
                    id=notation[0],
                    label=label[0] if label else notation[0],
                    terms=tuple(_labels(tgraph, subject, SKOS.altLabel)),
                )
            )
    topics.sort(key=lambda t: t.id)

    lgraph = _parse(files["lexicon"]) + _parse(files["triggers"])
    stances: dict[str, Stance] = {}
    events: dict[str, EventType] = {}
    words: dict[str, frozenset[str]] = {}
    for lex_subject, _, lex_label in sorted(lgraph.triples((None, SKOS.altLabel, None))):
        iri, text = str(lex_subject), str(lex_label).lower()
        if iri.startswith(STANCE_NS):
            stances.setdefault(text, Stance.from_iri(iri))
        elif iri in EVENT_CLASSES:
            events.setdefault(text, EVENT_CLASSES[iri])
        elif iri.startswith(LEX_NS):
            name = iri[len(LEX_NS) :]
            words[name] = words.get(name, frozenset()) | {text}
    logger.debug("lexicon loaded: %d actors, %d topics", len(actors), len(topics))
    return Lexicon(actors=actors, stances=stances, events=events, topics=tuple(topics), words=words)
