"""A synthetic graph shaped like ours, at any size, and its load rate into the store.

    .venv/bin/python bench/graph.py [--triples 100000 1000000] [--seed 7] [--out build/bench]

Each synthetic article is a real `kg.records.Extraction` (actors with keys and aliases, mentions,
roles, merges, events with participations, positions on the real topics of
`ontology/topics.ttl`, quotes, every statement with an evidence span that is exactly the text
at its offsets) mapped by the real `kg.mapping.to_graph` with the IRIs of `kg.iris`: the graph
has our shape because it is made by our mapping. Actors are drawn from a fixed pool with Zipf
weights, so a few actors appear in most articles, as Putin and Zelensky do in the news. The
dataset also holds the ontology, the gazetteer and the actor registry graphs, as `kg build`
stores them.

Article `n` depends only on the seed and `n`, so the 100k graph is a prefix of the 1M graph and
two runs write the same bytes. Files go to `build/bench/graph-<triples>-s<seed>.nq`
(git-ignored) with a `.json` manifest of the parameters the query bench needs (the busiest
actor, one of its topics…), and are reused when present.

The load rate is the N-Quads file bulk-loaded into a fresh on-disk store, by pyoxigraph
(`Store.bulk_load`, what our tools use) and by the `oxigraph load` command of the `oxigraph`
package (the Rust CLI), in the same run. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make `kg` importable without installing
    sys.path.insert(0, str(REPO))

from kg.iris import Iris, slugify  # noqa: E402
from kg.mapping import gazetteer_graph, ontology_graph, read_ontology_file, to_graph  # noqa: E402
from kg.namespaces import (  # noqa: E402
    KG,
    SKOS,
    TOPIC,
)
from kg.records import (  # noqa: E402
    Actor,
    ActorType,
    Article,
    DatePrecision,
    Direction,
    Event,
    EventStatus,
    EventType,
    Extraction,
    Mention,
    Merge,
    Participant,
    ParticipantRole,
    Position,
    Quote,
    Role,
    Span,
    Stance,
    StatedDate,
)
from kg.registry import describe_actors  # noqa: E402
from kg.store.terms import graph_triples  # noqa: E402

#: Bumped whenever the generated data changes, so cached files are not reused across versions.
GENERATOR_VERSION = 2
BASE_IRI = "http://127.0.0.1:8000/"
DEFAULT_OUT = REPO / "build" / "bench"
POOL_SIZE = 2000

_FIRST = [
    "Arlen",
    "Mira",
    "Dovan",
    "Tessa",
    "Oleg",
    "Ilsa",
    "Marek",
    "Vera",
    "Tomas",
    "Lida",
    "Ruslan",
    "Anja",
    "Petar",
    "Zora",
    "Kiril",
    "Nadia",
    "Bogdan",
    "Elena",
    "Stefan",
    "Ivo",
    "Dara",
    "Yuri",
    "Lena",
    "Pavlo",
    "Irina",
]
_LAST_A = [
    "Vos",
    "Kar",
    "Bel",
    "Dan",
    "Mor",
    "Tal",
    "Ser",
    "Kov",
    "Lan",
    "Bar",
    "Ros",
    "Ved",
    "Zol",
    "Mir",
    "Tor",
    "Gal",
    "Nar",
    "Pol",
    "Sab",
    "Dur",
]
_LAST_B = ["ko", "enko", "ov", "ich", "ski", "ava", "ari", "ten", "berg", "sen"]
_PLACES = ["Gor", "Vel", "Tar", "Mos", "Kro", "Len", "Bal", "Dor", "Sar", "Vil"]
_PLACE_END = ["grad", "ovsk", "ava", "burg", "ino", "pol"]
_ORG_KIND = ("Council", "Ministry of Defence", "Foreign Ministry", "Assembly", "Bank", "Party",
             "Institute", "Commission")  # fmt: skip
_ROLE_LABELS = ("foreign minister", "president", "spokesman", "prime minister", "envoy")
_STANCE_CUES = {
    Stance.DEMANDS: "demanded",
    Stance.PROPOSES: "proposed",
    Stance.SUPPORTS: "backed",
    Stance.OPPOSES: "opposed",
    Stance.REJECTS: "rejected",
    Stance.THREATENS: "threatened to block",
    Stance.CLAIMS: "claimed progress on",
    Stance.ACCUSES: "accused rivals over",
}
_QUOTE_WORDS = ("ceasefire", "peace", "sanctions", "security", "territory", "talks", "guarantees",
                "negotiations", "weapons", "elections", "prisoners", "grain")  # fmt: skip
_TIMES = ("on Monday", "last week", "this month", "on Friday", "next week")


@dataclass(frozen=True, slots=True)
class Pool:
    """The actors every article draws from, most frequent first, and the known topics."""

    actors: tuple[Actor, ...]
    weights: tuple[float, ...]
    places: tuple[Actor, ...]
    topics: tuple[str, ...]


def topic_ids() -> tuple[str, ...]:
    """The topic ids of ontology/topics.ttl (the local names of the scheme's concepts)."""
    topics = read_ontology_file("topics.ttl")
    found = {
        str(concept)[len(str(TOPIC)) :]
        for concept in topics.subjects(SKOS.inScheme, TOPIC.scheme)
        if isinstance(concept, URIRef) and str(concept).startswith(str(TOPIC))
    }
    return tuple(sorted(found))


def make_pool(seed: int, size: int = POOL_SIZE) -> Pool:
    """`size` actors with distinct keys (people, organisations, countries, groups) + 60 places."""
    rng = random.Random(f"pool-{seed}")
    actors: list[Actor] = []
    keys: set[str] = set()
    kinds = [ActorType.PERSON] * 6 + [ActorType.ORGANIZATION] * 2 + [ActorType.COUNTRY] * 1
    kinds += [ActorType.GROUP]
    while len(actors) < size:
        kind = rng.choice(kinds)
        last = rng.choice(_LAST_A) + rng.choice(_LAST_B)
        if kind is ActorType.PERSON:
            name = f"{rng.choice(_FIRST)} {last}"
            aliases: tuple[str, ...] = (last,)
        elif kind is ActorType.ORGANIZATION:
            name = f"{last} {rng.choice(_ORG_KIND)}"
            aliases = (f"the {name}",)
        elif kind is ActorType.COUNTRY:
            name = f"Republic of {last}"
            aliases = (last,)
        else:
            name = f"{last} delegation"
            aliases = ()
        key = slugify(name)
        if key in keys:
            continue
        keys.add(key)
        wikidata = f"Q{rng.randint(1000, 999999)}" if rng.random() < 0.3 else None
        actors.append(Actor(key=key, name=name, type=kind, aliases=aliases, wikidata=wikidata))
    places: list[Actor] = []
    for first in _PLACES:
        for end in _PLACE_END:
            name = first + end
            places.append(Actor(key=slugify(name), name=name, type=ActorType.PLACE))
    weights = tuple(1.0 / (rank + 1) for rank in range(len(actors)))
    return Pool(tuple(actors), weights, tuple(places), topic_ids())


class _Text:
    """Article text built sentence by sentence, handing back exact spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> Span:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return Span(start, self.length, text)

    def sentence(self, *pieces: str) -> tuple[Span, list[Span]]:
        """Append the pieces as one sentence; the spans of the sentence and of each piece."""
        start = self.length
        spans = [self.add(piece) for piece in pieces]
        self.add(" ")
        text = "".join(pieces)
        return Span(start, start + len(text), text), spans


def make_extraction(pool: Pool, seed: int, n: int) -> Extraction:
    """Synthetic article `n`: deterministic in (seed, n), valid for the mapping and the shapes."""
    rng = random.Random(f"article-{seed}-{n}")
    cast: dict[str, Actor] = {}
    while len(cast) < 16:
        actor = rng.choices(pool.actors, weights=pool.weights)[0]
        cast[actor.key] = actor
    for place in rng.sample(pool.places, 2):
        cast[place.key] = place
    people = [a for a in cast.values() if a.type is not ActorType.PLACE]
    places = [a for a in cast.values() if a.type is ActorType.PLACE]
    text = _Text()
    mentions: list[Mention] = []
    roles: list[Role] = []
    merges: list[Merge] = []
    events: list[Event] = []
    positions: list[Position] = []
    quotes: list[Quote] = []

    def mention(actor: Actor, span: Span, rule: str = "ner") -> None:
        mentions.append(Mention(actor.key, span, rule, round(rng.uniform(0.6, 0.99), 2)))

    # An opening paragraph: each actor named in full, some with a role, then by alias.
    for actor in cast.values():
        if actor.type is ActorType.PERSON and rng.random() < 0.3:
            label = rng.choice(_ROLE_LABELS)
            _, (role_span, _, name_span, _) = text.sentence(
                f"The {label}", ", ", actor.name, ", arrived for the meeting."
            )
            roles.append(Role(actor.key, label, role_span))
        else:
            _, (name_span, _) = text.sentence(actor.name, " was mentioned in the talks.")
        mention(actor, name_span, "gazetteer")
        for alias in actor.aliases:
            _, (alias_span, _) = text.sentence(alias, " said little more.")
            mention(actor, alias_span, "alias")
            merges.append(Merge(actor.key, "surname", (actor.name, alias)))
    # More mentions, to reach the real articles' ~90 per article.
    for _ in range(50):
        actor = rng.choice(people)
        _, (span, _) = text.sentence(actor.name, " " + rng.choice(_TIMES) + " again.")
        mention(actor, span, "coreference")
    text.add("\n")
    # Events with two or three participants, a place and sometimes a date.
    for _ in range(6):
        agents = rng.sample(people, rng.choice((2, 3)))
        place = rng.choice(places)
        etype = rng.choice(list(EventType))
        sentence, spans = text.sentence(
            agents[0].name, f" met {agents[1].name} in ", place.name, " " + rng.choice(_TIMES) + "."
        )
        mention(agents[0], spans[0])
        mention(place, spans[2])
        roles_cycle = (ParticipantRole.AGENT, ParticipantRole.RECIPIENT)
        events.append(
            Event(
                type=etype,
                participants=tuple(
                    Participant(a.key, roles_cycle[i] if i < 2 else ParticipantRole.PARTICIPANT)
                    for i, a in enumerate(agents)
                ),
                evidence=sentence,
                method=f"trigger:{etype.value}",
                confidence=0.7,
                place=place.key,
                time_expression=rng.choice(_TIMES),
                date=StatedDate(
                    dt.date(2025, 1, 1) + dt.timedelta(days=(n * 7 + len(events)) % 365),
                    DatePrecision.DAY,
                )
                if rng.random() < 0.5
                else None,
                status=rng.choice(list(EventStatus)),
            )
        )
    # Positions: holder, stance, topic, direction, sometimes a target and a reporter.
    for _ in range(15):
        holder = rng.choice(people)
        stance = rng.choice(list(Stance))
        topic = rng.choice(pool.topics)
        sentence, spans = text.sentence(
            holder.name, f" {_STANCE_CUES[stance]} {topic.replace('_', ' ')} in the negotiations."
        )
        mention(holder, spans[0])
        others = [a for a in people if a.key != holder.key]
        positions.append(
            Position(
                holder=holder.key,
                stance=stance,
                topic=topic,
                direction=rng.choice(list(Direction)),
                evidence=sentence,
                method="stance-verb:dependency",
                confidence=round(rng.uniform(0.5, 0.9), 2),
                target=rng.choice(others).key if rng.random() < 0.3 else None,
                reported_by=rng.choice(others).key if rng.random() < 0.2 else None,
                hedged=rng.random() < 0.1,
            )
        )
    # Quotes: the evidence spans the words inside the quotation marks.
    for _ in range(5):
        speaker = rng.choice(people)
        words = " ".join(rng.choices(_QUOTE_WORDS, k=6))
        _, spans = text.sentence(speaker.name, " said: \u201c", f"We discuss {words}.", "\u201d")
        mention(speaker, spans[0])
        quotes.append(Quote(speaker.key, spans[2], "quote:X-said", 0.9))

    body = "".join(text.parts)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    article = Article(
        doc_id=f"bench{n:06d}",
        text=body,
        content_hash=digest,
        title=f"Synthetic article {n}",
        url=f"https://example.org/news/{n}",
        published=dt.date(2025, 1, 1) + dt.timedelta(days=n % 365),
        outlet=rng.choice(("Daily Ledger", "The Courier", "Evening Post")),
        author=f"{rng.choice(_FIRST)} {rng.choice(_LAST_A)}er",
        file=f"bench{n:06d}.txt",
    )
    return Extraction(
        article=article,
        actors=tuple(cast.values()),
        mentions=tuple(mentions),
        roles=tuple(roles),
        merges=tuple(merges),
        events=tuple(events),
        positions=tuple(positions),
        quotes=tuple(quotes),
        extractor_version="bench",
        pipeline="synthetic",
        pipeline_version=str(GENERATOR_VERSION),
    )


def article_graphs(seed: int, iris: Iris) -> Iterator[tuple[Extraction, Graph]]:
    """Synthetic articles 0, 1, 2… mapped to their graphs, forever."""
    pool = make_pool(seed)
    n = 0
    while True:
        extraction = make_extraction(pool, seed, n)
        yield extraction, to_graph(extraction, iris)
        n += 1


def _quads(graph: Graph, name: str) -> list[ox.Quad]:
    node = ox.NamedNode(name)
    return [ox.Quad(t.subject, t.predicate, t.object, node) for t in graph_triples(graph)]


@dataclass(frozen=True, slots=True)
class Dataset:
    """A generated N-Quads file and what the query bench needs to know about it."""

    path: Path
    triples: int
    articles: int
    seconds: float
    manifest: dict[str, str]


def generate(target: int, seed: int = 7, out: Path = DEFAULT_OUT) -> Dataset:
    """Write (or reuse) a dataset of at least `target` triples: vocabularies + article graphs.

    The manifest names the busiest actor (the pool's first), one topic it holds positions on,
    one position IRI (a one-subject lookup) and one document id.
    """
    out.mkdir(parents=True, exist_ok=True)
    stem = f"graph-{target}-s{seed}-v{GENERATOR_VERSION}"
    path, meta = out / f"{stem}.nq", out / f"{stem}.json"
    if path.exists() and meta.exists():
        info = json.loads(meta.read_text(encoding="utf-8"))
        return Dataset(path, info["triples"], info["articles"], info["seconds"], info["manifest"])
    iris = Iris(BASE_IRI)
    started = time.perf_counter()
    pool = make_pool(seed)
    busiest = pool.actors[0].key
    topics_of_busiest: dict[str, int] = {}
    position_iri = ""
    triples = articles = 0
    namings: list[Graph] = []  # each article's namings, for the registry graph
    tmp = path.with_suffix(".part")
    with tmp.open("wb") as sink:
        for name, graph in (
            (str(iris.ontology_graph()), ontology_graph()),
            (str(iris.gazetteer_graph()), gazetteer_graph()),
        ):
            ox.serialize(_quads(graph, name), sink, ox.RdfFormat.N_QUADS)
            triples += len(graph)
        for extraction, graph in article_graphs(seed, iris):
            if triples >= target:
                break
            ox.serialize(_quads(graph, str(graph.identifier)), sink, ox.RdfFormat.N_QUADS)
            triples += len(graph)
            articles += 1
            named = Graph(identifier=graph.identifier)
            for naming in graph.subjects(KG.namingOf, None):
                named += graph.triples((naming, None, None))
            namings.append(named)
            for position in extraction.positions:
                if position.holder == busiest:
                    topics_of_busiest[position.topic] = topics_of_busiest.get(position.topic, 0) + 1
            if not position_iri:
                position_iri = next(
                    str(s) for s in graph.subjects() if str(s).rsplit("/", 2)[1] == "position"
                )
        registry = describe_actors(namings)
        ox.serialize(_quads(registry, str(iris.registry_graph())), sink, ox.RdfFormat.N_QUADS)
        triples += len(registry)
    tmp.replace(path)
    seconds = time.perf_counter() - started
    manifest = {
        "actor": busiest,
        "actor_iri": str(iris.actor(busiest)),
        "topic": max(sorted(topics_of_busiest), key=lambda t: topics_of_busiest[t]),
        "position_iri": position_iri,
        "document": "bench000000",
        "quote_word": "ceasefire",
    }
    info = {"triples": triples, "articles": articles, "seconds": seconds, "manifest": manifest}
    meta.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return Dataset(path, triples, articles, seconds, manifest)


def stamp_of(data: Dataset) -> str:
    return f"{data.path.name} {data.triples}"


def is_loaded(data: Dataset, location: Path) -> bool:
    """Whether `location` holds a store loaded from `data` (its `.stamp` file says so)."""
    stamp = location.with_suffix(".stamp")
    return location.exists() and stamp.exists() and stamp.read_text() == stamp_of(data)


def load_pyoxigraph(data: Dataset, location: Path) -> float:
    """Bulk-load the file into a fresh on-disk store at `location`; the seconds it took."""
    shutil.rmtree(location, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(str(location))
    store.bulk_load(path=str(data.path), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    seconds = time.perf_counter() - started
    location.with_suffix(".stamp").write_text(stamp_of(data))
    return seconds


def oxigraph_cli() -> Path | None:
    """The `oxigraph` command of the `oxigraph` PyPI package (a dev dependency), if installed."""
    found = Path(sys.executable).parent / "oxigraph"
    return found if found.exists() else (Path(p) if (p := shutil.which("oxigraph")) else None)


def load_oxigraph_cli(data: Dataset, location: Path) -> float | None:
    """`oxigraph load` the file into a fresh store at `location`; seconds, or None if absent."""
    cli = oxigraph_cli()
    if cli is None:
        return None
    shutil.rmtree(location, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [str(cli), "load", "--location", str(location), "--file", str(data.path)],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    location.with_suffix(".stamp").write_text(stamp_of(data))
    return seconds


@dataclass(frozen=True, slots=True)
class LoadResult:
    """One dataset and the seconds each loader took (wall clock and CPU)."""

    data: Dataset
    loads: list[tuple[str, float, float]]


def measure(targets: list[int], seed: int = 7, out: Path = DEFAULT_OUT) -> list[LoadResult]:
    """Generate (or reuse) each dataset and time both loaders on it."""
    results = []
    for target in targets:
        data = generate(target, seed, out)
        loads = []
        cpu = _cpu(resource.RUSAGE_SELF)
        seconds = load_pyoxigraph(data, out / f"store-{target}")
        loads.append(("pyoxigraph bulk_load", seconds, _cpu(resource.RUSAGE_SELF) - cpu))
        cpu = _cpu(resource.RUSAGE_CHILDREN)
        cli = load_oxigraph_cli(data, out / f"store-oxigraph-{target}")
        if cli is not None:
            loads.append(("oxigraph load (CLI)", cli, _cpu(resource.RUSAGE_CHILDREN) - cpu))
        results.append(LoadResult(data, loads))
    return results


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def print_results(results: list[LoadResult]) -> None:
    print(
        f"{'graph':>10} {'articles':>8} {'triples':>10} {'gen s':>6}  {'load by':<21}"
        f"{'seconds':>8} {'cpu s':>7} {'triples/s':>11}"
    )
    for result in results:
        data = result.data
        for name, seconds, cpu in result.loads:
            print(
                f"{data.path.name.split('-')[1]:>10} {data.articles:>8} {data.triples:>10,}"
                f" {data.seconds:6.1f}  {name:<21}{seconds:8.2f} {cpu:7.2f}"
                f" {data.triples / seconds:11,.0f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description="synthetic graph + load rate")
    parser.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    print_results(measure(args.triples, args.seed, args.out))


if __name__ == "__main__":
    main()
