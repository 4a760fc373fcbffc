"""The consultation schedule as stable JSON, shared by the CLI, API and pages.

Pure (no Django): reads the parameters and turns the cycle into plain data.
"""

from __future__ import annotations

import datetime as dt

from accord.dialogue.engine import cadence
from accord.rules import ParameterSet, load_parameters

HOST_NAMES = {"GB": "United Kingdom", "EU": "European Union"}


def dialogue_parameters() -> ParameterSet:
    return load_parameters("dialogue")


def parameter_date(params: ParameterSet, from_date: dt.date | None) -> dt.date:
    """The date whose parameters apply: the requested start, or the earliest in force.

    A start before the partnership's parameters existed uses the earliest
    values (the cycle is only defined from then; its first date is later).
    """
    earliest = max(params[n].values[0][0] for n in params.names(cadence.PARAMETER_PREFIX))
    if from_date is None or from_date < earliest:
        return earliest
    return from_date


def schedule_data(count: int, from_date: dt.date | None = None, params: ParameterSet | None = None) -> dict:
    """The ``count`` consultations from ``from_date`` with the basis they rest on."""
    params = params or dialogue_parameters()
    settings = cadence.settings_from_parameters(params, parameter_date(params, from_date))
    slots = cadence.schedule(settings, count, from_date)
    return {
        "settings": settings.as_dict(),
        "from": from_date,
        "consultations": [
            {
                **slot.as_dict(),
                "host_name": HOST_NAMES.get(slot.host, slot.host),
                "title": f"UK-EU strategic consultation {slot.sequence} ({HOST_NAMES.get(slot.host, slot.host)} hosting)",
            }
            for slot in slots
        ],
        "basis": cadence.parameter_basis(params),
    }
