"""`flask search ...` (rebuild, status, sync the index) and `flask match REF` (best places)."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from config import Config
from marketplace import clock
from marketplace.db import session
from marketplace.newcomers.services import profile_by_ref
from marketplace.places.services import places_by_id
from marketplace.search.agreement import status
from marketplace.search.index import RebuildRunning, get_index, rebuild
from marketplace.search.matching import matches_for
from marketplace.search.output import matches_document
from marketplace.search.sync import apply_outbox

search_cli = AppGroup("search", help="The search index of this host.")


@search_cli.command("rebuild")
@click.option(
    "--procs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Processes that analyse the places (2 on 2 cores: about 40% faster).",
)
@click.option(
    "--if-outdated",
    is_flag=True,
    help="Only when the index was built with another schema or language analysis.",
)
def rebuild_command(procs: int, if_outdated: bool) -> None:
    """Build the index anew beside the old one and swap it in; searches go on meanwhile."""
    if if_outdated and get_index().built_as_now():
        click.echo("The index is built as this version builds it; nothing to do.")
        return
    try:
        result = rebuild(session, clock.today(), procs=procs)
    except RebuildRunning as error:
        raise click.ClickException(str(error)) from None
    caught_up = apply_outbox(session, clock.today())
    click.echo(
        f"Indexed {result.documents} public places (of {result.places_read} published) "
        f"in {result.seconds:.2f} s into {result.generation}; "
        f"then applied {caught_up.entries} outbox entries made meanwhile."
    )


@search_cli.command("status")
def status_command() -> None:
    """Show the documents, the pending outbox and whether index and database agree.

    Exits with status 1 when they do not agree, so a monitor can call it.
    """
    report = status(session)
    click.echo(f"Host: {report.host}")
    click.echo(f"Index generation: {report.generation}")
    click.echo(f"Documents: {report.documents}")
    click.echo(f"Pending outbox entries: {report.pending}")
    click.echo(f"Index agrees with the database: {'yes' if report.agrees else 'no'}")
    if not report.schema_current:
        click.echo("  the index was built with another schema: run `flask search rebuild`")
    for label, ids in (
        ("public places missing from the index", report.missing),
        ("documents of places that are not public", report.extra),
        ("documents of an older version of the place", report.stale),
    ):
        if ids:
            click.echo(f"  {label} ({len(ids)}): {_ids(ids)}")
    if not report.agrees:
        raise SystemExit(1)


@search_cli.command("sync")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for the index.")
def sync_command(timeout: float) -> None:
    """Apply the outbox to the index now (for a cron job or a dedicated indexer process)."""
    result = apply_outbox(session, clock.today(), timeout=timeout)
    if result.busy:
        raise click.ClickException(
            f"The index stayed busy for {timeout:g} s; the entries wait for the next run."
        )
    click.echo(
        f"Applied {result.entries} outbox entries: {result.updated} documents written, "
        f"{result.deleted} removed; cursor at {result.position}."
    )


def _ids(ids: list[int], shown: int = 20) -> str:
    text = ", ".join(str(i) for i in ids[:shown])
    return text + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


@click.command("match")
@click.argument("ref")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="The exchange format's JSON shape.")
@click.option(
    "--lang",
    default="en",
    show_default=True,
    type=click.Choice(Config.LANGUAGES),
    help="Language of the reasons.",
)
def match_command(ref: str, limit: int, as_json: bool, lang: str) -> None:
    """The best places for the newcomer with this REF, best first, with reasons."""
    profile = profile_by_ref(session, ref)
    if profile is None:
        raise click.ClickException(f"No newcomer with ref {ref!r}.")
    apply_outbox(session, clock.today())
    matches = matches_for(session, profile, clock.today(), limit)
    places = places_by_id(session, [m.place_id for m in matches])
    with force_locale(lang):
        document = matches_document(profile, matches, places)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if not matches:
        click.echo(f"No place fits {document['newcomer']} now (every hard constraint is kept).")
        return
    click.echo(f"{'#':>3}  {'place':<16} {'score':>5}  {'km':>5}  title / reasons")
    for n, (match, row) in enumerate(zip(matches, document["matches"], strict=True), 1):
        km = f"{match.km:5.1f}" if match.km is not None else "     "
        title = places[match.place_id].title
        click.echo(f"{n:>3}  {row['place']:<16} {row['score']:>5.2f}  {km}  {title[:60]}")
        for reason in row["reasons"]:
            click.echo(f"{'':>36}- {reason}")
