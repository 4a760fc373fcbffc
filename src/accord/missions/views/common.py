"""What the missions pages share: the date of the answer, the mission or 404, form values."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from accord.errors import InputError
from accord.missions import services
from accord.missions.engine import words
from accord.platform import policy

# The workflow's states and steps in words, from the engine (one list for every page and message).
PARTICIPATION_STATUS_LABELS = words.STATUS_LABELS
ACTION_LABELS = {a: label for a, label in words.ACTION_LABELS.items() if a != "invite"}


def date_of_answer(request, source):
    today = timezone.localdate()
    try:
        return services.parse_on(source.get("on"), today), []
    except InputError as exc:
        return today, exc.problems


def mission_or_404(request, slug):
    try:
        return services.mission_for(request.user, slug)
    except policy.NotVisible:
        raise Http404("no such mission") from None


def words(value: str) -> list[str]:
    return [w.strip() for w in (value or "").split(",") if w.strip()]


def number(value: str):
    """A whole number as typed; anything else is passed on for the engine to name."""
    value = (value or "").strip()
    if value == "":
        return None
    return int(value) if value.lstrip("-").isdigit() else value


def text(value: str):
    value = (value or "").strip()
    return value or None


CALL_POST_ROWS = 5  # post rows on the "Publish a call" form; blank rows are left out


def call_form_rows(form_data, problems):
    """The post rows of the call form, with what was typed and each field's error."""
    errors = {p.field: p.message for p in reversed(problems or []) if p.field}
    return [
        {
            "n": n,
            **{key: (form_data.get(f"posts-{n}-{key}") or "") for key in ("id", "job_description", "location")},
            "errors": {key: errors.get(f"posts[{n}].{key}", "") for key in ("id", "job_description")},
        }
        for n in range(CALL_POST_ROWS)
    ]
