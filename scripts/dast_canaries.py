"""The leak scan of scripts/dast.sh (the R36 idea, on the running app): look for the seeded
canaries and secrets where they must never be.

- The server's logs (gunicorn access and error logs, the app's own log lines): no canary of
  any kind, no password, no TOTP secret, no session cookie value. The access log holds every
  address the scanners asked for, so this also proves no personal data went into a URL.
- The scanner outputs of the roles that must not see them (employer, anonymous): no
  ``private`` canary (intake, plan, ladder). Wapiti's detailed report (-dr 2) holds the body
  of every page it crawled, so this is a crawl of everything those roles could reach.
- Every scanner output: no password and no TOTP secret (the scanners never get them).

The health limits and the week schedule (the ``special`` fields) are closed vocabularies
(R33), so no free-text canary can be planted in them; R36's in-process test covers them.
It also counts the private canaries in the newcomer's and consultant's outputs: zero means the
scan never reached the pages that hold them, and the check above proves nothing (a warning).

Exit status: 0 nothing leaked, 1 a leak (the file and the kind of value are printed, never the
value itself).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESTRICTED_ROLES = ("employer", "anonymous")
ENTITLED_ROLES = ("newcomer", "consultant")


def secrets_of(seed: dict, session_dir: Path) -> dict[str, list[str]]:
    """The values to look for, by kind."""
    accounts = seed["accounts"].values()
    cookies = []
    for path in sorted(session_dir.glob("cookie-*.txt")):
        for pair in path.read_text(encoding="utf-8").split(";"):
            _, _, value = pair.strip().partition("=")
            if len(value) >= 16:  # a short value (a language code) is no secret
                cookies.append(value)
    return {
        "private canary": list(seed["canaries"]["private"]),
        "personal canary": list(seed["canaries"]["personal"]),
        "password": [a["password"] for a in accounts],
        "TOTP secret": [a["totp_secret"] for a in accounts if a.get("totp_secret")],
        "session cookie": cookies,
    }


def files_under(*paths: Path) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file())
    return found


def hits(files: list[Path], values: dict[str, list[str]]) -> list[tuple[Path, str, int]]:
    """(file, kind, how many distinct values of that kind) for every value found in a file."""
    found = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        lowered = text.lower()
        for kind, items in values.items():
            count = sum(1 for v in items if v in text or v.lower() in lowered)
            if count:
                found.append((path, kind, count))
    return found


def role_outputs(wapiti_dir: Path, role: str) -> list[Path]:
    return [p for p in (wapiti_dir / f"{role}.json", wapiti_dir / f"{role}.log") if p.exists()]


def scan(
    seed: dict, logs: Path, session_dir: Path, wapiti_dir: Path, sqlmap_dir: Path
) -> tuple[int, list[str]]:
    values = secrets_of(seed, session_dir)
    lines: list[str] = []
    leaks = []
    leaks += hits(files_under(logs), values)
    private = {"private canary": values["private canary"]}
    for role in RESTRICTED_ROLES:
        leaks += hits(role_outputs(wapiti_dir, role), private)
    credentials = {k: values[k] for k in ("password", "TOTP secret")}
    leaks += hits(files_under(wapiti_dir, sqlmap_dir), credentials)
    for path, kind, count in sorted(set(leaks)):
        lines.append(f"LEAK      {count} {kind} value(s) in {path.name} ({path.parent.name})")
    reached = hits([p for role in ENTITLED_ROLES for p in role_outputs(wapiti_dir, role)], private)
    seen = max((count for _, _, count in reached), default=0)
    total = len(values["private canary"])
    lines.append(f"canaries  {seen} of {total} private canaries reached by the entitled scans")
    if not seen:
        lines.append("WARNING   no scan reached a private canary: the leak check proves little")
    lines.append("canaries  " + ("LEAKED" if leaks else "nothing leaked"))
    return (1 if leaks else 0), lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Canary leak scan over the DAST outputs.")
    parser.add_argument("--seed", type=Path, required=True)
    parser.add_argument("--logs", type=Path, required=True)
    parser.add_argument("--session-dir", type=Path, required=True)
    parser.add_argument("--wapiti-dir", type=Path, required=True)
    parser.add_argument("--sqlmap-dir", type=Path, required=True)
    parser.add_argument("--summary", type=Path, help="append the summary to this file")
    args = parser.parse_args(argv)
    seed = json.loads(args.seed.read_text(encoding="utf-8"))
    status, lines = scan(seed, args.logs, args.session_dir, args.wapiti_dir, args.sqlmap_dir)
    text = "\n".join(lines)
    print(text)
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
