"""The `kg` command line: build, serve, query, export, validate, stats, remove.

Exit codes: 0 ok, 1 validation failure (SHACL), 2 usage or input error. Errors are one line on
stderr, never a traceback: every command runs inside `_errors_to_exit`.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.config import Settings
from kg.errors import InputError, KGError, NonConformingGraphError, NotFoundError, StoreError
from kg.sparql_guard import check_remote_calls

if TYPE_CHECKING:
    from kg.store.base import GraphStore

app = typer.Typer(
    name="kg",
    help="newskg: build a knowledge graph of news articles and serve it over SPARQL and REST.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _version(value: bool) -> None:
    """`kg --version`: the package's version and the extractor's (stored on every article's
    provenance as `kg:extractorVersion`, so a store built by another extractor shows)."""
    if value:
        from kg import __version__
        from kg.nlp.extract import EXTRACTOR_VERSION

        out.print(f"newskg {__version__} (extractor {EXTRACTOR_VERSION})", markup=False)
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the version (and the extractor's) and exit.",
        ),
    ] = False,
) -> None:
    """newskg: build a knowledge graph of news articles and serve it over SPARQL and REST."""


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line on stderr and exit with the code."""
    err.print(f"kg: error: {message}", markup=False)
    raise typer.Exit(code)


@contextmanager
def _errors_to_exit() -> Iterator[None]:
    try:
        yield
    except NonConformingGraphError as exc:
        fail(exc.message, EXIT_INVALID)
    except KGError as exc:
        fail(exc.message, EXIT_USAGE)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]).upper()
        fail(f"setting KG_{where}: {first['msg']}")
    except OSError as exc:
        fail(f"{exc.filename or 'I/O'}: {exc.strerror or exc}")


def _settings() -> Settings:
    return Settings()


def _open_store(settings: Settings, *, check_base: bool = False) -> GraphStore:
    """Open the configured store, creating the embedded store's folder (and parents) if needed.

    With `check_base`, refuse (StoreError) a store whose IRIs are under another KG_BASE_IRI and
    make its actor registry exact (`kg.build.check_store`): for the commands that compute IRIs
    or write (serve, export --graph, validate, remove).
    """
    from kg.store import open_store

    if not settings.store_url:
        if settings.store_path.exists() and not settings.store_path.is_dir():
            raise StoreError(
                f"the store path {settings.store_path} is a file, not a folder; set"
                " KG_STORE_PATH to a folder (it is created if missing)"
            )
        try:
            settings.store_path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the store folder {settings.store_path}: {exc.strerror}"
            ) from exc
    store = open_store(settings)
    if check_base:
        from kg.build import check_store

        try:
            check_store(store, settings.base_iri)
        except BaseException:
            store.close()
            raise
    return store


