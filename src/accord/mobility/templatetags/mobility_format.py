"""Template filters for mobility pages: times, dates and codes in plain English (issue 12).

``{{ leg.start|when:leg.from_country }}`` -> "5 March 2027, 05:12 EET";
``{{ "2027-01-19"|day }}`` -> "19 January 2027"; ``{{ leg.carriage|carriage }}`` -> "on transporters".
"""

from __future__ import annotations

import datetime as dt

from django import template

from accord.mobility.engine import localtime

register = template.Library()

CARRIAGE = {
    "own": "on its own wheels or tracks",
    "transporter": "on transporters",
    "rail": "by train",
    "ship": "by ship",
    "shuttle": "on the tunnel shuttle",
    "shuttle+transporter": "on transporters, on the tunnel shuttle",
}
MODES = {"road": "Road", "rail": "Rail", "sea": "Sea", "tunnel": "Tunnel"}
CONFIDENCE = {
    "quoted": "published figure",
    "secondary": "from a secondary source",
    "inferred": "assumed: no published figure",
}
UNITS = {"working_days": "working days", "calendar_days": "calendar days", "hours": "hours"}


def _parse(value):
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


@register.filter
def when(value, country: str = ""):
    """An ISO date-time as "5 March 2027, 05:12 EET" (the zone of ``country`` when given)."""
    moment = _parse(value)
    if moment is None:
        return value or "–"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    if country and localtime.zone_name(country):
        moment = moment.astimezone(localtime.zone(country))
        zone = moment.tzname()
    else:
        hours = (moment.utcoffset() or dt.timedelta(0)).total_seconds() / 3600
        zone = "UTC" if not hours else f"UTC{'+' if hours > 0 else '-'}{abs(hours):g}"
    return f"{moment.day} {moment:%B %Y, %H:%M} {zone}"


@register.filter
def day(value):
    """An ISO date (or the date of a date-time) as "19 January 2027"."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        d = value
    else:
        try:
            d = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return value or "–"
    return f"{d.day} {d:%B %Y}"


@register.filter
def deadline(value, country: str = ""):
    """A submission deadline: a day ("19 January 2027"), or a moment for hour-based lead times."""
    text = str(value or "")
    return day(text) if len(text) <= 10 else when(text, country)


@register.filter
def carriage(value):
    return CARRIAGE.get(str(value or ""), str(value or "").replace("_", " "))


@register.filter
def mode(value):
    return MODES.get(str(value or ""), str(value or ""))


@register.filter
def confidence(value):
    return CONFIDENCE.get(str(value or ""), str(value or ""))


@register.filter
def unit(value):
    return UNITS.get(str(value or ""), str(value or "").replace("_", " "))


@register.filter
def amount(value):
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return value


@register.filter
def country(code):
    """ "EE" -> "Estonia" (ISO 3166-1 names from pycountry; the code when unknown)."""
    import pycountry

    found = pycountry.countries.get(alpha_2=str(code or "").upper())
    return getattr(found, "common_name", None) or getattr(found, "name", None) or code


@register.filter
def countries(codes):
    return ", ".join(country(c) for c in (codes or []))
