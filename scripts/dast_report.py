"""Read the wapiti and sqlmap outputs of scripts/dast.sh and decide: pass, findings, or broken.

Wapiti's JSON report has three sections, each a map from category to a list of findings with
a ``level`` (0 info, 1 low, 2 medium, 3 high, 4 critical):
- ``vulnerabilities`` (XSS, SQL injection, missing headers, cookie flags, CSRF, ...),
- ``anomalies`` (an Internal Server Error, or a request that timed out: "Resource consumption"),
- ``additionals`` (fingerprints and other notes).
A finding of level 2 or above fails, in any section. An "Internal Server Error" anomaly fails
at any level: no input may give a 500 (R28). Lower levels are listed but pass.
A finding passes only when it matches an entry of ACCEPTED, which names the module, category,
path and the reason it is a false positive; an entry that matched nothing is reported, so the
list cannot rot.

sqlmap fails when it reports an injection point. A sqlmap run that was cut off by its time cap
before it concluded is listed as incomplete (a warning, not a finding).

Exit status: 0 clean, 1 findings, 2 a report is missing or unreadable (the run broke).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

FAIL_LEVEL = 2
ALWAYS_FAIL = {"Internal Server Error"}
LEVEL_NAMES = {0: "info", 1: "low", 2: "medium", 3: "high", 4: "critical"}


@dataclass(frozen=True)
class Accepted:
    """A named false positive: every field must match; ``reason`` says why it is not a flaw."""

    module: str
    category: str
    path: str  # a regular expression over the path (query string excluded)
    info: str  # a regular expression searched in wapiti's description
    reason: str


#: reviewed false positives, each named with its reason (none at present: wapiti's ldap module,
#: whose page-hash comparison every echoing search page fooled, is not run, see dast.sh)
ACCEPTED: tuple[Accepted, ...] = ()


@dataclass(frozen=True)
class Finding:
    role: str
    section: str
    category: str
    level: int
    module: str
    method: str
    path: str
    parameter: str
    info: str

    def line(self) -> str:
        where = f"{self.method} {self.path}" + (f" [{self.parameter}]" if self.parameter else "")
        level = LEVEL_NAMES.get(self.level, str(self.level))
        return f"{self.role:<10} {level:<8} {self.category} ({self.module}): {where}: {self.info}"

    def fails(self) -> bool:
        return self.level >= FAIL_LEVEL or self.category in ALWAYS_FAIL


def accepted_by(finding: Finding, accepted: tuple[Accepted, ...]) -> Accepted | None:
    for entry in accepted:
        if (
            entry.module == finding.module
            and entry.category == finding.category
            and re.fullmatch(entry.path, finding.path.split("?")[0])
            and re.search(entry.info, finding.info)
        ):
            return entry
    return None


def wapiti_findings(report: dict, role: str) -> list[Finding]:
    """Every finding of one wapiti JSON report, from all three sections."""
    found = []
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, items in (report.get(section) or {}).items():
            for item in items:
                found.append(
                    Finding(
                        role=role,
                        section=section,
                        category=category,
                        level=int(item.get("level", 0)),
                        module=item.get("module", ""),
                        method=item.get("method", ""),
                        path=item.get("path", ""),
                        parameter=item.get("parameter") or "",
                        info=" ".join(str(item.get("info", "")).split()),
                    )
                )
    return found


INJECTABLE = re.compile(
    r"identified the following injection point|parameter '[^']+' (?:is|appears to be) .*injectable"
    r"|is vulnerable\. Do you want to keep testing",
    re.IGNORECASE,
)
CONCLUDED = re.compile(
    r"all tested parameters do not appear to be injectable|identified the following injection",
    re.IGNORECASE,
)


def sqlmap_verdict(log_text: str) -> str:
    """'injectable', 'clean' or 'incomplete' for one sqlmap console log."""
    if INJECTABLE.search(log_text):
        return "injectable"
    if CONCLUDED.search(log_text):
        return "clean"
    return "incomplete"


def injectable_lines(log_text: str) -> list[str]:
    return [line.strip() for line in log_text.splitlines() if INJECTABLE.search(line)]


def evaluate(
    wapiti_dir: Path, sqlmap_dir: Path, roles: list[str], accepted=ACCEPTED
) -> tuple[int, list[str]]:
    """The exit status and the summary lines."""
    lines: list[str] = []
    failing: list[Finding] = []
    passing: list[tuple[Finding, str]] = []
    used: set[Accepted] = set()
    broken = False
    for role in roles:
        path = wapiti_dir / f"{role}.json"
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            lines.append(f"BROKEN    wapiti as {role}: no readable report ({error})")
            broken = True
            continue
        crawled = (report.get("infos") or {}).get("crawled_pages_nbr", "?")
        lines.append(f"wapiti    {role}: {crawled} pages crawled")
        for finding in wapiti_findings(report, role):
            entry = accepted_by(finding, accepted)
            if entry is not None:
                used.add(entry)
                passing.append((finding, f"accepted: {entry.reason}"))
            elif finding.fails():
                failing.append(finding)
            else:
                passing.append((finding, "below medium"))
    for entry in accepted:
        if entry not in used:
            lines.append(f"NOTE      accepted entry matched nothing: {entry.category} {entry.path}")
    sqlmap_failed = False
    for log in sorted(sqlmap_dir.glob("*.log")):
        text = log.read_text(encoding="utf-8", errors="replace")
        verdict = sqlmap_verdict(text)
        lines.append(f"sqlmap    {log.stem}: {verdict}")
        if verdict == "injectable":
            sqlmap_failed = True
            lines.extend(f"FINDING   sqlmap {log.stem}: {hit}" for hit in injectable_lines(text))
        elif verdict == "incomplete":
            lines.append(f"WARNING   sqlmap {log.stem} stopped before a verdict (time cap)")
    if not any(sqlmap_dir.glob("*.log")):
        lines.append("BROKEN    no sqlmap logs")
        broken = True
    lines.extend(f"pass      {f.line()} ({why})" for f, why in passing)
    lines.extend(f"FINDING   {f.line()}" for f in failing)
    if broken:
        return 2, lines
    return (1 if failing or sqlmap_failed else 0), lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wapiti-dir", type=Path, required=True)
    parser.add_argument("--sqlmap-dir", type=Path, required=True)
    parser.add_argument("--roles", required=True, help="space-separated, as the reports are named")
    parser.add_argument("--summary", type=Path, help="also write the summary to this file")
    args = parser.parse_args(argv)
    status, lines = evaluate(args.wapiti_dir, args.sqlmap_dir, args.roles.split())
    verdict = {0: "PASS", 1: "FAIL: findings", 2: "BROKEN: a scan did not complete"}[status]
    lines.append(f"dast: {verdict}")
    text = "\n".join(lines)
    print(text)
    if args.summary:
        args.summary.write_text(text + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
