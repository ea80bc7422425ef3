"""Several processes serve one store: `kg serve --workers N` (`serve_processes`).

    kg serve (the parent) ── the one writer: the store opened read-write, the full app on a
       │                     unix socket in a private folder (ServeRuntime), never on TCP
       ├── reader 1 ┐  N processes sharing the listening TCP socket (the kernel spreads the
       ├── …        │  connections); each opens the store read-only, has its own query workers
       └── reader N ┘  (api.executor), answers every read, and forwards every write

Writes go through one writer: a reader forwards every request that may write (any method but
GET, HEAD and OPTIONS, except a SPARQL query POSTed to /sparql) to the writer's unix socket,
and streams the writer's answer back unchanged (`WriteForwarder`). The writer publishes its
write count (`kg.store.generation.SharedGeneration`) before it answers; each reader checks it at
the start of every request and, when it moved, reopens its read-only store and runs any other
hook registered on `app.state.generation_watch`, so a client sees its own write at once, from
any reader. Query workers compare the same count and reopen too.

A reader that dies is restarted by the parent; stopping the parent (SIGINT, SIGTERM) stops the
readers and removes the private folder.

Read-only RocksDB next to a writer is what pyoxigraph calls undefined behaviour; the route taken
here is proof under load, not a documented guarantee: tests/reliability/test_readers_under_writes.py
(readers answering through 1,000 article writes with the store compacting, zero errors, every
answer whole) and README "Several processes".
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.fastpath import SPARQL_PATHS
from api.headers import uvicorn_limits
from api.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from api.sparql import FORM, UPDATE_MEDIA_TYPE
from kg.config import Settings
from kg.errors import StoreError
from kg.process import die_with_parent
from kg.store.generation import SharedGeneration

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess
    from types import FrameType

__all__ = [
    "ServeRuntime",
    "WriteForwarder",
    "reader_main",
    "serve_processes",
]

logger = logging.getLogger(__name__)
#: uvicorn's logger, for the start-up line that says where the server answers.
_announce = logging.getLogger("uvicorn.error")

#: Methods a reader answers itself; any other goes to the writer.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"transfer-encoding", b"upgrade", b"proxy-connection", b"te"}
)
#: Seconds between two looks at the readers (a dead one is restarted).
SUPERVISE_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class ServeRuntime:
    """The private folder of one `kg serve --workers N`: the writer's socket, the generation."""

    directory: Path

    @property
    def writer_socket(self) -> Path:
        return self.directory / "writer.sock"

    @property
    def generation_file(self) -> Path:
        return self.directory / "generation"


def _problem(status: int, title: str, detail: str, code: str, path: str) -> bytes:
    import json

    body = {"type": PROBLEM_BASE + code, "title": title, "status": status, "detail": detail,
            "instance": path}  # fmt: skip
    return json.dumps(body, separators=(",", ":")).encode()


