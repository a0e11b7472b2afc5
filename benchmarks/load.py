"""A bounded load test: gunicorn with 4 workers in production mode, a realistic mix of users.

    .venv/bin/python benchmarks/load.py                        # SQLite file, 20 s, 12 users
    .venv/bin/python benchmarks/load.py --postgres             # its own throw-away PostgreSQL
    .venv/bin/python benchmarks/load.py --postgres-server "$TEST_POSTGRES_URL"
    .venv/bin/python benchmarks/load.py --duration 60 --users 24 --places 1000 --json out.json

It prepares a fresh database (migrations, postcodes, ``--places`` generated places and
newcomers, the demo with ``--demo``, one account per virtual user; ``load_data.py``), starts
``gunicorn -w 4 wsgi:app`` with ``APP_ENV=production``, a random ``SECRET_KEY``,
``TRUSTED_HOSTS=127.0.0.1`` and a self-signed certificate (production cookies are Secure and
``__Host-``), signs the virtual users in (consultants pass the second step with their
authenticator code when the app asks for it) and runs for ``--duration`` seconds:

* visitors browse the public list, open places and search with varied words;
* newcomers open their matches, search, open places and show interest;
* consultants approve candidates of their own caseload at places with more candidates than
  spots (the approvals race for the last spot) and record check-ins on active placements.

It reports requests per second and p50/p95/p99 per action and overall, then checks the data
(``benchmarks/load_checks.py``). It exits with 1 on any error (a 5xx, a status the step does
not expect, an exception, a worker crash in the server log) or a failed check. With
``--postgres-server URL`` it creates a database of its own on that server and drops it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_checks  # noqa: E402
import load_client  # noqa: E402
import load_data  # noqa: E402
import load_server  # noqa: E402

ACTIONS = ("browse", "detail", "search", "match", "interest", "approve", "check_in")


def roles_for(users: int) -> dict[str, int]:
    """A quarter consultants, three eighths newcomers, the rest visitors (at least one each)."""
    consultants = max(1, users // 4)
    newcomers = max(1, users * 3 // 8)
    return {"consultant": consultants, "newcomer": newcomers,
            "visitor": max(1, users - consultants - newcomers)}  # fmt: skip


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values, in milliseconds."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return round(ordered[rank - 1] * 1000, 1)


def summarise(log: list, seconds: float, cpu: float = 0.0) -> dict:
    """Per action and overall: steps, outcomes, percentiles; requests/s and CPU per request."""
    rows = {}
    for name in (*ACTIONS, "overall"):
        entries = [e for e in log if name in (e.action, "overall")]
        if not entries:
            continue
        times = sorted(e.seconds for e in entries)
        rows[name] = {
            "steps": len(entries),
            "ok": sum(e.outcome == "ok" for e in entries),
            "refused": sum(e.outcome == "refused" for e in entries),
            "errors": sum(e.outcome == "error" for e in entries),
            "p50": percentile(times, 0.50), "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
        }  # fmt: skip
    requests = sum(e.requests for e in log)
    return {
        "actions": rows,
        "requests": requests,
        "requests_per_second": round(requests / seconds, 1),
        "steps_per_second": round(len(log) / seconds, 1),
        "worker_cpu_ms_per_request": round(cpu * 1000 / max(requests, 1), 1),
        "seconds": round(seconds, 1),
    }


def table(summary: dict) -> str:
    """The Markdown table of one run, and its throughput."""
    lines = [
        "| action | steps | ok | refused | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in summary["actions"].items():
        label = f"**{name}**" if name == "overall" else name
        cells = [
            label,
            *(row[k] for k in ("steps", "ok", "refused", "errors", "p50", "p95", "p99")),
        ]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    lines.append(
        f"\n{summary['requests']} HTTP requests in {summary['seconds']} s: "
        f"**{summary['requests_per_second']} requests/s**, {summary['steps_per_second']} steps/s; "
        f"the workers used {summary['worker_cpu_ms_per_request']} ms CPU per request."
    )
    return "\n".join(lines)


def machine() -> dict:
    """CPUs, CPU model, memory and Python of this machine, for the figures."""
    info = dict(
        line.split(":", 1) for line in Path("/proc/cpuinfo").read_text().splitlines() if ":" in line
    )
    memory = Path("/proc/meminfo").read_text().split("MemTotal:", 1)[1].split()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu": info.get("model name\t", platform.processor()).strip(),
        "memory_gib": round(int(memory) / 2**20, 1),
        "python": platform.python_version(),
    }


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def run(args: argparse.Namespace, workdir: Path) -> dict:
    roles = roles_for(args.users)
    result: dict = {"machine": machine(), "roles": roles, "duration": args.duration}
    result["load_before"], result["phases"] = load_average(), {}
    started = last = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal last
        result["phases"][name] = round(time.perf_counter() - last, 1)
        last = time.perf_counter()

    with ExitStack() as stack:
        if args.postgres:
            server = stack.enter_context(load_server.postgres_cluster())
            url = stack.enter_context(load_server.fresh_database(server))
        elif args.postgres_server:
            url = stack.enter_context(load_server.fresh_database(args.postgres_server))
        else:
            url = args.database_url or f"sqlite:///{workdir / 'load.sqlite3'}"
        result["backend"] = "postgresql" if url.startswith("postgresql") else "sqlite"
        app = load_data.make_app(load_server.app_settings(workdir, url))
        stack.callback(lambda: app.extensions["db"].engine.dispose())
        with load_server.gunicorn(workdir, url, args.workers) as server:
            plan = load_data.prepare(app, workdir, roles, args.places, args.seed, args.demo)
            result["setup_seconds"] = plan.pop("setup_seconds")
            phase("setup")
            server.wait_until_up()
            phase("server start (after the setup)")
            logins, log, seconds, cpu = load_client.run_users(
                server, plan, roles, args.duration, args.seed
            )
            phase("sign-ins and load")
            result["load_after"] = load_average()
        phase("server stop")
        result["logins"] = summarise(logins, 1)["actions"].get("overall")
        result["summary"] = summarise(log, seconds, cpu)
        errors = [e for e in [*logins, *log] if e.outcome == "error"]
        result["error_kinds"] = dict(Counter(_kind(e) for e in errors))
        result["errors"] = [asdict(e) for e in errors[:20]]
        result["server_problems"] = load_server.server_log_problems(workdir)[:20]
        result["checks"] = load_checks.check_data(app, log)
        phase("checks")
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    return result


def report(args: argparse.Namespace, result: dict) -> str:
    """The table and the facts around it, in Markdown for docs/performance.md."""
    checks, m, signed = result["checks"], result["machine"], result["logins"]
    index = "at once" if checks["index_agrees_at_once"] else "after one catch-up"
    return (
        f"## {result['backend']}: {args.users} users {result['roles']}, {args.duration:g} s, "
        f"{args.workers} workers, {args.places} generated places\n\n{table(result['summary'])}\n\n"
        f"Sign-ins before the run (all at once): {signed['steps']}, p50 {signed['p50']} ms, "
        f"errors {signed['errors']}.\n"
        f"Confirmed writes: {checks['confirmed']}; lost: "
        f"{sum(len(checks[k]) for k in ('lost_interests', 'lost_approvals', 'lost_check_ins'))}; "
        f"over-booked places: {len(checks['overbooked'])}.\n"
        f"Search index: {checks['index_documents']} documents, agrees with the database {index}.\n"
        f"Setup {result['setup_seconds']}; phases {result['phases']}; "
        f"whole run {result['total_seconds']} s.\n"
        f"Load average before {result['load_before']}, after {result['load_after']}.\n"
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gib']} GiB, Python {m['python']}."
    )


def _kind(entry) -> str:
    """An error's action and what went wrong: ``check_in: status 503``, ``search: ReadTimeout``."""
    what = f"status {entry.status}" if entry.status else entry.detail.split(":")[0]
    return f"{entry.action}: {what}"


def verdict(result: dict) -> list[str]:
    problems = [f"{count} x {kind}" for kind, count in result["error_kinds"].items()]
    problems += [
        f"for example {e['action']} ({e['role']}): {e['detail']}" for e in result["errors"][:5]
    ]
    if result["logins"] and result["logins"]["errors"]:
        problems.append(f"{result['logins']['errors']} sign-ins failed")
    problems += [f"server log: {line}" for line in result["server_problems"]]
    return problems + load_checks.failures(result["checks"])


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of load (20)")
    parser.add_argument("--users", type=int, default=12, help="virtual users (12)")
    parser.add_argument("--places", type=int, default=300, help="generated places (300)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--demo", action="store_true", help="load the demo data too")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true", help="start a throw-away cluster")
    where.add_argument("--postgres-server", metavar="URL", help="make and drop a database there")
    where.add_argument("--database-url", metavar="URL", help="an empty database to use as is")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    workdir = Path(tempfile.mkdtemp(prefix="load-run."))
    try:
        result = run(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    problems = verdict(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
    print(report(args, result))
    for line in problems:
        print("FAILED:", line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
