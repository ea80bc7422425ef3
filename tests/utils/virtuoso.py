"""A throwaway Virtuoso Open Source server (Debian `virtuoso-opensource`) for the remote-store
tests: `virtuoso-t +foreground` over its own virtuoso.ini in a temporary folder, both ports on
127.0.0.1, stopped by killing its process group.

Updates go through Virtuoso's authenticated endpoint `/sparql-auth` (HTTP Digest) as a user made
at start with `isql-vt` and granted `SPARQL_UPDATE`, the set-up docs/stores.md tells users to
make; the anonymous `/sparql` stays read-only, as Virtuoso ships it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kg.config import Settings
from kg.store import RemoteStore

#: The graphs newskg writes under the tests' base IRI; Virtuoso's own graphs are outside it.
GRAPH_PREFIX = "http://127.0.0.1:8000/graph/"
USER = "newskg"


def binaries() -> tuple[str, str] | None:
    """Paths of `virtuoso-t` and `isql-vt`, or None when the package is not installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        return None
    return server, isql


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ini(folder: Path, sql_port: int, http_port: int) -> str:
    """virtuoso.ini: data, logs and the HTTP root in `folder`; no directory outside it may be
    read by SQL file functions (DirsAllowed); no execution limit of the server's own, so the
    cancellation test sees what closing the connection does."""
    return f"""\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 6
MaxClientConnections = 6

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running server: its HTTP base URL, the updating user, and the process."""

    url: str
    user: str
    password: str
    pid: int

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.url}/sparql-auth"

    def settings(self, **changes: Any) -> Settings:
        """Settings that point newskg at this server, as docs/stores.md says."""
        values: dict[str, Any] = {
            "store_url": self.query_url,
            "store_update_url": self.update_url,
            "store_user": self.user,
            "store_password": self.password,
            "store_auth": "digest",
            "store_graph_prefix": GRAPH_PREFIX,
        }
        return Settings(**{**values, **changes})

    def environment(self) -> dict[str, str]:
        """The same as `KG_*` variables, for `kg build` and `kg serve` subprocesses."""
        return {
            "KG_STORE_URL": self.query_url,
            "KG_STORE_UPDATE_URL": self.update_url,
            "KG_STORE_USER": self.user,
            "KG_STORE_PASSWORD": self.password,
            "KG_STORE_AUTH": "digest",
            "KG_STORE_GRAPH_PREFIX": GRAPH_PREFIX,
        }

    def store(self, **changes: Any) -> RemoteStore:
        return RemoteStore.from_settings(self.settings(**changes))

    def clear(self) -> None:
        """Drop every graph newskg wrote (Virtuoso's own graphs stay)."""
        store = self.store()
        try:
            for iri in store.graph_iris():
                store.remove_graph(iri)
        finally:
            store.close()

    def cpu_ticks(self) -> int:
        """CPU time the server has used (user + system, in clock ticks), from /proc."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])


@contextlib.contextmanager
def running_virtuoso(folder: Path, server: str, isql: str) -> Iterator[Virtuoso]:
    """Start `virtuoso-t` in `folder`, wait until it answers, make the updating user, yield;
    then kill its process group (SIGTERM, SIGKILL after 30 s)."""
    sql_port, http_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_ini(folder, sql_port, http_port), encoding="utf-8")
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen(
        [server, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                answer = httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=5)
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (folder / "stdout.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"virtuoso-t did not start in {folder}:\n{tail}")
            time.sleep(0.2)
        password = secrets.token_hex(12)
        made = subprocess.run(
            [
                isql,
                f"127.0.0.1:{sql_port}",
                "dba",
                "dba",
                f"exec=DB.DBA.USER_CREATE('{USER}', '{password}'); "
                f'GRANT SPARQL_UPDATE TO "{USER}";',
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if made.returncode != 0 or "Error" in made.stdout + made.stderr:
            raise RuntimeError(f"isql-vt could not make the user: {made.stdout}{made.stderr}")
        yield Virtuoso(url, USER, password, process.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
