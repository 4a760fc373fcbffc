"""The movement requests as a list to work with: search, sort, pages and a CSV download
(``accord.web.lists.work_list``, as the dialogue's meetings and actions lists).

Only the movements the policy lets the user see (``services.movements_for``); each row in
words: the requesting state's name, the departure in words, the status and each transit
state's decision by its label.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accord.mobility import services
from accord.web.lists import Column, work_list

COLUMNS = [
    Column("title", "Movement", link=lambda r: f"/mobility/movements/{r['id']}/"),
    Column("requesting_state", "Requesting state"),
    Column("depart", "Departs"),
    Column("vehicles", "Vehicles", numeric=True),
    Column("status", "Status"),
    Column("permissions", "Permissions"),
]


def _vehicles(movement) -> int:
    """How many vehicles the movement moves (its vehicle lines, added up)."""
    total = 0
    for line in movement.vehicles or []:
        try:
            total += int(line.get("count", 0)) if isinstance(line, dict) else 0
        except (TypeError, ValueError):
            continue
    return total


def rows_for(user) -> list[dict]:
    rows = []
    for movement in services.movements_for(user).prefetch_related("permissions__state"):
        permissions = [
            f"{p.state.name}: {services.DECISION_LABELS.get(p.decision, p.decision)}"
            for p in sorted(movement.permissions.all(), key=lambda p: p.entry)
        ]
        rows.append(
            {
                "id": movement.pk,
                "title": f"{movement.pk}: {movement.title}",
                "requesting_state": movement.owner.name,
                "depart": movement.depart,
                "vehicles": _vehicles(movement),
                "status": services.STATUS_LABELS.get(movement.status, movement.status),
                "permissions": "; ".join(permissions),
            }
        )
    return rows


@login_required
def movements(request):
    result = work_list(request, rows_for(request.user), COLUMNS, filename="mobility-movements", default_sort="depart")
    if not isinstance(result, dict):
        return result  # the CSV download
    return render(
        request,
        "mobility/movement_list.html",
        {
            "list": result,
            "noun": "movement requests",
            "search_label": "Search by title, state, status or decision",
        },
    )