@app.command()
def build(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Article files (.txt, .jsonl) or folders. Default: data/articles."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes that extract and validate in parallel (this process alone writes "
            "the store). Default: the number of CPUs; builds of fewer than 8 new articles run "
            "in one process.",
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Extract and validate on a Dask cluster instead (KG_CLUSTER): tcp://host:port "
            "of a running scheduler, or local:N to start N worker processes on this machine. "
            "This process alone writes the store.",
        ),
    ] = None,
) -> None:
    """Extract, validate and store articles; unchanged articles are skipped."""
    from kg.articles import find_sources
    from kg.build import Builder, Outcome, Status
    from kg.cluster import parse_cluster
    from kg.progress import BuildProgress

    sources = paths or [Path("data/articles")]
    with _errors_to_exit():
        settings = _settings()
        address = cluster or settings.cluster
        try:
            spec = parse_cluster(address) if address else None
        except ValueError as exc:
            raise InputError(f"{'--cluster' if cluster else 'KG_CLUSTER'} {exc}") from None
        if spec is not None and workers is not None:
            raise InputError(
                f"--workers {workers} and the cluster {spec}: give one of them (the cluster's"
                " workers do the work)"
            )
        # a missing path or a folder without articles is refused before the store is touched
        if not find_sources(sources):
            where = ", ".join(str(path) for path in sources)
            raise InputError(f"{where}: no .txt or .jsonl articles found")
        store = _open_store(settings)
        try:
            builder = Builder(settings, store)
            counter = BuildProgress()
            with Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.fields[rate]}"),
                console=err,
                transient=True,
                disable=not err.is_terminal,
            ) as progress:
                task = progress.add_task("building", total=None, rate="")

                def on_total(total: int) -> None:
                    counter.total = total
                    progress.update(task, total=total)

                def on_outcome(outcome: Outcome) -> None:
                    if isinstance(outcome.error, StoreError):
                        raise outcome.error  # the store cannot be written: stop here, one line
                    skipped = outcome.status in (Status.UNCHANGED, Status.DUPLICATE)
                    counter.advance(worked=not skipped and outcome.doc_id is not None)
                    progress.update(task, advance=1, rate=counter.summary().partition(", ")[2])
                    mark = "ok" if outcome.ok else "FAILED"
                    err.print(
                        f"{mark:6} {outcome.status.value:9} {outcome.source}: {outcome.message}",
                        markup=False,
                    )
                    if not err.is_terminal and counter.due():
                        err.print(f"progress: {counter.summary()}", markup=False)

                outcomes = builder.build(
                    sources,
                    on_outcome=on_outcome,
                    on_total=on_total,
                    workers=workers or os.cpu_count() or 1,
                    cluster=spec,
                )
        finally:
            store.close()
    tally = {status: sum(o.status is status for o in outcomes) for status in Status}
    out.print(
        ", ".join(f"{n} {status.value}" for status, n in tally.items() if n) or "nothing to do"
    )
    if tally[Status.FAILED]:
        raise typer.Exit(EXIT_USAGE)
    if tally[Status.INVALID]:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (KG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (KG_PORT).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes answering requests (default: the number of cores). With more than"
            " one, each reads the store and writes go through one writing process.",
        ),
    ] = None,
) -> None:
    """Serve the SPARQL endpoint, the REST API and the web page."""
    import uvicorn

    from api.headers import uvicorn_limits
    from api.main import create_app
    from api.serving import serve_processes
    from kg.iris import serving_note

    processes = workers if workers is not None else (os.cpu_count() or 1)
    with _errors_to_exit():
        settings = _settings()
        updates = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
        settings = settings.model_copy(update=updates)
        # fail here, in one line, if the store cannot be opened or has another base IRI
        _open_store(settings, check_base=True).close()
        if processes > 1 and settings.store_url:
            err.print(
                "kg: note: a remote store (KG_STORE_URL) is served by one process", markup=False
            )
            processes = 1
        application = create_app(settings) if processes == 1 else None
    note = serving_note(settings.base_iri, settings.host, settings.port)
    if note is not None:
        err.print(f"kg: note: {note}", markup=False)
    if application is None:
        with _errors_to_exit():
            serve_processes(settings, processes)
        return
    uvicorn.run(
        application,
        host=settings.host,
        port=settings.port,
        log_level="info",
        **uvicorn_limits(settings.max_header_bytes),  # the request head is bounded as it is read
    )


QUERY_FORMATS = ("json", "xml", "csv", "tsv", "turtle", "ntriples", "nquads", "trig", "rdfxml")


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, '-' for stdin, or @file.rq.")],
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help=f"Result format: {', '.join(QUERY_FORMATS)}."),
    ] = None,
) -> None:
    """Run a SPARQL query over the union of all graphs; print the results."""
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

    text = _read_query(sparql)
    if format is not None and format not in QUERY_FORMATS:
        fail(f"unknown --format {format!r}; use one of {', '.join(QUERY_FORMATS)}")
    with _errors_to_exit():
        settings = _settings()
        check_remote_calls(text, services=settings.sparql_service_set)
        store = _open_store(settings)
        try:
            result = store.query(text)
            if isinstance(result, QuerySolutions | QueryBoolean):
                results_format = {
                    "json": QueryResultsFormat.JSON,
                    "xml": QueryResultsFormat.XML,
                    "csv": QueryResultsFormat.CSV,
                    "tsv": QueryResultsFormat.TSV,
                }.get(format or "tsv")
                if results_format is None:
                    fail(
                        f"--format {format} is for graphs; SELECT and ASK take json, xml, csv, tsv"
                    )
                data = result.serialize(format=results_format)
            else:
                rdf_format = {
                    "turtle": RdfFormat.TURTLE,
                    "ntriples": RdfFormat.N_TRIPLES,
                    "rdfxml": RdfFormat.RDF_XML,
                }.get(format or "turtle")
                if rdf_format is None:
                    fail(
                        f"--format {format} is for results; CONSTRUCT takes turtle, ntriples, "
                        "rdfxml"
                    )
                data = result.serialize(format=rdf_format)
        except (OSError, ValueError, RuntimeError) as exc:  # the engine evaluates lazily
            fail(f"the query failed while it was evaluated: {exc}")
        finally:
            store.close()
    sys.stdout.buffer.write(data or b"")
    if data and not data.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


