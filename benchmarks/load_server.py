"""The servers of the load test: gunicorn over TLS in production mode, and PostgreSQL.

Used by ``benchmarks/load.py``; nothing here measures. The gunicorn server runs the real
production configuration (``APP_ENV=production``, a random ``SECRET_KEY``, Secure
``__Host-`` cookies), so it speaks HTTPS with a throw-away self-signed certificate.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
#: the search index cursor's host name, the same in the setup process and in every worker
SEARCH_HOST = "load-test"
#: the data key of the setup process and the workers (production refuses the development key)
DATA_KEY = Fernet.generate_key().decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(workdir: Path) -> tuple[Path, Path]:
    """A P-256 key and a one-day certificate for 127.0.0.1 (cheap TLS handshakes)."""
    key, cert = workdir / "key.pem", workdir / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert),
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def app_settings(workdir: Path, database_url: str) -> dict[str, str]:
    """The settings the setup process and the workers share (the same database and index)."""
    return {
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(workdir / "index"),
        "SEARCH_HOST_NAME": SEARCH_HOST,
        "MAIL_OUTBOX_DIR": str(workdir / "mail"),
        "DATA_ENCRYPTION_KEYS": DATA_KEY,
    }


class Server:
    """A started gunicorn: its address, the certificate to trust, and a wait for readiness."""

    def __init__(self, process: subprocess.Popen, url: str, cert: Path, log: Path):
        self.process, self.url, self.cert, self.log = process, url, cert, log

    def wait_until_up(self, seconds: float = 90) -> None:
        """Until the public list answers 200 (the workers boot while the data is prepared)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start:\n{self.log.read_text()[-3000:]}")
            try:
                with requests.Session() as probe:
                    probe.trust_env = False  # REQUESTS_CA_BUNDLE would replace our certificate
                    answer = probe.get(self.url + "/places", verify=str(self.cert), timeout=10)
                    if answer.status_code == 200:
                        return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s")

    def worker_cpu_seconds(self) -> float:
        """CPU time the workers used so far: a figure a busy machine does not inflate much."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        total = 0
        for pid in children:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:  # a worker that was just replaced
                continue
            total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
        return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn(workdir: Path, database_url: str, workers: int = 4):
    """Start ``gunicorn -w N wsgi:app`` in production mode over HTTPS; yields a ``Server``.

    The workers only touch the database when a request comes, so they may boot while the
    data is still being prepared; call ``wait_until_up`` before the first request.
    """
    key, cert = self_signed_certificate(workdir)
    port = free_port()
    env = {
        **os.environ,
        **app_settings(workdir, database_url),
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "TRUSTED_HOSTS": "127.0.0.1",
        "PUBLIC_URL": f"https://127.0.0.1:{port}",
    }
    log_path = workdir / "gunicorn.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [str(GUNICORN), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--certfile", str(cert),
         "--keyfile", str(key), "--timeout", "60", "--graceful-timeout", "5",
         "--no-control-socket", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield Server(process, f"https://127.0.0.1:{port}", cert, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def server_log_problems(workdir: Path) -> list[str]:
    """The lines of the gunicorn log that tell of a crash, a timeout or a traceback."""
    path = workdir / "gunicorn.log"
    words = ("Traceback", "WORKER TIMEOUT", "[ERROR]", "[CRITICAL]", "was sent SIGKILL")
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if any(w in line for w in words)]


# ---- PostgreSQL ---------------------------------------------------------------------------


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise SystemExit("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin)")
    return found[-1]


@contextmanager
def postgres_cluster():
    """A throw-away cluster on 127.0.0.1 (initdb as the postgres user); yields a server URL."""
    pg_bin, tmp = _pg_bin(), Path(tempfile.mkdtemp(prefix="load-pg."))
    shutil.chown(tmp, "postgres", "postgres")
    port = free_port()

    def as_postgres(*args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], cwd=tmp, check=True, capture_output=True
        )

    data = str(tmp / "data")
    options = (
        f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    try:
        as_postgres(str(pg_bin / "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        log = str(tmp / "server.log")
        as_postgres(str(pg_bin / "pg_ctl"), "-D", data, "-l", log, "-w", "-t", "60", "-o", options,
                    "start")  # fmt: skip
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(pg_bin / "pg_ctl"), "-D", data, "-m", "fast",
             "-w", "stop"], cwd=tmp, capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def fresh_database(server_url: str):
    """A new, empty database on this server for the run; dropped afterwards. Yields its URL."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"load_{secrets.token_hex(4)}"
    plain = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # a generated name, never user input
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
