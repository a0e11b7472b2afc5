"""Real server processes for the outage tests: a throw-away PostgreSQL cluster and gunicorn.

Every wait is bounded, and ``close()`` is safe to call after any failure.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
PG_WAIT_SECONDS = 30


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path:
    """The newest PostgreSQL server binaries here; without them skip (but fail under CI)."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install PostgreSQL (see .ci/run): initdb is missing.")
        pytest.skip("PostgreSQL server binaries (initdb) are not installed")

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", Path(path).parent.parent.name))

    return Path(max(found, key=version)).parent


class PostgresCluster:
    """A PostgreSQL cluster in a temporary directory, on its own port, trusting local users.

    initdb refuses to run as root, so as root every command runs as ``postgres`` (runuser).
    """

    def __init__(self) -> None:
        self.bin = postgres_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="outage-pg."))
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/app_test"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        # cwd: the postgres user cannot read root's working directory
        subprocess.run(
            command, cwd=self.dir, check=True, capture_output=True, timeout=PG_WAIT_SECONDS
        )

    def create(self) -> None:
        data = str(self.dir / "data")
        self._run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "app_test")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "server.log"),
                  "-w", "-t", str(PG_WAIT_SECONDS), "-o", options, "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def close(self) -> None:
        """Stop the server if it runs, and remove the cluster."""
        if (self.dir / "data" / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class Gunicorn:
    """``gunicorn wsgi:app`` on 127.0.0.1 with two workers, its log in a file."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int = 2) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        # no control socket: its default path in $HOME would be shared with other servers
        command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--no-control-socket",
                   "-b", f"127.0.0.1:{self.port}", "--timeout", "30", "wsgi:app"]  # fmt: skip
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def wait_until_serving(self, path: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log()}")
            try:
                if requests.get(self.url + path, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not serve {path} within {seconds} s:\n{self.log()}")

    def worker_pids(self) -> set[int]:
        """The process ids of the master's children (its workers), read from /proc."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            if int(fields[1]) == self.process.pid:
                pids.add(int(stat.parent.name))
        return pids

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
