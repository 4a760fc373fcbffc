"""Small template helpers for the missions forms (GOV.UK error messages per field)."""

import re

from django import template

register = template.Library()


@register.simple_tag
def field_error(problems, name):
    """The first problem's message for a field, or an empty string."""
    for problem in problems or ():
        if getattr(problem, "field", None) == name:
            return problem.message
    return ""


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` or an empty string (for re-displaying what was typed)."""
    try:
        return mapping.get(key, "") or ""
    except AttributeError:
        return ""


@register.filter
def anchor(field):
    """An element id for a problem's field: ``posts[0].job_description`` -> ``posts-0-job_description``."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(field or "on")).strip("-") or "on"


@register.filter
def longdate(value):
    """A date as people write it ("30 April 2026"), from a date or an ISO string; blank stays blank."""
    import datetime as dt

    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {value:%B %Y}"


@register.filter
def fact_label(kind):
    from accord.missions.engine.register import FACT_LABELS

    return FACT_LABELS.get(kind, str(kind).capitalize())


@register.filter
def thousands(value):
    """A whole number with thousands separators (66000000 -> 66,000,000)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


CONFIDENCE_LABELS = {
    "quoted": "checked against the act or an official release",
    "secondary": "from a press report or public summary",
    "inferred": "our reading of the sources",
}


@register.filter
def confidence_label(code):
    """How sure the record is, in words users understand (never the internal code)."""
    return CONFIDENCE_LABELS.get(code, "")


@register.filter
def when(value):
    """A moment as people read it ("18 December 2026, 07:49 CET"), from an ISO date or date-time."""
    import datetime as dt

    from django.utils import timezone

    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return value
    if len(str(value)) <= 10:
        return longdate(moment.date())
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment.day} {moment:%B %Y, %H:%M} {moment:%Z}".strip()


FIELD_LABELS = {
    "id": "Reference",
    "capability": "Capability",
    "job_description": "Standard job description",
    "quantity": "Quantity",
    "needed_from": "Needed from",
    "duration_days": "Duration (days)",
    "tasks": "Tasks",
    "area": "Area",
    "available_from": "Available from",
    "available_until": "Available until",
    "max_duration_days": "Maximum duration (days)",
    "excluded_tasks": "Tasks excluded",
    "excluded_areas": "Areas excluded",
    "common_cost": "Common cost",
    "state": "State to invite",
    "action": "Step",
    "reason": "Reason",
    "on": "Date",
    "published_on": "Published on",
    "deadline": "Deadline",
    "posts": "Posts",
    "candidate": "Candidate",
    "post": "Post",
    "type": "Type",
    "region": "Theatre",
    "priority": "Priority",
    "rotation": "Rotation",
    "reserve": "Reserve",
    "personnel_per_unit": "Personnel per unit",
    "psc_decision": "PSC decision",
    "members": "Members",
    "choices": "Selection",
    "nominated_by": "Nominated by",
    "submitted_on": "Submitted on",
    "(body)": "The form",
}


@register.filter
def field_label(field):
    """A field as its form labels it ("needed_from" -> "Needed from", "posts[0].id" -> "Post 1: Reference")."""
    field = str(field or "on")
    post = re.match(r"posts\[(\d+)\]\.(\w+)$", field)
    if post:
        return f"Post {int(post[1]) + 1}: {FIELD_LABELS.get(post[2], post[2])}"
    choice = re.match(r"choices\.(.+)$", field)
    if choice:
        return f"Post {choice[1]}"
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
