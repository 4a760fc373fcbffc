"""Where a figure comes from: a titled, dated, linked source (pure Python)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accord.rules.parameters import CONFIDENCE_LEVELS

from .yamlio import as_date, problem


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    href: str | None
    published: dt.date | None
    confidence: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "href": self.href,
            "published": self.published.isoformat() if self.published else None,
            "confidence": self.confidence,
            "note": self.note,
        }


def parse_source(key: str, raw: Any, field: str, problems: list) -> Source | None:
    """One source entry; appends a Problem per fault and returns None if unusable."""
    if not isinstance(raw, dict):
        problems.append(problem("a source must be a mapping", field=field, item=key))
        return None
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(problem("a source needs a title", field=f"{field}.title", item=key))
    confidence = raw.get("confidence")
    if confidence not in CONFIDENCE_LEVELS:
        problems.append(
            problem(
                f"confidence must be one of {', '.join(CONFIDENCE_LEVELS)}",
                field=f"{field}.confidence",
                item=key,
            )
        )
    published = None
    if raw.get("published") is not None:
        published = as_date(raw["published"], f"{field}.published", key, problems)
    href = raw.get("href")
    if href is not None and not isinstance(href, str):
        problems.append(problem("href must be a URL or null", field=f"{field}.href", item=key))
    if not isinstance(title, str) or confidence not in CONFIDENCE_LEVELS:
        return None
    return Source(
        key=key,
        title=title.strip(),
        href=href if isinstance(href, str) else None,
        published=published,
        confidence=confidence,
        note=raw.get("note"),
    )
