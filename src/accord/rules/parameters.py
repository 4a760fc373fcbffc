"""Load and query dated parameters; apply scenarios as overrides.

A parameter file looks like this (docs/law/README.md#parameters)::

    label: Maximum share of component cost from outside EU, EEA-EFTA, Ukraine
    unit: /1
    values:
      2025-05-29: 0.35
    reference:
      - title: Council Regulation (EU) 2025/1106, Article 16(10)
        href: https://eur-lex.europa.eu/eli/reg/2025/1106/oj/eng#art_16
        law: docs/law/safe-regulation.md#article-16-10
    confidence: quoted

A reference may name the anchor in ``docs/law/`` that explains the provision
(``law``) and, when a parameter's values change over time and rest on
different texts, the date of the value it supports (``from``):
``Parameter.references_on(date)`` returns the references of the value in
force on that date. See docs/law/README.md#parameters.

Values may be any YAML (numbers, dates, strings, lists, mappings). A value
of ``null`` from a date means the rule stops applying from that date.
Rules never read today's date: every query takes the date as an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from accord.values import to_date

RULES_ROOT = Path(__file__).resolve().parent
CONFIDENCE_LEVELS = ("quoted", "secondary", "inferred")


class ParameterError(ValueError):
    """A parameter file or a scenario is malformed."""


class ParameterNotInForce(LookupError):
    """The parameter has no value on the requested date."""


@dataclass(frozen=True)
class Reference:
    title: str
    href: str | None = None
    law: str | None = None  # anchor under docs/law/ explaining the provision
    applies_from: dt.date | None = None  # the dated value it supports (None: every value)

    def as_dict(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {"title": self.title, "href": self.href}
        if self.law:
            out["law"] = self.law
        if self.applies_from:
            out["from"] = self.applies_from.isoformat()
        return out


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    values: tuple[tuple[dt.date, Any], ...]
    references: tuple[Reference, ...] = ()
    unit: str | None = None
    confidence: str = "quoted"
    note: str | None = None
    overridden_by: str | None = None

    def at(self, on: dt.date) -> Any:
        """The value in force on ``on`` (the latest value dated on or before it)."""
        current = _MISSING
        for start, value in self.values:
            if start <= on:
                current = value
            else:
                break
        if current is _MISSING:
            raise ParameterNotInForce(
                f"parameter {self.name!r} has no value on {on.isoformat()} "
                f"(first value from {self.values[0][0].isoformat()})"
            )
        return current

    def in_force_from(self, on: dt.date) -> dt.date | None:
        """The date from which the value in force on ``on`` applies."""
        start_in_force = None
        for start, _ in self.values:
            if start <= on:
                start_in_force = start
        return start_in_force

    def references_on(self, on: dt.date) -> tuple[Reference, ...]:
        """The references of the value in force on ``on``.

        A reference dated ``from`` a day supports the value that starts that
        day; undated references support every value.
        """
        start = self.in_force_from(on)
        return tuple(r for r in self.references if r.applies_from is None or r.applies_from == start)

    @property
    def reference(self) -> str:
        """The first reference's title, for one-line explanations."""
        return self.references[0].title if self.references else self.label

    @property
    def is_inferred(self) -> bool:
        return self.confidence == "inferred"

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "unit": self.unit,
            "confidence": self.confidence,
            "values": {d.isoformat(): _jsonable(v) for d, v in self.values},
            "reference": [r.as_dict() for r in self.references],
            "note": self.note,
            "overridden_by": self.overridden_by,
        }


_MISSING = object()


@dataclass(frozen=True)
class ParameterSet:
    """An immutable set of parameters, keyed by dotted name."""

    parameters: Mapping[str, Parameter]
    scenario: str = "baseline"
    scenario_label: str = "Baseline: the rules as they stand"
    applied_overrides: tuple[str, ...] = field(default=())

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise KeyError(f"unknown parameter {name!r}") from None

    def __contains__(self, name: str) -> bool:
        return name in self.parameters

    def value(self, name: str, on: dt.date) -> Any:
        return self[name].at(on)

    def names(self, prefix: str = "") -> list[str]:
        return sorted(n for n in self.parameters if n.startswith(prefix))

    def subset(self, prefix: str) -> ParameterSet:
        return replace(
            self,
            parameters={n: p for n, p in self.parameters.items() if n.startswith(prefix)},
        )

    def with_overrides(
        self,
        overrides: Mapping[str, Any],
        *,
        scenario: str,
        label: str | None = None,
    ) -> ParameterSet:
        """A copy with some parameters overridden; the baseline is untouched.

        An override is either a plain value (it then applies on every date) or
        a mapping ``{date: value}`` that is merged into the parameter's dated
        values (a scenario adds or replaces values from given dates).
        Overriding an unknown parameter is an error: a typo in a scenario must
        not silently leave the baseline in force.
        """
        params = dict(self.parameters)
        for name, override in overrides.items():
            if name not in params:
                raise ParameterError(f"scenario {scenario!r} overrides unknown parameter {name!r}")
            base = params[name]
            if isinstance(override, Mapping) and override and all(_is_date_key(k) for k in override):
                merged = dict(base.values)
                merged.update({_as_date(k, f"{scenario}:{name}"): v for k, v in override.items()})
                values = tuple(sorted(merged.items()))
            else:
                values = ((dt.date.min, override),)
            params[name] = replace(base, values=values, overridden_by=scenario)
        return ParameterSet(
            parameters=params,
            scenario=scenario,
            scenario_label=label or scenario,
            applied_overrides=tuple(sorted(overrides)),
        )


