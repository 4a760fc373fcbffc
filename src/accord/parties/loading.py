"""Read and validate the parties data files (pure Python, no Django).

Layout of a data directory (the default is ``accord/parties/data``)::

    parties.yaml                 list of {code, name, kind, source, note?}
    frameworks.yaml              list of {code, name, kind, source, note?}
    memberships/<code>.yaml      {framework, members: [{party, from, to, source, note?}]}

``from`` null means the date is not recorded (counts as a member); ``to`` is the
last day of membership, inclusive, null meaning still a member. Every problem
found in every file is collected and raised together as one
``PartyDataError`` naming the file and the entry.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from .model import FRAMEWORK_KINDS, PARTY_KINDS, Framework, Membership, Party, Source

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"

_ENTRY_KEYS = {"code", "name", "kind", "source", "note"}
_MEMBER_KEYS = {"party", "from", "to", "source", "note"}


class PartyDataError(ValueError):
    """A parties data file is malformed; the message names every file and entry at fault."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid parties data:\n" + "\n".join(f"- {p}" for p in self.problems))


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, file: Path, where: str, message: str) -> None:
        self.items.append(
            f"{file.name if file.parent.name != 'memberships' else 'memberships/' + file.name}: {where}: {message}"
        )


def _read_yaml(path: Path, problems: _Problems) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        problems.add(path, "file", "missing")
    except yaml.YAMLError as exc:
        problems.add(path, "file", f"not valid YAML ({exc})")
    return None


def _source(raw: Any, path: Path, where: str, problems: _Problems) -> Source | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str) or not raw["title"].strip():
        problems.add(path, where, "needs a source with a title (source: {title: ..., href: ...})")
        return None
    href = raw.get("href")
    if href is not None and not (isinstance(href, str) and href.startswith(("https://", "http://"))):
        problems.add(path, where, f"source href must be an http(s) URL or null, not {href!r}")
        return None
    return Source(title=raw["title"], href=href)


def _date(raw: Any, key: str, path: Path, where: str, problems: _Problems) -> tuple[bool, dt.date | None]:
    """(ok, value). YAML gives dates for unquoted ISO dates; quoted ISO strings are accepted too."""
    if raw is None:
        return True, None
    if isinstance(raw, dt.datetime):
        problems.add(path, where, f"{key!r} must be a date (YYYY-MM-DD), not a date and time")
        return False, None
    if isinstance(raw, dt.date):
        return True, raw
    if isinstance(raw, str):
        try:
            return True, dt.date.fromisoformat(raw)
        except ValueError:
            pass
    problems.add(path, where, f"{key!r} must be a date (YYYY-MM-DD) or null, not {raw!r}")
    return False, None


def _entries(path: Path, kinds: tuple[str, ...], cls: type, problems: _Problems) -> list:
    """Read parties.yaml or frameworks.yaml: a list of {code, name, kind, source, note?}."""
    raw = _read_yaml(path, problems)
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add(path, "file", "must be a list of entries")
        return []
    seen: set[str] = set()
    out = []
    for index, entry in enumerate(raw, start=1):
        code = entry.get("code") if isinstance(entry, dict) else None
        where = f"entry {index}" + (f" ({code})" if isinstance(code, str) else "")
        if not isinstance(entry, dict):
            problems.add(path, where, "must be a mapping")
            continue
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            problems.add(path, where, f"unknown field(s) {sorted(unknown)}")
        if isinstance(code, bool):
            problems.add(path, where, f"code reads as {code!r}: quote it (YAML reads a bare NO as false)")
            continue
        if not isinstance(code, str) or not code.strip():
            problems.add(path, where, "needs a code")
            continue
        if code in seen:
            problems.add(path, where, f"duplicate code {code!r}")
            continue
        seen.add(code)
        name, kind, note = entry.get("name"), entry.get("kind"), entry.get("note")
        if not isinstance(name, str) or not name.strip():
            problems.add(path, where, "needs a name")
        if kind not in kinds:
            problems.add(path, where, f"kind must be one of {list(kinds)}, not {kind!r}")
        if note is not None and not isinstance(note, str):
            problems.add(path, where, "note must be text")
        source = _source(entry.get("source"), path, where, problems)
        if source is not None and isinstance(name, str) and kind in kinds:
            out.append(cls(code=code, name=name, kind=kind, source=source, note=note))
    return out


