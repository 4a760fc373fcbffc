"""``safe_url``: a stored link, only if it is an http(s) URL.

Links stored by users (the source of a spending figure, of an exercise) are
shown as links only when they are web addresses: a ``javascript:`` or
``data:`` URL never becomes markup (the Content Security Policy would block
it, but it should not be there at all). Registered as a template builtin in
settings, so every template can use it without ``{% load %}``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def safe_url(value) -> str:
    """``value`` if it is an absolute http or https URL with a host, else ""."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    # Browsers drop tabs and newlines inside URLs ("java\tscript:"); refuse any control character.
    if not url or any(ord(c) < 32 or ord(c) == 127 for c in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return url
