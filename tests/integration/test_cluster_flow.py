"""`kg.cluster.prepare_on_cluster` on a real in-process Dask cluster with a hand-built task:
however many articles and however slow the writer, at most `IN_FLIGHT_PER_THREAD` tasks per
worker thread are out at a time, and no result stays on the cluster once it was taken (the
two things that keep a long `kg build --cluster` flat in memory)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import kg.cluster_worker
from kg.articles import make_article
from kg.cluster import IN_FLIGHT_PER_THREAD, prepare_on_cluster
from kg.prepare import Failure, Prepared
from kg.records import Article

pytestmark = pytest.mark.slow

PREFIX = "newskg-prepare-"


def _fake_prepare(articles: list[Article], model: str, base_iri: str) -> list[Prepared | Failure]:
    """Stands for `prepare_task`: one small update per article, no pipeline."""
    return [
        Prepared(a.doc_id, f"{base_iri}graph/{a.doc_id}", f"# {model} {a.text}", {"triples": 1})
        for a in articles
    ]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(  # threads of this process (inproc://), HTTP on 127.0.0.1
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address="127.0.0.1:0",
        ) as local,
        Client(local) as running,
    ):
        yield running


def _articles(count: int) -> list[Article]:
    return [
        make_article(f"Article number {i}.", {}, doc_id=f"a{i:04d}", file=None)
        for i in range(count)
    ]


def _cluster_keys(client: Any) -> set[str]:
    """The keys of prepare tasks the scheduler still holds (their results stay in memory)."""

    def held(dask_scheduler: Any) -> list[str]:
        return [str(key) for key in dask_scheduler.tasks if str(key).startswith(PREFIX)]

    return set(client.run_on_scheduler(held))


@pytest.mark.parametrize("task_size", [1, 4])
def test_cluster_flow_bounds_the_tasks_in_flight(
    client: Any, monkeypatch: pytest.MonkeyPatch, task_size: int
) -> None:
    monkeypatch.setattr(kg.cluster_worker, "prepare_task", _fake_prepare)
    submitted: list[str] = []
    submit = client.submit

    def counting_submit(*args: Any, **kwargs: Any) -> Any:
        future = submit(*args, **kwargs)
        submitted.append(str(future.key))
        return future

    monkeypatch.setattr(client, "submit", counting_submit)
    articles = _articles(60)
    limit = IN_FLIGHT_PER_THREAD * sum(client.nthreads().values())
    taken: set[int] = set()
    seen: set[int] = set()
    for index, result in prepare_on_cluster(
        client, articles, model="m", base_iri="http://x/", task_size=task_size
    ):
        seen.add(index)
        taken.add(index // task_size)  # every task up to this one has been taken
        assert isinstance(result, Prepared)
        assert result.doc_id == articles[index].doc_id
        assert len(submitted) - len(taken) <= limit
    assert seen == set(range(len(articles)))
    assert len(submitted) == len(set(submitted)) == -(-len(articles) // task_size)


def test_cluster_flow_keeps_no_result_once_taken(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setattr(kg.cluster_worker, "prepare_task", _fake_prepare)
    results = prepare_on_cluster(client, _articles(40), model="m", base_iri="http://x/")
    for _ in range(20):  # half way: the tasks taken so far are released (not only at the end)
        next(results)
    assert len(_cluster_keys(client)) <= IN_FLIGHT_PER_THREAD * sum(client.nthreads().values())
    assert sum(1 for _ in results) == 20
    # the release of the last task reaches the scheduler asynchronously
    deadline = time.monotonic() + 60
    while _cluster_keys(client) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _cluster_keys(client) == set()