def _is_date_key(key: Any) -> bool:
    if isinstance(key, dt.date):
        return True
    if isinstance(key, str):
        try:
            dt.date.fromisoformat(key)
            return True
        except ValueError:
            return False
    return False


def _as_date(key: Any, where: str) -> dt.date:
    try:
        return to_date(key)
    except ValueError:
        raise ParameterError(f"{where}: {key!r} is not a date (YYYY-MM-DD)") from None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def parse_parameter(name: str, data: Any, where: str) -> Parameter:
    if not isinstance(data, Mapping):
        raise ParameterError(f"{where}: a parameter file must be a mapping")
    for key in ("label", "values", "reference"):
        if key not in data:
            raise ParameterError(f"{where}: missing field {key!r}")
    raw_values = data["values"]
    if not isinstance(raw_values, Mapping) or not raw_values:
        raise ParameterError(f"{where}: 'values' must map dates to values")
    values = tuple(sorted((_as_date(k, where), v) for k, v in raw_values.items()))
    refs = data["reference"]
    if isinstance(refs, Mapping):
        refs = [refs]
    if not isinstance(refs, list) or not refs:
        raise ParameterError(f"{where}: 'reference' must list at least one source")
    references = []
    for ref in refs:
        if not isinstance(ref, Mapping) or "title" not in ref:
            raise ParameterError(f"{where}: each reference needs a 'title'")
        applies_from = ref.get("from")
        if applies_from is not None:
            applies_from = _as_date(applies_from, where)
            if applies_from not in {d for d, _ in values}:
                raise ParameterError(
                    f"{where}: reference {ref['title']!r} is dated from "
                    f"{applies_from.isoformat()}, which is not the date of any value"
                )
        references.append(
            Reference(
                title=str(ref["title"]),
                href=ref.get("href"),
                law=ref.get("law"),
                applies_from=applies_from,
            )
        )
    confidence = data.get("confidence", "quoted")
    if confidence not in CONFIDENCE_LEVELS:
        raise ParameterError(f"{where}: confidence must be one of {', '.join(CONFIDENCE_LEVELS)}")
    return Parameter(
        name=name,
        label=str(data["label"]),
        values=values,
        references=tuple(references),
        unit=data.get("unit"),
        confidence=confidence,
        note=data.get("note"),
    )


def _parameter_files(root: Path, prefix: str) -> Iterable[Path]:
    base = root.joinpath(*prefix.split(".")) if prefix else root
    if base.is_file():
        yield base
        return
    if not base.is_dir():
        raise ParameterError(f"no parameters under {base}")
    yield from sorted(p for p in base.rglob("*.yaml") if "scenarios" not in p.relative_to(root).parts)


@lru_cache(maxsize=32)
def _load_cached(root: str, prefix: str) -> ParameterSet:
    root_path = Path(root)
    params: dict[str, Parameter] = {}
    for path in _parameter_files(root_path, prefix):
        rel = path.relative_to(root_path).with_suffix("")
        name = ".".join(rel.parts)
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 10x faster
        params[name] = parse_parameter(name, data, str(path))
    return ParameterSet(parameters=params)


def load_parameters(prefix: str = "", root: Path | str = RULES_ROOT) -> ParameterSet:
    """Load every parameter under ``prefix`` (e.g. ``"safe"``); cached, immutable."""
    return _load_cached(str(Path(root).resolve()), prefix)


def load_scenario(
    baseline: ParameterSet,
    source: str | Path | Mapping[str, Any],
    *,
    builtin_dir: Path | None = None,
) -> ParameterSet:
    """Apply a scenario to ``baseline``.

    ``source`` is a built-in scenario name (a file ``<name>.yaml`` in
    ``builtin_dir``), a path to a YAML file, or an already-parsed mapping with
    ``name``, optional ``label`` and ``overrides``.
    """
    if isinstance(source, Mapping):
        data, where = source, "scenario"
    else:
        path = Path(source)
        if not path.suffix and builtin_dir is not None:
            if str(source) == "baseline":
                return baseline
            candidate = builtin_dir / f"{source}.yaml"
            if not candidate.is_file():
                known = ["baseline"] + sorted(p.stem for p in builtin_dir.glob("*.yaml"))
                raise ParameterError(f"unknown scenario {str(source)!r}; built-in scenarios: {', '.join(known)}")
            path = candidate
        if not path.is_file():
            raise ParameterError(f"scenario file {str(path)!r} not found")
        where = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ParameterError(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("overrides"), Mapping):
        raise ParameterError(f"{where}: a scenario needs an 'overrides' mapping")
    name = str(data.get("name") or (Path(where).stem if where != "scenario" else "custom"))
    return baseline.with_overrides(data["overrides"], scenario=name, label=data.get("label"))