class WriteForwarder:
    """The reader's side of "writes go through one writer" (module docstring).

    Args:
        app: the reader's own app, for everything it answers itself.
        runtime: where the writer's unix socket is.
        max_body_bytes: how much of a form POST to /sparql is read to tell a query (answered
            here) from an update (forwarded); a larger body is left to the app's 413.
    """

    def __init__(self, app: ASGIApp, *, runtime: ServeRuntime, max_body_bytes: int) -> None:
        self.app = app
        self.runtime = runtime
        self.max_body_bytes = max_body_bytes
        self._client: httpx.AsyncClient | None = None

    def forwards(self, scope: Scope) -> bool:
        """Whether the request may write (form POSTs to /sparql are decided on their body)."""
        if scope["type"] != "http" or scope["method"] in READ_METHODS:
            return False
        if scope["path"] in SPARQL_PATHS and scope["method"] == "POST":
            return _media_type(scope) in (UPDATE_MEDIA_TYPE, FORM)
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] in SPARQL_PATHS and _media_type(scope) == FORM:
            body, complete = await _read_some(receive, self.max_body_bytes)
            replay = _replaying(body, complete, receive)
            params = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            if not complete or not any(name == "update" for name, _ in params):
                await self.app(scope, replay, send)  # a query, or a body for the app's 413
                return
            await self.forward(scope, replay, send)
            return
        await self.forward(scope, receive, send)

    async def forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the request to the writer and stream its answer back unchanged."""
        if self._client is None:
            transport = httpx.AsyncHTTPTransport(uds=str(self.runtime.writer_socket))
            self._client = httpx.AsyncClient(
                transport=transport,
                timeout=httpx.Timeout(connect=10.0, read=None, write=None, pool=None),
            )
        target = scope["raw_path"].decode("latin-1") or scope["path"]
        if scope["query_string"]:
            target += "?" + scope["query_string"].decode("latin-1")
        headers = [(k, v) for k, v in scope["headers"] if k not in _HOP_BY_HOP]

        async def body() -> AsyncIterator[bytes]:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                yield message.get("body", b"")
                if not message.get("more_body", False):
                    return

        request = self._client.build_request(
            scope["method"], "http://writer" + target, headers=headers, content=body()
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TransportError as exc:
            logger.error("the writer process did not answer a forwarded write: %s", exc)
            detail = (
                "the writing process of this server did not answer; nothing was written;"
                " try again (see the server's log)"
            )
            payload = _problem(503, "Store unavailable", detail, "store", scope["path"])
            await send({"type": "http.response.start", "status": 503, "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(payload)).encode()),
            ]})  # fmt: skip
            await send({"type": "http.response.body", "body": payload})
            return
        try:
            raw = [(k.lower(), v) for k, v in response.headers.raw if k.lower() not in _HOP_BY_HOP]
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": raw})  # fmt: skip
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _media_type(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return str(value.decode("latin-1")).split(";", 1)[0].strip().lower()
    return ""


async def _read_some(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The body, up to a little over `limit` bytes; whether it is complete."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > limit:
            return b"".join(chunks), False


def _replaying(body: bytes, complete: bool, receive: Receive) -> Receive:
    """A `receive` that gives `body` again (once), then the rest of the request."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()  # the rest of the body, or a disconnect when the client goes

    return replay


