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
