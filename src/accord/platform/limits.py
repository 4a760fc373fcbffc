"""Input limits at the boundary: what any request may carry, checked once for every endpoint.

``InputLimitsMiddleware`` runs before any view, API operation or form:

- the body's size, per endpoint (``BODY_LIMITS``): over it, 413 naming the limit;
- JSON bodies: nesting depth (``MAX_JSON_DEPTH``) and the length of a number
  (``MAX_NUMBER_CHARS``) are limited, so a body nested 3,000 levels deep or an
  integer of 5,000 digits is refused with 422 instead of exhausting the parser;
- text, in JSON bodies, form fields and query parameters: NUL characters and
  lone surrogates (``"\\ud800"``) are refused with the field named (PostgreSQL
  cannot store either, and neither is text); everything else is normalised to
  Unicode NFC, so "é" typed two ways is stored one way.

``check_record`` is the last line, called by the audited save path for every
domain record: text longer than its column, or with a NUL, is refused as an
``InputError`` naming the field's label before the database sees it.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from django.http import HttpResponse, JsonResponse

from accord.errors import InputError, Problem

MAX_JSON_DEPTH = 64
MAX_NUMBER_CHARS = 100
MB = 1024 * 1024
# The largest body each endpoint accepts, by path prefix (first match wins).
# SAFE cases carry a bill of materials (the web form uploads it as a file).
BODY_LIMITS: tuple[tuple[str, int], ...] = (
    ("/api/v1/safe/", 10 * MB),
    ("/safe/", 10 * MB),
    ("/api/v1/missions/", 5 * MB),
    ("/api/", 1 * MB),
    ("/", 2 * MB),
)
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def body_limit(path: str) -> int:
    for prefix, limit in BODY_LIMITS:
        if path.startswith(prefix):
            return limit
    return BODY_LIMITS[-1][1]


class _Refused(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _bad_text(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    if "\x00" in value:
        return "contains a NUL character, which is not text"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an unpaired surrogate (\\ud800-\\udfff), which is not text"
    return None


def _number(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(Problem(f"a number of {len(text):,} characters is longer than the {MAX_NUMBER_CHARS} allowed"))
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _constant(name: str) -> Any:
    raise _Refused(Problem(f"{name} is not a JSON number"))


def _path(parts: list) -> str | None:
    return ".".join(str(p) for p in parts) or None


def check_json(value: Any) -> None:
    """Refuse a parsed JSON value nested too deeply or holding text that is not text (iteratively, no copy)."""
    stack: list[tuple[Any, list, int]] = [(value, [], 1)]
    while stack:
        item, parts, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _Refused(
                Problem(f"is nested more than {MAX_JSON_DEPTH} levels deep", field=_path(parts[:8]) or "body")
            )
        if isinstance(item, str):
            reason = _bad_text(item)
            if reason:
                raise _Refused(Problem(reason, field=_path(parts)))
        elif isinstance(item, list):
            stack.extend((v, [*parts, i], depth + 1) for i, v in enumerate(item))
        elif isinstance(item, dict):
            for k, v in item.items():
                reason = _bad_text(k) if isinstance(k, str) else None
                if reason:
                    raise _Refused(Problem(f"a key {reason}", field=_path(parts) or "body"))
                stack.append((v, [*parts, k], depth + 1))


def check_json_body(raw: bytes) -> bytes | None:
    """Check a JSON body; return it in Unicode NFC when that differs, None when unchanged or not JSON.

    Not JSON at all is left to the endpoint, which answers its own 422. The
    normalisation is applied to the text, not by re-serialising, so numbers
    keep every digit they were sent with.
    """
    try:
        value = json.loads(raw, parse_int=_number, parse_float=_number, parse_constant=_constant)
    except RecursionError:
        raise _Refused(Problem(f"is nested more than {MAX_JSON_DEPTH} levels deep", field="body")) from None
    except (ValueError, UnicodeDecodeError):
        return None
    check_json(value)
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    normal = unicodedata.normalize("NFC", text)
    return normal.encode("utf-8") if normal != text else None


def _error(request, status: int, problems: list[Problem]) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [p.as_dict() for p in problems]}, status=status)
    from django.template.loader import render_to_string

    title = "The request is too large" if status == 413 else "There is a problem with what was sent"
    html = render_to_string("web/400.html", {"title": title, "problems": [str(p) for p in problems]}, request=request)
    return HttpResponse(html, status=status)


class InputLimitsMiddleware:
    """Refuse oversized bodies, hostile JSON and text that is not text, before any view sees them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self._check(request)
        return refused if refused is not None else self.get_response(request)

    def _check(self, request) -> HttpResponse | None:
        problems = []
        for name, values in request.GET.lists():
            for v in (name, *values):
                reason = _bad_text(v)
                if reason:
                    problems.append(Problem(reason, field=_safe_name(name)))
        if problems:
            return _error(request, 422 if request.path.startswith("/api/") else 400, problems[:1])
        if request.method not in _BODY_METHODS:
            return None
        limit = body_limit(request.path)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return _error(
                request,
                413,
                [
                    Problem(
                        f"the request body is {length / MB:.1f} MB; this address accepts at most {limit // MB} MB",
                        field="body",
                    )
                ],
            )
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            return self._check_form(request)
        if length == 0 or not (request.path.startswith("/api/") or "json" in content_type):
            return None
        from django.core.exceptions import RequestDataTooBig

        try:
            body = request.body
        except RequestDataTooBig:
            return _error(request, 413, [Problem("the request body is larger than this server accepts", field="body")])
        try:
            normalised = check_json_body(body)
        except _Refused as exc:
            return _error(request, 422, [exc.problem])
        if normalised is not None:
            request._body = normalised
        return None

    def _check_form(self, request) -> HttpResponse | None:
        from django.core.exceptions import RequestDataTooBig

        try:
            data = request.POST
        except RequestDataTooBig:
            return _error(request, 413, [Problem("the form is larger than this address accepts", field="body")])
        for name, values in data.lists():
            for v in (name, *values):
                reason = _bad_text(v)
                if reason:
                    status = 422 if request.path.startswith("/api/") else 400
                    return _error(request, status, [Problem(reason, field=_safe_name(name))])
        return None


def _safe_name(name: str) -> str:
    return name.replace("\x00", "\\0").encode("utf-8", "backslashreplace").decode("utf-8")[:100]


# --- the last line: a record about to be stored ------------------------------


def check_record(instance) -> None:
    """Refuse text a column cannot hold (too long, a NUL), naming the field by its label."""
    from django.db import models

    problems = []
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        label = str(field.verbose_name)
        if isinstance(value, str):
            reason = _bad_text(value)
            if reason:
                problems.append(Problem(reason, field=label))
            elif isinstance(field, models.CharField) and field.max_length and len(value) > field.max_length:
                problems.append(
                    Problem(f"is {len(value):,} characters long; at most {field.max_length:,} are allowed", field=label)
                )
        elif isinstance(field, models.JSONField) and value is not None:
            try:
                check_json(value)
            except _Refused as exc:
                problems.append(
                    Problem(exc.problem.message, field=f"{label}.{exc.problem.field}" if exc.problem.field else label)
                )
    if problems:
        raise InputError(problems)
