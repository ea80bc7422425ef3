"""What runs in a Dask worker during `kg build --cluster`: the pipeline plugin and the task.

Imported by the workers (they unpickle `PipelinePlugin` and `prepare_task` by name), so every
worker needs newskg and its spaCy model installed, at the version of the building process.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable
from typing import Any

from distributed import get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from kg.iris import Iris
from kg.prepare import Failure, Pipeline, Prepared, prepare_many
from kg.records import Article

logger = logging.getLogger(__name__)

PLUGIN_NAME = "newskg-pipeline"

#: The worker process's pipelines, by model: loaded once, kept for every later task and build.
_pipelines: dict[str, Pipeline] = {}
#: One task at a time uses a pipeline (a worker started with several threads shares it; spaCy
#: components are not documented as thread-safe).
_pipeline_lock = threading.Lock()


def pipeline(model: str) -> Pipeline:
    """This process's pipeline for `model` (built on first use)."""
    with _pipeline_lock:
        found = _pipelines.get(model)
        if found is None:
            found = _pipelines[model] = Pipeline(model)
        return found


class PipelinePlugin(WorkerPlugin):
    """Loads the spaCy pipeline when a worker joins (and on a worker that restarts), before
    its first task, so no task pays the 2-3 s load and each worker loads it once."""

    idempotent = False  # registered again by each build: a worker that has it loaded keeps it

    def __init__(self, model: str) -> None:
        self.model = model

    async def setup(self, worker: object) -> None:  # noqa: ARG002 - the plugin interface
        if not getattr(sys.unraisablehook, "_kg_quiet", False):
            sys.unraisablehook = _quiet_unsendable_drops(sys.unraisablehook)
            sys.unraisablehook._kg_quiet = True  # type: ignore[attr-defined]
        # in a thread: the worker's event loop goes on answering the scheduler's heartbeats
        await asyncio.to_thread(lambda: pipeline(self.model).nlp)
        logger.info("newskg: spaCy pipeline %s ready on this worker", self.model)


_task_lock = threading.Lock()


def prepare_task(articles: list[Article], model: str, base_iri: str) -> list[Prepared | Failure]:
    """Prepare a few articles in this worker (`kg.prepare.prepare_many`), results in order."""
    get_worker()  # fails loudly outside a worker
    nlp = pipeline(model).nlp
    with _task_lock:
        results = list(prepare_many(articles, nlp, Iris(base_iri)))
    return [r.portable() if isinstance(r, Failure) else r for r in results]


#: What pyo3 says when an unsendable pyoxigraph object (an iterator pySHACL left suspended in a
#: reference cycle) is freed by the garbage collector on another thread than its own.
UNSENDABLE = "is unsendable, but is being dropped on another thread"


def _quiet_unsendable_drops(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """`sys.unraisablehook` that logs the unsendable drop at DEBUG and passes the rest on.

    The SHACL gate runs in the worker's task thread, and its cycles are collected by whichever
    thread the collector runs in, often the event loop's: pyo3 then leaks the object (a few
    hundred bytes, in one build of five articles out of three) and prints a traceback through
    this hook. The leak is harmless; the traceback on the build's stderr is not.
    """

    def quiet(unraisable: Any) -> object:
        if isinstance(unraisable.exc_value, RuntimeError) and UNSENDABLE in str(
            unraisable.exc_value
        ):
            logger.debug("pyoxigraph object freed on another thread: %s", unraisable.exc_value)
            return None
        return hook(unraisable)

    return quiet
