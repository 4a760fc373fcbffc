"""Template helpers for the SAFE case form."""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``{{ values|get:"title" }}``: a submitted value, or an empty string."""
    if not mapping:
        return ""
    value = mapping.get(key, "")
    return "" if value is None else value


@register.simple_tag
def field_id(prefix, name):
    return f"{prefix}{name}"
