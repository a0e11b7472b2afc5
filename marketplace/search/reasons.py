"""Reasons and misses in words, in the reader's language (plain B1 Dutch, English, ...).

:mod:`marketplace.search.fit` says *why* as data; this module is the only place that says it
in words. Templates use the ``reason`` and ``miss`` filters; the API and ``flask match`` call
:func:`describe` and :func:`describe_miss` directly.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal, gettext, ngettext

from marketplace.labels import label
from marketplace.places.models import Sector
from marketplace.search.fit import Miss, Reason
from marketplace.vocab import PhysicalDemand

#: km an hour, to say how long the way takes
SPEEDS = {"walk": 5.0, "bike": 15.0, "public_transport": 25.0, "car": 40.0}


def _listing(values) -> str:
    return ", ".join(str(v) for v in values)


def _km(km: float) -> str:
    return format_decimal(round(km, 1) if km < 10 else round(km), format="#,##0.#")


def describe(reason: Reason, travel_mode: str | None = None) -> str:
    """One reason as a short sentence for the newcomer or their consultant."""
    code, values = reason.code, reason.values
    if code == "skills":
        return gettext("Uses your skills: %(skills)s", skills=_listing(values))
    if code == "experience":
        return gettext("Uses your experience: %(work)s", work=_listing(values))
    if code == "education":
        return gettext("Offers what you want to learn: %(courses)s", courses=_listing(values))
    if code == "work_goal":
        return gettext("Fits the work you want: %(goals)s", goals=_listing(values))
    if code == "sector":
        return gettext(
            "In the sector you want to work in: %(sector)s",
            sector=_listing(label(Sector(v)) for v in values),
        )
    if code == "interests":
        return gettext("Fits your interests: %(interests)s", interests=_listing(values))
    if code == "prospect":
        return gettext("Can lead to a paid job")
    if code == "language":
        return gettext(
            "People there also speak %(languages)s",
            languages=_listing(label(v, "language") for v in values),
        )
    if code == "mentor":
        return gettext("A mentor helps you at the start")
    if code == "remote":
        return gettext("You can do this from home")
    if code == "distance" and reason.km is not None:
        speed = SPEEDS.get(travel_mode or "")
        if speed:
            minutes = max(5, round(reason.km / speed * 60 / 5) * 5)
            return {
                "walk": gettext("%(km)s km away, about %(minutes)d minutes on foot"),
                "bike": gettext("%(km)s km away, about %(minutes)d minutes by bike"),
                "public_transport": gettext(
                    "%(km)s km away, about %(minutes)d minutes by public transport"
                ),
                "car": gettext("%(km)s km away, about %(minutes)d minutes by car"),
            }[travel_mode or ""] % {"km": _km(reason.km), "minutes": minutes}
        return gettext("%(km)s km away", km=_km(reason.km))
    return code


def describe_miss(miss: Miss) -> str:
    """Why a place is not shown, kindly and exactly ("Needs Dutch at B1; you have A2")."""
    code = miss.code
    if code == "closed":
        return gettext("This place is not open now.")
    if code == "full":
        return gettext("This place is full at the moment.")
    if code == "dutch":
        return gettext(
            "Needs Dutch at level %(needed)s; you have %(has)s.",
            needed=_level(miss.needed),
            has=_level(miss.has),
        )
    if code == "hours":
        return ngettext(
            "Needs at least %(num)d hour a week; you have %(has)d.",
            "Needs at least %(num)d hours a week; you have %(has)d.",
            int(miss.needed or 0),
            has=int(miss.has or 0),
        )
    if code == "schedule":
        return gettext(
            "The work is on %(needed)s; you are free on %(has)s.",
            needed=_listing(label(v, "schedule").lower() for v in miss.needed or ()) or "-",
            has=_listing(label(v, "schedule").lower() for v in sorted(miss.has or ())) or "-",
        )
    if code == "distance":
        if miss.needed is None:
            return gettext("We cannot tell how far it is from where you live.")
        return gettext(
            "It is %(km)s km away; you travel at most %(most)s km.",
            km=_km(float(miss.needed)),
            most=_km(float(miss.has or 0)),
        )
    if code == "physical":
        return gettext(
            "The work is physically %(needed)s; you can do %(has)s work.",
            needed=_load(miss.needed),
            has=_load(miss.has),
        )
    return code


def _load(value) -> str:
    return {
        PhysicalDemand.LIGHT: gettext("light"),
        PhysicalDemand.MODERATE: gettext("moderate"),
        PhysicalDemand.HEAVY: gettext("heavy"),
    }[PhysicalDemand(value)]


def _level(value) -> str:
    return gettext("no Dutch") if value in (None, "none") else str(value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["reason"] = describe
    app.jinja_env.filters["miss"] = describe_miss
