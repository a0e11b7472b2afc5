"""``flask geo ...``: import the GeoNames postcode areas and measure distances between them."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from marketplace.db import session
from marketplace.geo.importer import (
    clean_geonames,
    fetch_geonames,
    import_postcodes,
    lines_from_zip,
)
from marketplace.geo.models import PostcodeArea
from marketplace.geo.services import distance_km, locate, parse_pc4

geo_cli = AppGroup("geo", help="Dutch postcode areas (GeoNames): import them, measure distances.")


def _read_lines(path: Path | None) -> list[str]:
    """The lines of a local NL.txt or NL.zip, or of the download when no path is given."""
    try:
        if path is None:
            return fetch_geonames(current_app.config["GEONAMES_URL"])
        if path.suffix.lower() == ".zip":
            return lines_from_zip(path.read_bytes(), source=str(path))
        return path.read_text(encoding="utf-8-sig").split("\n")
    except (RuntimeError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc


@geo_cli.command("import")
@click.argument(
    "path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--verbose", "-v", is_flag=True, help="List every dropped row.")
@click.option("--if-empty", is_flag=True, help="Do nothing when postcode areas are loaded already.")
def import_command(path: Path | None, verbose: bool, if_empty: bool) -> None:
    """Replace the postcode areas by GeoNames NL.txt/NL.zip at PATH, or download it."""
    if if_empty and session.scalar(sa.select(sa.func.count()).select_from(PostcodeArea)):
        click.echo("Postcode areas are loaded already.")
        return
    try:
        data = clean_geonames(_read_lines(path))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if not data.areas:
        raise click.ClickException("The file holds no postcode rows; nothing was imported.")
    count = import_postcodes(session, data.areas)
    session.commit()
    click.echo(f"Imported {count:,} postcode areas (dropped {len(data.dropped)} stray rows).")
    if verbose:
        for row in data.dropped:
            click.echo(f"  dropped {row.pc4} {row.place_name}: {row.reason}")
    if data.unresolved:
        codes = ", ".join(data.unresolved)
        click.echo(f"Warning: rows far apart, kept and averaged for: {codes}", err=True)


@geo_cli.command("distance")
@click.argument("a")
@click.argument("b")
def distance_command(a: str, b: str) -> None:
    """Print the distance in km between two postcodes, such as 3511AB and 3811 (PC4)."""
    codes = [parse_pc4(text) for text in (a, b)]
    for text, pc4 in zip((a, b), codes, strict=True):
        if pc4 is None:
            raise click.ClickException(f"{text!r} is not a Dutch postcode.")
    for pc4 in codes:
        if locate(session, pc4) is None:
            raise click.ClickException(
                f"Postcode area {pc4} is unknown; import the postcode data with: flask geo import"
            )
    click.echo(f"{distance_km(session, *codes):.1f} km")