class GenerationPublisher:
    """The writer's side: publish the store's write count before any answer starts, so the
    writes it answers for are visible to every reader by the time the client reads it."""

    def __init__(self, shared: SharedGeneration, generation: Callable[[], int]) -> None:
        self.shared = shared
        self.generation = generation
        self._published = shared.read()

    def publish(self) -> None:
        current = self.generation()
        if current != self._published:
            self.shared.publish(current)
            self._published = current

    def wrap(self, send: Send) -> Send:
        async def publishing(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.publish()
            await send(message)

        return publishing


# --- processes ------------------------------------------------------------------------------


def reader_main(settings: Settings, sock: socket.socket, runtime: ServeRuntime) -> None:
    """One reading process: the app in reader mode, serving the shared socket until stopped.

    It asks the kernel for SIGTERM when its parent dies (`PR_SET_PDEATHSIG`), so a writer
    killed with SIGKILL leaves no reader holding the port.
    """
    import uvicorn

    die_with_parent()

    from api.main import create_app

    app = create_app(settings, role="reader", runtime=runtime)
    config = uvicorn.Config(app, log_level="info", **uvicorn_limits(settings.max_header_bytes))
    uvicorn.Server(config).run(sockets=[sock])


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StoreError(f"cannot listen on {host}:{port}: {exc}") from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class _Readers:
    """The reading processes: started, restarted when one dies, stopped."""

    def __init__(
        self, settings: Settings, sock: socket.socket, runtime: ServeRuntime, count: int
    ) -> None:
        self.settings = settings
        self.sock = sock
        self.runtime = runtime
        self.count = count
        self._context = multiprocessing.get_context("spawn")
        self._processes: list[BaseProcess] = []
        self.stopping = threading.Event()
        self.signals: list[int] = []
        """The stop signals the writer received, raised again when all is stopped."""
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._supervise, name="kg-readers", daemon=True)

    def _spawn(self) -> BaseProcess:
        process = self._context.Process(
            target=reader_main,
            args=(self.settings, self.sock, self.runtime),
            name="kg-serve-reader",
        )
        process.start()
        return process

    def start(self) -> None:
        """Start the readers from the supervising thread, which lives as long as they must:
        a reader's `PR_SET_PDEATHSIG` fires when the *thread* that started it ends."""
        self._thread.start()

    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p.pid is not None]

    def _supervise(self) -> None:
        with self._lock:
            if self.stopping.is_set():
                return
            self._processes = [self._spawn() for _ in range(self.count)]
        _announce.info(
            "%d reading processes answer on http://%s:%d (writes go to this process)",
            self.count,
            self.settings.host,
            self.settings.port,
        )
        while not self.stopping.wait(SUPERVISE_SECONDS):
            for index, process in enumerate(self._processes):
                with self._lock:
                    if process.is_alive() or self.stopping.is_set():
                        continue
                    logger.warning(
                        "reading process %s ended (exit code %s); starting another",
                        process.pid,
                        process.exitcode,
                    )
                    self._processes[index] = self._spawn()

    def stop(self) -> None:
        with self._lock:  # no reader is being started from here on
            self.stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        for process in self._processes:
            if process.is_alive() and process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()  # SIGTERM: uvicorn finishes the answers in progress
        deadline = time.monotonic() + 15
        for process in self._processes:
            process.join(timeout=max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(timeout=5)


def serve_processes(settings: Settings, workers: int, *, log_level: str = "info") -> None:
    """Run `kg serve --workers N`: this process writes, `workers` processes read.

    Raises:
        StoreError: the port cannot be bound, or the store cannot be opened.
    """
    import uvicorn

    from api.main import create_app

    runtime = ServeRuntime(Path(tempfile.mkdtemp(prefix="kg-serve-")))
    sock = _listening_socket(settings.host, settings.port)
    shared = SharedGeneration.create(runtime.generation_file)
    readers = _Readers(settings, sock, runtime, workers)
    try:
        app = create_app(settings, role="writer", runtime=runtime)
        config = uvicorn.Config(
            app,
            uds=str(runtime.writer_socket),
            log_level=log_level,
            **uvicorn_limits(settings.max_header_bytes),
        )
        _WriterServer(config, readers).run()
    finally:
        readers.stop()
        sock.close()
        shared.close()
        shutil.rmtree(runtime.directory, ignore_errors=True)
    for sig in reversed(readers.signals):  # the exit status a signal gives, as uvicorn does
        signal.raise_signal(sig)


class _WriterServer:
    """uvicorn's server for the writer: starts the readers once the writer answers, and marks
    them stopping as soon as a stop signal arrives (a Ctrl-C reaches the readers too, and a
    reader ending then must not be restarted)."""

    def __init__(self, config: Any, readers: _Readers) -> None:
        import uvicorn

        class Server(uvicorn.Server):
            def handle_exit(self, sig: int, frame: FrameType | None) -> None:
                readers.stopping.set()
                super().handle_exit(sig, frame)
                # uvicorn raises the signal again once it has stopped, which would end this
                # process before the readers stop and the folder goes: raised after those
                self._captured_signals.remove(sig)
                readers.signals.append(sig)

        self.server = Server(config)
        self.readers = readers

    def run(self) -> None:
        def start_when_ready() -> None:
            while not self.server.started and not self.server.should_exit:
                time.sleep(0.05)
            if self.server.started and not self.readers.stopping.is_set():
                self.readers.start()

        watcher = threading.Thread(target=start_when_ready, name="kg-start-readers", daemon=True)
        watcher.start()
        self.server.run()
        watcher.join(timeout=5)
