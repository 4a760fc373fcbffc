"""Lists to work with (search, sort, pages, CSV): every mission and operation since
2003, and the third-state participations the user may see (accord.web.lists)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accord.missions import services
from accord.missions.engine import register as register_engine
from accord.missions.engine import words
from accord.missions.mappers import as_engine_mission
from accord.web.lists import Column, work_list


@dataclass(frozen=True, order=True)
class KnownDate:
    """A register date that sorts by the day and reads as precisely as it is known
    ("June 2008"): a list never shows a day the sources do not give."""

    day: dt.date
    words: str = field(compare=False)

    def __str__(self) -> str:
        return self.words


MISSION_COLUMNS = [
    Column("acronym", "Mission or operation", link=lambda r: f"/missions/{r['slug']}/"),
    Column("type", "Type"),
    Column("theatre", "Theatre"),
    Column("began", "Began", text=lambda v: str(v) if v else ""),
    Column("ended", "Ended", text=lambda v: str(v) if v else ""),
    Column("status", "Status today"),
    Column("legal_basis", "Legal basis"),
]


@login_required
def mission_register(request):
    """Every mission and operation the register holds, closed ones included."""
    today = timezone.localdate()
    rows = []
    for record in services.visible_missions(request.user):
        m = as_engine_mission(record)
        status = m.status_on(today)
        began = "launched" if m.launched else "established"
        rows.append(
            {
                "slug": m.slug,
                "acronym": m.acronym,
                "type": m.type.capitalize(),
                "theatre": m.theatre,
                "began": KnownDate(m.started, m.date_in_words(began)),
                "ended": KnownDate(m.mandate_end, m.date_in_words("mandate_end")) if m.closed else None,
                "status": register_engine.STATUS_LABELS[status],
                "legal_basis": m.legal_basis.title,
            }
        )
    result = work_list(
        request, rows, MISSION_COLUMNS, filename="csdp-missions", default_sort="began", default_dir="desc"
    )
    if not isinstance(result, dict):
        return result
    return render(
        request,
        "missions/work_list.html",
        {
            "list": result,
            "noun": "missions and operations",
            "title": "Every CSDP mission and operation since 2003",
            "search_label": "Search by name, type, theatre, status or legal basis",
        },
    )


PARTICIPATION_COLUMNS = [
    Column("mission", "Mission or operation", link=lambda r: f"/missions/{r['slug']}/"),
    Column("state", "Third state"),
    Column("status", "Stage"),
    Column("agreement", "Legal basis of the participation"),
    Column("last_step", "Last step"),
    Column("last_step_on", "Last step on"),
]


def _agreement_words(row: dict) -> str:
    if row["fpa_in_force"]:
        return "Framework Participation Agreement"
    if row["participation_agreement"]:
        return "Agreement for this mission"
    return "None yet: an agreement for this mission is needed before acceptance"


@login_required
def participation_list(request):
    """The third-state participations the user may see, at their stage today."""
    today = timezone.localdate()
    rows = []
    for p in services.participations_for(request.user):
        row = services.participation_row(request.user, p, today)
        history = row["history"] or []
        last = history[-1] if history else {}
        rows.append(
            {
                "slug": row["mission_slug"],
                "mission": row["mission"],
                "state": row["state_name"],
                "status": words.STATUS_LABELS.get(row["status"], row["status"]),
                "agreement": _agreement_words(row),
                "last_step": ("Invited" if last.get("action") == "invite" else words.action_label(last["action"]))
                if last.get("action")
                else "",
                "last_step_on": services.parse_on(last.get("on"), today) if last.get("on") else None,
            }
        )
    result = work_list(
        request,
        rows,
        PARTICIPATION_COLUMNS,
        filename="csdp-participations",
        default_sort="last_step_on",
        default_dir="desc",
    )
    if not isinstance(result, dict):
        return result
    return render(
        request,
        "missions/work_list.html",
        {
            "list": result,
            "noun": "participations",
            "title": "Third-state participations",
            "search_label": "Search by mission, state, stage or agreement",
        },
    )