def _membership_file(path: Path, parties: set[str], frameworks: set[str], problems: _Problems) -> list[Membership]:
    raw = _read_yaml(path, problems)
    if raw is None:
        return []
    if not isinstance(raw, dict) or not isinstance(raw.get("members"), list):
        problems.add(path, "file", "must be a mapping with 'framework' and a 'members' list")
        return []
    framework = raw.get("framework")
    if framework not in frameworks:
        problems.add(path, "framework", f"unknown framework code {framework!r}")
        return []
    if path.stem != str(framework).lower():
        problems.add(path, "framework", f"file name should be {str(framework).lower()}.yaml")
    out: list[Membership] = []
    for index, row in enumerate(raw["members"], start=1):
        party = row.get("party") if isinstance(row, dict) else None
        where = f"member {index}" + (f" ({party})" if isinstance(party, str) else "")
        if not isinstance(row, dict):
            problems.add(path, where, "must be a mapping")
            continue
        unknown = set(row) - _MEMBER_KEYS
        if unknown:
            problems.add(path, where, f"unknown field(s) {sorted(unknown)}")
        if isinstance(party, bool):
            problems.add(path, where, f"party reads as {party!r}: quote it (YAML reads a bare NO as false)")
        elif party not in parties:
            problems.add(path, where, f"unknown party code {party!r}")
        ok_from, start = _date(row.get("from"), "from", path, where, problems)
        ok_to, end = _date(row.get("to"), "to", path, where, problems)
        if start is not None and end is not None and start > end:
            problems.add(path, where, f"'from' {start.isoformat()} is after 'to' {end.isoformat()}")
            ok_to = False
        note = row.get("note")
        if note is not None and not isinstance(note, str):
            problems.add(path, where, "note must be text")
        source = _source(row.get("source"), path, where, problems)
        if party in parties and ok_from and ok_to and source is not None:
            membership = Membership(party, framework, start, end, source, note if isinstance(note, str) else None)
            clash = next((m for m in out if m.party == party and _overlap(m, membership)), None)
            if clash is not None:
                problems.add(path, where, f"overlaps another period of {party} in {framework}")
                continue
            out.append(membership)
    return out


def _overlap(a: Membership, b: Membership) -> bool:
    lo, hi = dt.date.min, dt.date.max
    return (a.start or lo) <= (b.end or hi) and (b.start or lo) <= (a.end or hi)


def read_data(data_dir: Path | str | None = None) -> tuple[list[Party], list[Framework], list[Membership]]:
    """Read and validate everything under ``data_dir``; raise PartyDataError listing all problems."""
    root = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    problems = _Problems()
    parties = _entries(root / "parties.yaml", PARTY_KINDS, Party, problems)
    frameworks = _entries(root / "frameworks.yaml", FRAMEWORK_KINDS, Framework, problems)
    party_codes = {p.code for p in parties}
    framework_codes = {f.code for f in frameworks}
    memberships: list[Membership] = []
    seen_frameworks: dict[str, Path] = {}
    for path in sorted((root / "memberships").glob("*.yaml")):
        rows = _membership_file(path, party_codes, framework_codes, problems)
        if rows:
            framework = rows[0].framework
            if framework in seen_frameworks:
                problems.add(path, "framework", f"{framework} is already listed in {seen_frameworks[framework].name}")
                continue
            seen_frameworks[framework] = path
        memberships.extend(rows)
    if problems.items:
        raise PartyDataError(problems.items)
    return parties, frameworks, memberships
