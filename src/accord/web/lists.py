"""Lists people can work with: search, sort, paginate and download as CSV.

A view gives the rows it may show (already filtered by the policy) and the
columns; ``work_list`` reads ``q`` (search), ``sort`` and ``dir``, ``page``
and ``format=csv`` from the query and returns either the page's context or
the CSV download. Any query value is accepted: an unknown sort column or page
number falls back to the default, never to an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse

from accord.web.templatetags.accord_text import when

PAGE_SIZE = 25
MAX_QUERY = 200


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    text: Callable[[Any], str] | None = None  # how the value is written in the CSV and searched
    numeric: bool = False
    link: Callable[[dict], str] | None = None  # the page a cell links to, from the row

    def shown(self, value: Any) -> str:
        """On the page: dates in words, never ISO."""
        if isinstance(value, dt.date):
            return when(value)
        return self.as_text(value)

    def as_text(self, value: Any) -> str:
        if self.text is not None:
            return self.text(value)
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()  # a CSV is read by spreadsheets: ISO dates sort and parse
        return str(value)


def _sort_key(value: Any):
    # None last; numbers and dates compare among themselves, text case-insensitively.
    if value is None:
        return (2, "")
    if isinstance(value, str):
        return (1, value.casefold())
    return (0, value)


def _csv_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def work_list(
    request, rows: Iterable[dict], columns: list[Column], *, filename: str, default_sort: str, default_dir: str = "asc"
) -> dict[str, Any] | HttpResponse:
    rows = list(rows)
    by_key = {c.key: c for c in columns}
    query = (request.GET.get("q") or "").replace("\x00", "").strip()[:MAX_QUERY]
    sort = request.GET.get("sort") if request.GET.get("sort") in by_key else default_sort
    direction = request.GET.get("dir") if request.GET.get("dir") in ("asc", "desc") else default_dir
    if query:
        needle = query.casefold()
        rows = [r for r in rows if any(needle in c.as_text(r.get(c.key)).casefold() for c in columns)]
    rows.sort(key=lambda r: _sort_key(r.get(sort)), reverse=direction == "desc")
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.label for c in columns])
        for row in rows:
            writer.writerow([_csv_cell(c.as_text(row.get(c.key))) for c in columns])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    base = {"q": query} if query else {}
    headers = []
    for c in columns:
        active = c.key == sort
        next_dir = "desc" if active and direction == "asc" else "asc"
        headers.append(
            {
                "key": c.key,
                "label": c.label,
                "numeric": c.numeric,
                "active": active,
                "aria_sort": ("ascending" if direction == "asc" else "descending") if active else "none",
                "href": "?" + _encode({**base, "sort": c.key, "dir": next_dir}),
            }
        )
    keep = {**base, "sort": sort, "dir": direction}
    shown_rows = [
        [{"text": c.shown(r.get(c.key)), "href": c.link(r) if c.link else "", "numeric": c.numeric} for c in columns]
        for r in page
    ]
    return {
        "page": page,
        "rows": shown_rows,
        "headers": headers,
        "query": query,
        "count": len(rows),
        "csv_href": "?" + _encode({**keep, "format": "csv"}),
        "prev_href": "?" + _encode({**keep, "page": page.previous_page_number()}) if page.has_previous() else "",
        "next_href": "?" + _encode({**keep, "page": page.next_page_number()}) if page.has_next() else "",
    }


def _encode(params: dict) -> str:
    return urlencode(params)
