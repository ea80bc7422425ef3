"""`kg build --cluster`: extraction, mapping and validation on the workers of a Dask cluster.

    --cluster tcp://scheduler:8786   an existing cluster (`dask scheduler`, `dask worker`)
    --cluster local:N                a LocalCluster of N worker processes on 127.0.0.1, for
                                     the build's duration (the scheduler's HTTP server on a
                                     free port of 127.0.0.1: 8787 may be taken)

The building process stays the store's one writer. Articles go out in tasks of `TASK_SIZE`;
at most `IN_FLIGHT_PER_THREAD` tasks per worker thread are submitted at a time, and results are
taken as they complete (`distributed.as_completed`) and released at once, so memory stays flat
however many articles there are. Each worker loads the spaCy pipeline once
(`kg.cluster_worker.PipelinePlugin`). A worker that dies loses only its in-flight tasks: the
scheduler reruns them on another worker (up to `distributed.scheduler.allowed-failures`
times); a task that kills every worker it runs on fails its articles (nothing of them is
stored) and the build goes on.

Workers of an existing cluster need newskg and its spaCy model installed, and are best started
with `--nthreads 1` (one pipeline per process; a worker with more threads runs one task at a
time anyway).

This module imports `distributed` only when a cluster is used.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.errors import ClusterError, ExtractionError

if TYPE_CHECKING:
    from dask.typing import Key
    from distributed import Client, Future

    from kg.prepare import Failure, Prepared
    from kg.records import Article

logger = logging.getLogger(__name__)

#: Articles per task: they go through `nlp.pipe` together on one worker.
TASK_SIZE = 4
#: Tasks submitted per worker thread at a time: one running, one queued (no idle gap).
IN_FLIGHT_PER_THREAD = 2
LOCAL_PREFIX = "local:"
#: Dask sets MALLOC_TRIM_THRESHOLD_=65536 in the workers it spawns: glibc then gives freed
#: memory back to the system at once and maps it again for the next batch. Preparing articles
#: in one process took 0.56 CPU s/article with it and 0.52 without (medians of 4 runs of 18
#: articles each, on a loaded machine). Unset (None) for local workers, glibc's own adaptive
#: threshold applies; one BLAS/OpenMP thread per worker stays (Dask's default), so N workers
#: do not oversubscribe N cores.
LOCAL_WORKER_ENVIRON = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
_ADDRESS = re.compile(r"^(tcp|tls)://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$")
USAGE = (
    "give tcp://host:port (a running Dask scheduler) or local:N (N worker processes on this"
    " machine)"
)


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """Where articles are prepared: a running scheduler, or N local worker processes."""

    address: str | None = None
    local_workers: int = 0

    def __str__(self) -> str:
        return self.address or f"{LOCAL_PREFIX}{self.local_workers}"


def parse_cluster(value: str) -> ClusterSpec:
    """`tcp://host:port`, `tls://host:port` or `local:N` (N >= 1) as a `ClusterSpec`.

    Raises:
        ValueError: anything else; the message says what is accepted.
    """
    text = value.strip()
    if text.startswith(LOCAL_PREFIX):
        count = text.removeprefix(LOCAL_PREFIX)
        if count.isdigit() and int(count) >= 1:
            return ClusterSpec(local_workers=int(count))
        raise ValueError(f"{value!r}: N in local:N must be a whole number of at least 1")
    found = _ADDRESS.match(text)
    if found is None or not 1 <= int(found.group(3)) <= 65535:
        raise ValueError(f"{value!r} is not a cluster address: {USAGE}")
    return ClusterSpec(address=text)


@contextmanager
def connect(spec: ClusterSpec, model: str, *, timeout: float = 10.0) -> Iterator[Client]:
    """A client of the cluster with the pipeline plugin registered; a LocalCluster is started
    for `local:N` and stopped on exit.

    Raises:
        ClusterError: the scheduler cannot be reached, has no worker within `timeout`
            seconds, or a worker cannot load the pipeline.
    """
    import dask
    from distributed import Client, LocalCluster

    from kg.cluster_worker import PLUGIN_NAME, PipelinePlugin

    # distributed logs every scheduler and nanny step at INFO on its own stderr handler; a
    # build shows its articles, and the cluster's warnings only
    logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster: LocalCluster | None = None
    where = str(spec)
    with dask.config.set(
        {"distributed.comm.timeouts.connect": f"{timeout}s", **LOCAL_WORKER_ENVIRON}
    ):
        try:
            if spec.local_workers:
                cluster = LocalCluster(
                    n_workers=spec.local_workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",  # the scheduler's HTTP port: any free one
                    worker_dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                client = Client(cluster, timeout=timeout)
            else:
                client = Client(spec.address, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            if cluster is not None:
                cluster.close()
            raise ClusterError(
                f"cannot reach the Dask scheduler at {where}: {exc}; start one (`dask scheduler`"
                " and `dask worker`) or use --cluster local:N"
            ) from exc
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as exc:
            raise ClusterError(
                f"the Dask cluster at {where} has no worker after {timeout:g} s; start one"
                f" (`dask worker {where} --nthreads 1`)"
            ) from exc
        try:
            client.register_plugin(PipelinePlugin(model), name=PLUGIN_NAME)
        except ExtractionError as exc:
            raise ClusterError(f"a worker of {where} cannot load the pipeline: {exc}") from exc
        logger.info("preparing on %s (%d workers)", where, len(client.nthreads()))
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def prepare_on_cluster(
    client: Client,
    articles: Sequence[Article],
    *,
    model: str,
    base_iri: str,
    task_size: int = TASK_SIZE,
) -> Iterator[tuple[int, Prepared | Failure]]:
    """Prepare `articles` on the cluster; yield (index in `articles`, result) as tasks complete.

    Raises:
        ClusterError: the cluster went away (every later article is left for the next build).
    """
    from distributed import as_completed

    from kg.cluster_worker import prepare_task

    threads = sum(client.nthreads().values()) or 1
    limit = IN_FLIGHT_PER_THREAD * threads
    starts = iter(range(0, len(articles), task_size))
    running = as_completed(loop=client.loop)  # not the default client's: there may be others
    batches: dict[Key, int] = {}
    build = uuid.uuid4().hex[:8]  # task keys unique across builds on a shared cluster

    def submit_next() -> None:
        start = next(starts, None)
        if start is None:
            return
        future = client.submit(
            prepare_task,
            list(articles[start : start + task_size]),
            model,
            base_iri,
            pure=False,
            key=f"newskg-prepare-{build}-{start}",
        )
        batches[future.key] = start
        running.add(future)

    for _ in range(limit):
        submit_next()
    for future in running:
        start = batches.pop(future.key)
        batch = articles[start : start + task_size]
        results = _results(future, batch)
        future.release()
        submit_next()
        for offset, result in enumerate(results):
            yield start + offset, result


def _results(future: Future[Any], batch: Sequence[Article]) -> list[Prepared | Failure]:
    """The task's results; its articles failed if it killed every worker it ran on.

    Raises:
        ClusterError: the task was lost with the cluster (cancelled, scheduler gone).
    """
    from concurrent.futures import CancelledError

    from distributed.scheduler import KilledWorker

    from kg.prepare import Failure

    try:
        return list(future.result())
    except KilledWorker as exc:
        logger.warning("task %s killed its workers: %s", future.key, exc)
        return [
            Failure(
                article.doc_id,
                ClusterError(
                    "the worker preparing it died each time it was tried (out of memory?);"
                    " nothing stored"
                ),
            )
            for article in batch
        ]
    except (OSError, TimeoutError, CancelledError) as exc:
        raise ClusterError(
            f"lost the Dask cluster while building: {exc}; the articles stored so far stay,"
            " the next build does the rest"
        ) from exc
