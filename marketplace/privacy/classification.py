"""The data classification for the privacy officer, generated from the models (R32).

Each column's class comes from ``column.info["pii"]``; what a table is for, who sees it and
which retention rule removes it is written by hand in ``TABLES``. Retention is named by the
keys of ``retention.RULES``, never restated, so the periods live in one place.
``flask privacy classification --write docs/operations.md`` puts the result in the guide
between ``START`` and ``END``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from marketplace.encryption import Encrypted

START = "<!-- classification:start -->"
END = "<!-- classification:end -->"
CLASSES = ("none", "personal", "special", "secret")
NEWCOMER_AND_CONSULTANT = "the newcomer and their own consultant"
NOBODY = "nobody in the app (operators with database access)"


@dataclass(frozen=True)
class TableUse:
    """What one table is for, who sees it in the app, and which retention rules apply."""

    purpose: str
    seen_by: str
    rules: tuple[str, ...] = ()
    #: what happens when no rule applies
    otherwise: str = "kept"


TABLES = {
    "user_account": TableUse(
        "accounts and sign-in",
        "the person; administrators (name, e-mail, role); a newcomer's own consultant; an "
        "employer sees a newcomer's name only when the newcomer shares it",
        ("newcomer_file",),
        "staff and employer accounts are deactivated, not deleted",
    ),
    "login_attempt": TableUse("the login throttle", NOBODY, ("login_attempt",)),
    "user_session": TableUse(
        "signed-in browsers (token hashes)", NOBODY, ("user_session", "newcomer_file")
    ),
    "account_token": TableUse(
        "password-reset and invitation links (hashes)", NOBODY, ("account_token", "newcomer_file")
    ),
    "recovery_code": TableUse(
        "recovery codes of the second login step (hashes)",
        NOBODY,
        (),
        "replaced by new codes; deleted when the second step is reset",
    ),
    "audit_event": TableUse(
        "who did or read what (append-only, hash chain)",
        NOBODY + "; checked by `flask audit verify`",
        (),
        "kept; never changed (IP addresses are pseudonyms)",
    ),
    "organisation": TableUse(
        "organisations that offer places",
        "everyone (name, description, town); contact person: its own employers and the "
        "municipality's staff",
    ),
    "place": TableUse(
        "participation places and the displacement check",
        "everyone once published; before that its own employers, consultants and administrators",
        (),
        "kept; closed places stay",
    ),
    "place_review": TableUse(
        "consultants' review decisions on places",
        "the municipality's staff; the place's own employers see only the latest comment, "
        "which is kept on the place",
    ),
    "newcomer_profile": TableUse(
        "the newcomer's profile for matching",
        NEWCOMER_AND_CONSULTANT + "; an employer only the items the newcomer chose to share, "
        "after interest; never the week, hours, postcode or limits",
        ("newcomer_file",),
    ),
    "newcomer_limit": TableUse(
        "practical limits (a closed list, never a diagnosis)",
        NEWCOMER_AND_CONSULTANT + " only; every consultant read is audited",
        ("newcomer_file",),
    ),
    "profile_change": TableUse(
        "history of profile changes (before and after)",
        NEWCOMER_AND_CONSULTANT,
        ("newcomer_file",),
    ),
    "intake": TableUse("the first conversation", NEWCOMER_AND_CONSULTANT, ("newcomer_file",)),
    "ladder_step": TableUse(
        "rungs on the participation ladder", NEWCOMER_AND_CONSULTANT, ("newcomer_file",)
    ),
    "plan": TableUse(
        "the integration plan (PIP), in versions", NEWCOMER_AND_CONSULTANT, ("newcomer_file",)
    ),
    "plan_activity": TableUse(
        "the plan's agreed activities", NEWCOMER_AND_CONSULTANT, ("newcomer_file",)
    ),
    "appointment": TableUse("appointments", NEWCOMER_AND_CONSULTANT, ("newcomer_file",)),
    "placement": TableUse(
        "a newcomer at a place",
        NEWCOMER_AND_CONSULTANT + "; the place's own employers (status, dates, their reason)",
        ("newcomer_file",),
    ),
    "placement_event": TableUse(
        "each step of a placement",
        NEWCOMER_AND_CONSULTANT + "; the place's own employers",
        ("newcomer_file",),
    ),
    "check_in": TableUse(
        "progress talks during a placement",
        NEWCOMER_AND_CONSULTANT + "; the host adds its own view",
        ("check_in_notes", "newcomer_file"),
    ),
    "outcome": TableUse(
        "how a placement ended",
        NEWCOMER_AND_CONSULTANT + "; dashboards show only counts",
        ("newcomer_file",),
    ),
    "follow_up": TableUse(
        "the situation 3, 6 and 12 months later",
        NEWCOMER_AND_CONSULTANT + "; dashboards show only counts",
        ("newcomer_file",),
    ),
    "feedback": TableUse(
        "newcomers' feedback on places and on the service",
        "the newcomer who gave it; consultants see figures per place only when enough "
        "newcomers answered; the host never sees who answered or the comment",
        ("feedback", "newcomer_file"),
    ),
    "notice": TableUse(
        "messages and reminders", "the person addressed", ("notice", "newcomer_file")
    ),
    "erasure_request": TableUse(
        "requests to erase a newcomer's data", NEWCOMER_AND_CONSULTANT, ("newcomer_file",)
    ),
    "import_run": TableUse("a record of each `flask data import`", NOBODY),
    "postcode_area": TableUse("postcode areas (GeoNames) for distances", "used by everyone"),
    "search_outbox": TableUse("changes waiting for the search index (ids only)", NOBODY),
    "search_index_cursor": TableUse("each host's place in the search outbox", NOBODY),
}


def _classes(table: sa.Table) -> dict[str, str]:
    classes = {}
    for column in table.columns:
        found = column.info.get("pii")
        if found not in CLASSES:
            raise ValueError(f"{table.name}.{column.name} has no class in info['pii'] (R32)")
        classes[column.name] = found
    return classes


def _shown(column: sa.Column, kind: str) -> str:
    return f"{kind}, encrypted (R39)" if isinstance(column.type, Encrypted) else kind


def _retention(use: TableUse, rule_names: set[str]) -> str:
    unknown = [name for name in use.rules if name not in rule_names]
    if unknown:
        raise ValueError(f"not retention rules: {', '.join(unknown)}")
    named = ", ".join(f"`{name}`" for name in use.rules)
    return named or use.otherwise


def classification_markdown(
    metadata: sa.MetaData | None = None, uses: dict[str, TableUse] | None = None
) -> str:
    """The classification as Markdown: a summary, then each table's columns and classes."""
    from marketplace.privacy.retention import RULES

    if metadata is None:
        import marketplace.models  # noqa: F401  (every table on the metadata)
        from marketplace.db import Base

        metadata = Base.metadata
    uses = TABLES if uses is None else uses
    names = sorted(metadata.tables)
    undescribed = [name for name in names if name not in uses]
    if undescribed:
        raise ValueError(f"describe these tables in classification.TABLES: {undescribed}")
    rule_names = {rule.key for rule in RULES}
    lines = [
        "| table | personal | special | secret | purpose | who sees it in the app | retention |",
        "|---|---|---|---|---|---|---|",
    ]
    details = []
    for name in names:
        classes = _classes(metadata.tables[name])
        use = uses[name]
        counts = [sum(1 for c in classes.values() if c == kind) for kind in CLASSES[1:]]
        retention = _retention(use, rule_names)
        lines.append(
            f"| `{name}` | {' | '.join(map(str, counts))} | {use.purpose} | {use.seen_by} "
            f"| {retention} |"
        )
        details += ["", f"#### `{name}`", "", "| column | class |", "|---|---|"]
        table = metadata.tables[name]
        details += [f"| `{c}` | {_shown(table.c[c], kind)} |" for c, kind in classes.items()]
    return "\n".join(lines + details) + "\n"


def replace_section(text: str, generated: str) -> str:
    """``text`` with what stands between the markers replaced by ``generated``."""
    head, start, rest = text.partition(START)
    _old, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"the file needs the lines {START} and {END}")
    return f"{head}{START}\n{generated}{END}{tail}"


def write_into(path: Path) -> bool:
    """Rewrite the classification between the markers in ``path``; True when it changed."""
    text = path.read_text(encoding="utf-8")
    updated = replace_section(text, classification_markdown())
    if updated == text:
        return False
    path.write_text(updated, encoding="utf-8")
    return True