#: Suffixes of files that hold SPARQL (or text) rather than being a query themselves.
_QUERY_FILE_SUFFIXES = {".rq", ".sparql", ".ru", ".txt", ".query"}


def _looks_like_a_file(argument: str) -> bool:
    """True for `file.rq` given where a query was expected: a query has spaces or braces, a
    file name has neither, and exists or ends like a query file."""
    if not argument or any(c.isspace() or c in "{}" for c in argument):
        return False
    path = Path(argument)
    return path.suffix.lower() in _QUERY_FILE_SUFFIXES or path.is_file()


def _read_query(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        try:
            return Path(argument[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read the query file {argument[1:]}: {exc}")
    if _looks_like_a_file(argument):
        fail(f"{argument!r} is not a query; did you mean @{argument}? (a file is read with @)")
    return argument


EXPORT_FORMATS = (
    "turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "graphml", "csv", "csv-nodes",
    "csv-edges", "neo4j",
)  # fmt: skip
_FOLDER_FORMATS = {
    "csv": "two files (nodes.csv, edges.csv)",
    "neo4j": "one file per node label and relationship type",
}


@app.command()
def export(
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(EXPORT_FORMATS)}.")
    ],
    graph: Annotated[str | None, typer.Option(help="Only this document's graph (its id).")] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (a folder for csv: nodes.csv and edges.csv; for neo4j: one"
            " file per label and type, and import.sh).",
        ),
    ] = None,
    with_gazetteer: Annotated[
        bool,
        typer.Option(
            "--with-gazetteer",
            help="Property graphs: also the gazetteer's actors that no article refers to.",
        ),
    ] = False,
) -> None:
    """Export the graph (all named graphs, or one document's) in an RDF syntax, or as a
    property graph: graphml; csv = Gephi's nodes.csv + edges.csv in --output DIR; neo4j = the
    CSV files of `neo4j-admin database import` in --output DIR, with the command in import.sh.

    Formats without named graphs (turtle, ntriples, rdfxml) get the union of all graphs when no
    --graph is given. The property-graph layout is documented in kg/exports.py and docs/exports.md.
    """
    from kg.exports import (
        ExportFormat,
        export_chunks,
        neo4j_files,
        neo4j_import_command,
        neo4j_import_script,
        property_graph,
    )
    from kg.iris import Iris

    if format not in EXPORT_FORMATS:
        fail(f"unknown --format {format!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if format in _FOLDER_FORMATS and output is None:
        fail(f"--format {format} writes {_FOLDER_FORMATS[format]}: give --output DIR")
    with _errors_to_exit():
        settings = _settings()
        store = _open_store(settings, check_base=graph is not None)
        try:
            graph_iri = None
            if graph is not None:
                graph_iri = str(Iris(settings.base_iri).graph(graph))
                if not store.has_graph(graph_iri):
                    raise NotFoundError(f"no document {graph!r} in the store (see `kg stats`)")
            if format == "neo4j":
                assert output is not None  # noqa: S101 - checked above
                files = neo4j_files(property_graph(store, graph_iri, with_gazetteer=with_gazetteer))
                output.mkdir(parents=True, exist_ok=True)
                for file in files:
                    with (output / file.name).open("wb") as sink:
                        sink.writelines(file.chunks())
                command = neo4j_import_command(files)
                (output / "import.sh").write_text(neo4j_import_script(files), encoding="utf-8")
                (output / "import.sh").chmod(0o755)
                err.print(
                    f"wrote {len(files)} files to {output}; load them with (in that folder):\n"
                    f"{command}",
                    markup=False,
                )
            elif format == "csv":
                assert output is not None  # noqa: S101 - checked above
                output.mkdir(parents=True, exist_ok=True)
                for name, fmt in (
                    ("nodes.csv", ExportFormat.CSV_NODES),
                    ("edges.csv", ExportFormat.CSV_EDGES),
                ):
                    with (output / name).open("wb") as sink:
                        sink.writelines(
                            export_chunks(store, fmt, graph_iri, with_gazetteer=with_gazetteer)
                        )
            else:
                chunks = export_chunks(
                    store, ExportFormat(format), graph_iri, with_gazetteer=with_gazetteer
                )
                if output is None:
                    for chunk in chunks:
                        sys.stdout.buffer.write(chunk)
                    sys.stdout.buffer.flush()
                else:
                    with output.open("wb") as sink:
                        sink.writelines(chunks)
        except OSError as exc:
            fail(f"cannot write the export: {exc}")
        finally:
            store.close()


@app.command()
def validate() -> None:
    """Check every stored article graph against the SHACL shapes, and report contradictions.

    A contradiction (one holder for and against one topic within one stance family) is a fact
    of the articles, not an error: it is listed with both sides' evidence and leaves the exit
    code alone.
    """
    from kg.iris import Iris
    from kg.read.contradictions import store_report
    from kg.read.documents import article_graphs, read_graph
    from kg.read.index import attached
    from kg.registry import description_graph
    from kg.validation import validate as shacl_validate

    with _errors_to_exit():
        settings = _settings()
        store = _open_store(settings, check_base=True)
        failures = 0
        try:
            iris = article_graphs(store, settings.base_iri)
            minter = Iris(settings.base_iri)
            for doc_id, iri in iris:
                graph = read_graph(store, iri)
                report = shacl_validate(graph, description_graph(store, iri, minter))
                if report.conforms:
                    out.print(f"conforms  {doc_id}", markup=False)
                    continue
                failures += 1
                out.print(f"INVALID   {doc_id}: {len(report.violations)} violations", markup=False)
                for violation in report.violations[:20]:
                    out.print(f"    {violation.message} ({violation.focus_node})", markup=False)
            for line in store_report(store):
                out.print(line, markup=False)
            index = attached(store)
            index_problems = index.check(store) if index is not None else []
            for problem in index_problems:
                out.print(f"INDEX     {problem}", markup=False)
            if index is not None and not index_problems:
                out.print("index     the read index agrees with the graph", markup=False)
        finally:
            store.close()
    out.print(f"{len(iris) - failures} of {len(iris)} article graphs conform", markup=False)
    if failures or index_problems:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def reindex() -> None:
    """Build the read index (the REST API's lists) again from the store.

    Never needed in normal use: every write keeps the index in step, and a start repairs it
    after a crash. Run it if `kg validate` reports that the index disagrees with the graph.
    """
    from kg.read.index import attached

    with _errors_to_exit():
        store = _open_store(_settings(), check_base=True)
        try:
            index = attached(store)
            if index is None:
                fail("this store has no read index (a remote store is read with SPARQL)")
            started = time.perf_counter()
            report = index.rebuild(store)
            seconds = time.perf_counter() - started
            out.print(
                f"indexed {len(report.indexed)} articles in {seconds:.1f} s"
                f" ({index.size() / 1e6:.1f} MB at {index.path})",
                markup=False,
            )
        finally:
            store.close()


@app.command()
def stats() -> None:
    """Print counts of documents, actors, events, positions, quotes and triples."""
    from kg.read.queries import stats as store_stats

    with _errors_to_exit():
        store = _open_store(_settings())
        try:
            figures = store_stats(store).model_dump()
        finally:
            store.close()
    width = max(len(name) for name in figures)
    for name, value in figures.items():
        out.print(f"{name:<{width}}  {value:>10,}", markup=False)


@app.command()
def remove(
    doc: Annotated[str, typer.Argument(help="The document id, e.g. 000_bc7c407ef40413f8.")],
) -> None:
    """Remove one article's graph, in one transaction."""
    from kg.build import Builder

    with _errors_to_exit():
        settings = _settings()
        store = _open_store(settings, check_base=True)
        try:
            removed = Builder(settings, store).remove(doc)
        finally:
            store.close()
        if not removed:
            raise InputError(f"no document {doc!r} in the store (see `kg stats`)")
    out.print(f"removed {doc}", markup=False)


def main() -> None:
    """Entry point of the `kg` script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
