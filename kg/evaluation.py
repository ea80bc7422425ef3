"""`make eval`: build the bundled articles into a temporary store, serve them, score them.

The scorer (`../shared/eval/score.py`) reads everything through the REST API of a real server,
so this runs the real CLI and a real server, exactly as a user would, on a throwaway store.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Poll the URL until it answers, the server dies, or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--articles", type=Path, default=REPO / "data" / "articles")
    parser.add_argument("--gold", type=Path, help="gold file (default: the seeds' gold)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss and extra")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)

    score = args.eval_dir / "score.py"
    gold = args.gold or args.eval_dir / "gold_seeds.json"
    if not score.exists() or not gold.exists():
        print(f"eval: no scorer at {score} or gold at {gold}", file=sys.stderr)  # noqa: T201
        return 2
    kg = [sys.executable, "-m", "kg"]
    with tempfile.TemporaryDirectory(prefix="newskg-eval-") as tmp:
        port = free_port()
        env = {
            **os.environ,
            "KG_STORE_PATH": str(Path(tmp) / "store"),
            "KG_PORT": str(port),
            "KG_HOST": "127.0.0.1",
            "KG_BASE_IRI": f"http://127.0.0.1:{port}/",
        }
        env.pop("KG_STORE_URL", None)
        built = subprocess.run([*kg, "build", str(args.articles)], env=env, check=False)  # noqa: S603
        if built.returncode not in (0, 1, 2):
            print(f"eval: kg build crashed with code {built.returncode}", file=sys.stderr)  # noqa: T201
            return built.returncode
        server = subprocess.Popen(  # noqa: S603
            [*kg, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(f"{url}/health", server)
            command = [
                sys.executable,
                str(score),
                "--url",
                url,
                "--gold",
                str(gold),
                "--texts",
                str(args.articles),
            ]
            command += ["-v"] if args.verbose else []
            command += ["--json", str(args.json)] if args.json else []
            return subprocess.run(command, check=False).returncode  # noqa: S603
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
