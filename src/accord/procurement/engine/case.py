"""A SAFE case: the procurement's facts and its BOM, parsed and validated.

``parse_case`` takes the case as a JSON-like mapping (from a file, the API or
the web form) and returns a ``Case`` or raises ``InputError`` with every
problem found, each naming its field (``contractor.established_in``,
``subcontractors[1].share_of_contract_value``, ``bom[3].origin``) and, for BOM
files, the line. Country codes must be known to the parties registry.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from accord.errors import InputError, Problem
from accord.money import exact
from accord.rules.parameters import ParameterNotInForce, ParameterSet, load_parameters
from accord.values import to_date

from .bom import (
    NO_ORIGIN,
    Bom,
    BomInputError,
    bom_from_records,
    origin_from_code,
    read_bom_file,
    unknown_key_problem,
    where,
)
from .countries import PartyRegistry, is_country_code
from .declarations import Declaration, Resolution, parse_inline, resolve_bom
from .limits import DEFAULT_LIMITS, Limits, describe_bytes
from .rollup import Rollup, roll_up, structure_problems

CASE_FIELDS = (
    "title",
    "assessment_date",
    "contract_signed",
    "procurers",
    "loan_recipients",
    "category",
    "contractor",
    "subcontractors",
    "bom",
    "bom_file",
    "notes",
    "currency",
    "rates_on",
    "rates",
    "unknown_origin",
    "declarations",  # supplier origin declarations for BOM lines that name a supplier part
)
UNKNOWN_ORIGIN_CHOICES = ("count", "refuse")
ENTITY_FIELDS = ("name", "established_in", "controlled_from", "design_authority_in", "guarantees_approved")
SUBCONTRACTOR_FIELDS = ENTITY_FIELDS[:-2] + (
    "guarantees_approved",
    "share_of_contract_value",
    "contract_before",
    "replacement_study_committed",
)


@dataclass(frozen=True)
class Entity:
    """The contractor, or a subcontractor (then with its share and derogation facts)."""

    name: str
    established_in: str
    controlled_from: str
    design_authority_in: str | None = None
    guarantees_approved: bool = False  # FDI screening and guarantees for a controlled entity
    share_of_contract_value: Fraction | None = None  # exact, as written
    contract_before: dt.date | None = None
    replacement_study_committed: bool = False


@dataclass(frozen=True)
class Case:
    title: str
    assessment_date: dt.date | None
    contract_signed: dt.date | None
    procurers: tuple[str, ...]
    loan_recipients: tuple[str, ...]
    category: int
    contractor: Entity
    subcontractors: tuple[Entity, ...]
    bom: Bom
    rollup: Rollup
    currency: str = "EUR"  # the currency of BOM lines that name none
    rates_on: dt.date | None = None  # the date of the exchange rates, if not the assessment date
    rates: dict[str, Decimal] | None = None  # the case's own rates (units per euro), if given
    unknown_origin: str = "count"
    # what the supplier declarations gave the BOM lines that name a supplier part (engine/declarations.py)
    declaration_notes: tuple[Resolution, ...] = ()
    declarations: tuple[Declaration, ...] = ()  # the declarations used (stored with the case)
    bom_as_given: Bom | None = None  # the BOM before declared origins were filled in

    def countries(self) -> set[str]:
        codes = set(self.procurers) | set(self.loan_recipients)
        for entity in (self.contractor, *self.subcontractors):
            codes |= {entity.established_in, entity.controlled_from}
            if entity.design_authority_in:
                codes.add(entity.design_authority_in)
        return codes


class _Reader:
    """Collects problems while reading fields, so the user sees all of them at once."""

    def __init__(self, registry: PartyRegistry, share_limit: Fraction = Fraction(1)) -> None:
        self.registry = registry
        self.problems: list[Problem] = []
        self.share_limit = share_limit  # see subcontractor_shares_limit

    def problem(self, message: str, field: str, **where: Any) -> None:
        self.problems.append(Problem(message, field=field, **where))

    def text(self, data: Mapping[str, Any], key: str, field: str, *, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"{key} is required", field)
            return None
        if not isinstance(value, str):
            self.problem(f"{key} must be text", field)
            return None
        return value.strip()

    def date(self, data: Mapping[str, Any], key: str, field: str, *, required: bool = False) -> dt.date | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{key} is required (YYYY-MM-DD)", field)
            return None
        try:
            return to_date(value.strip() if isinstance(value, str) else value)
        except ValueError:
            self.problem(f"{key} must be a date written YYYY-MM-DD, not {value!r}", field)
            return None

    def boolean(self, data: Mapping[str, Any], key: str, field: str) -> bool:
        value = data.get(key, False)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        self.problem(f"{key} must be true or false, not {value!r}", field)
        return False

    def country(self, value: Any, field: str, *, required: bool = True) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem("a country code is required (ISO 3166-1 alpha-2, e.g. PL)", field)
            return None
        code = value.strip().upper() if isinstance(value, str) else None
        if code is None or len(code) != 2 or not code.isalpha():
            self.problem(f"{value!r} is not an ISO 3166-1 alpha-2 country code", field)
            return None
        if not is_country_code(code, self.registry):
            self.problem(f"unknown country code {code!r} (not an ISO 3166-1 alpha-2 country)", field)
            return None
        return code

    def countries(self, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            self.problem(f"{key} is required: a list of country codes", key)
            return ()
        if isinstance(value, str):  # "PL, LT" from a form field
            value = [v for v in value.replace(";", ",").split(",") if v.strip()]
        if not isinstance(value, list):
            self.problem(f"{key} must be a list of country codes", key)
            return ()
        if not value:
            self.problem(f"{key}: at least one country code is required", key)
            return ()
        codes = [self.country(v, f"{key}[{i}]") for i, v in enumerate(value)]
        seen: list[str] = []
        for code in codes:
            if code and code not in seen:
                seen.append(code)
        return tuple(seen)

    def entity(self, data: Any, field: str, *, subcontractor: bool) -> Entity | None:
        if not isinstance(data, Mapping):
            self.problem("must be an object with name, established_in, controlled_from", field)
            return None
        allowed = SUBCONTRACTOR_FIELDS if subcontractor else ENTITY_FIELDS
        for key in data:
            if key not in allowed:
                self.problems.append(unknown_key_problem(key, allowed, f"{field}.{key}"))
        name = self.text(data, "name", f"{field}.name")
        established = self.country(data.get("established_in"), f"{field}.established_in")
        controlled = self.country(data.get("controlled_from"), f"{field}.controlled_from")
        design = None
        if not subcontractor:
            design = self.country(data.get("design_authority_in"), f"{field}.design_authority_in", required=False)
        guarantees = self.boolean(data, "guarantees_approved", f"{field}.guarantees_approved")
        share = before = None
        study = False
        if subcontractor:
            share = data.get("share_of_contract_value")
            top = _plain_number(self.share_limit)
            if share is None:
                self.problem(
                    f"share_of_contract_value is required (a fraction from 0 to {top}, e.g. 0.2)",
                    f"{field}.share_of_contract_value",
                )
            elif (
                isinstance(share, bool)
                or not isinstance(share, (int, float, Decimal))
                or not math.isfinite(share)
                or not 0 <= exact(share) <= self.share_limit
            ):
                self.problem(
                    f"share_of_contract_value must be a fraction from 0 to {top}, not {share!r}",
                    f"{field}.share_of_contract_value",
                )
                share = None
            before = self.date(data, "contract_before", f"{field}.contract_before")
            study = self.boolean(data, "replacement_study_committed", f"{field}.replacement_study_committed")
        if name is None or established is None or controlled is None:
            return None
        return Entity(
            name=name,
            established_in=established,
            controlled_from=controlled,
            design_authority_in=design,
            guarantees_approved=guarantees,
            share_of_contract_value=None if share is None else exact(share),
            contract_before=before,
            replacement_study_committed=study,
        )


def parse_case(
    data: Any,
    *,
    registry: PartyRegistry,
    base_dir: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    bom: Bom | None = None,
    bom_problems: Sequence[Problem] = (),
    on: dt.date | None = None,
    unknown_origin: str | None = None,
    params: ParameterSet | None = None,
    declarations: Sequence[Declaration] | None = None,
) -> Case:
    """Validate a case; ``bom`` may be given already read (an upload on the web form).

    ``declarations``: supplier origin declarations (a party's, loaded by the service);
    without them, the case's own ``declarations`` (if any) are used.

    ``bom_problems``: the problems found reading an uploaded BOM, reported together with
    the case's own, so the user sees every problem at once. ``on``: an assessment date
    given apart from the case (``--on``), which makes ``assessment_date`` optional.
    ``params``: the SAFE parameters (a scenario's), the baseline when not given.
    """
    if not isinstance(data, Mapping):
        raise InputError("a case must be a JSON object")
    r = _Reader(registry)
    for key in data:
        if key not in CASE_FIELDS:
            r.problems.append(unknown_key_problem(key, CASE_FIELDS, key))
    title = r.text(data, "title", "title") or ""
    assessment_date = r.date(data, "assessment_date", "assessment_date", required=on is None)
    shares_limit = subcontractor_shares_limit(params, on or assessment_date)
    r.share_limit = shares_limit.value
    contract_signed = r.date(data, "contract_signed", "contract_signed")
    procurers = r.countries(data, "procurers")
    loan_recipients = r.countries(data, "loan_recipients")
    for i, code in enumerate(loan_recipients):
        if procurers and code not in procurers:
            r.problem(f"{code} receives the loan but is not among the procurers", f"loan_recipients[{i}]")
    category = data.get("category")
    if isinstance(category, str) and category.strip().isascii() and category.strip().isdecimal():
        category = int(category.strip())  # "¹" and "١" are digits to Python, not to a form
    if isinstance(category, bool) or not isinstance(category, int):
        r.problem("category is required: 1 or 2 (SAFE product category)", "category")
        category = 0
    contractor = r.entity(data.get("contractor"), "contractor", subcontractor=False)
    subs_raw = data.get("subcontractors") or []
    subcontractors: list[Entity] = []
    if not isinstance(subs_raw, list):
        r.problem("subcontractors must be a list", "subcontractors")
    else:
        for i, sub in enumerate(subs_raw):
            entity = r.entity(sub, f"subcontractors[{i}]", subcontractor=True)
            if entity is not None:
                subcontractors.append(entity)
        shares = [e.share_of_contract_value for e in subcontractors if e.share_of_contract_value is not None]
        # docs/law/safe-regulation.md#article-16-4: each share is a part of the one contract value,
        # so together they cannot exceed the limit (all of it), compared exactly.
        total = sum(shares, Fraction(0))
        if total > shares_limit.value:
            r.problem(
                f"the subcontractors' shares add up to {_percent(total)} of the contract value, more than "
                f"{_percent(shares_limit.value)} ({shares_limit.reference}: a share is a part of the contract value)",
                "subcontractors",
            )
    currency = data.get("currency") or "EUR"
    if (
        not isinstance(currency, str)
        or len(currency.strip()) != 3
        or not currency.strip().isalpha()
        or not currency.strip().isascii()
    ):
        r.problem(f"currency must be an ISO 4217 code such as EUR, GBP or USD, not {currency!r}", "currency")
        currency = "EUR"
    currency = currency.strip().upper()
    rates_on = r.date(data, "rates_on", "rates_on")
    rates = _rates(data.get("rates"), r)
    choice = unknown_origin or data.get("unknown_origin") or "count"
    if choice not in UNKNOWN_ORIGIN_CHOICES:
        r.problem(
            f"unknown_origin must be one of {', '.join(UNKNOWN_ORIGIN_CHOICES)}, not {choice!r}", "unknown_origin"
        )
        choice = "count"

    parsed_bom = bom
    r.problems.extend(bom_problems)
    if parsed_bom is None and not bom_problems:
        parsed_bom = _read_bom(data, r, base_dir, limits)
    given_bom, notes, used = parsed_bom, (), ()
    if declarations is None and data.get("declarations") is not None:
        try:
            declarations = parse_inline(data["declarations"], registry=registry)
        except InputError as exc:
            r.problems.extend(exc.problems)
    date = on or assessment_date
    if parsed_bom is not None and date is not None:
        parsed_bom, notes = resolve_bom(parsed_bom, declarations or (), date)
        used = tuple(dict.fromkeys(n.declaration for n in notes if n.declaration is not None))
    if parsed_bom is not None:
        _check_origins(parsed_bom, r)
    if r.problems:
        raise InputError(r.problems)
    assert contractor is not None and parsed_bom is not None  # otherwise a problem was recorded
    rollup = roll_up(parsed_bom, default_currency=currency, unknown_origin=choice)
    return Case(
        title=title,
        assessment_date=assessment_date,
        contract_signed=contract_signed,
        procurers=procurers,
        loan_recipients=loan_recipients,
        category=category,
        contractor=contractor,
        subcontractors=tuple(subcontractors),
        bom=parsed_bom,
        rollup=rollup,
        currency=currency,
        rates_on=rates_on,
        rates=rates,
        unknown_origin=choice,
        declaration_notes=notes,
        declarations=used,
        bom_as_given=given_bom if notes else None,
    )


@dataclass(frozen=True)
class SharesLimit:
    value: Fraction  # the largest total of the subcontractors' shares, as a fraction of the contract value
    reference: str  # the article, for the message


def subcontractor_shares_limit(params: ParameterSet | None, on: dt.date | None) -> SharesLimit:
    """The largest share of the contract value the subcontractors may hold, one or together
    (``safe.establishment.subcontractor_shares_max_total``, Art. 16(4)), in force on ``on``;
    without a date (a problem reported apart), or before the first value, the first value."""
    param = (params or load_parameters("safe"))["safe.establishment.subcontractor_shares_max_total"]
    try:
        value = param.at(on) if on is not None else param.values[0][1]
    except ParameterNotInForce:
        value = param.values[0][1]
    return SharesLimit(value=exact(value), reference=param.reference)


def _plain_number(value: Fraction) -> str:
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f")


def _percent(value: Fraction) -> str:
    """100% or 100.0001%: enough digits to show why a total over the limit is over it."""
    return f"{float(value) * 100:.10g}%"


def _rates(value: Any, r: _Reader) -> dict[str, Decimal] | None:
    """The case's own exchange rates: {"GBP": 0.85} (units of the currency per euro)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        r.problem('rates must map currency codes to units per euro, e.g. {"GBP": 0.8523}', "rates")
        return None
    out: dict[str, Decimal] = {}
    for key, rate in value.items():
        code = str(key).strip().upper()
        if len(code) != 3 or not code.isalpha() or not code.isascii():
            r.problem(f"{key!r} is not an ISO 4217 currency code", f"rates.{key}")
            continue
        if isinstance(rate, bool) or not isinstance(rate, (int, float, Decimal)) or not rate > 0:
            r.problem(f"the rate for {code} must be a positive number (units per euro), not {rate!r}", f"rates.{key}")
            continue
        out[code] = Decimal(repr(rate)) if isinstance(rate, float) else Decimal(rate)
    return out


def _read_bom(data: Mapping[str, Any], r: _Reader, base_dir: Path | None, limits: Limits) -> Bom | None:
    has_inline, has_file = data.get("bom") is not None, data.get("bom_file") is not None
    if has_inline == has_file:
        r.problem("give the BOM either inline as bom (a list of items) or as bom_file (CSV, XLSX or JSON)", "bom")
        return None
    try:
        if has_inline:
            return bom_from_records(data["bom"], limits=limits)
        name = data["bom_file"]
        if not isinstance(name, str) or not name.strip():
            r.problem("bom_file must be a file name relative to the case file", "bom_file")
            return None
        if base_dir is None:
            r.problem("bom_file can only be used with a case file; upload the BOM instead", "bom_file")
            return None
        return read_bom_file((base_dir / name.strip()), limits=limits)
    except BomInputError as exc:  # some values could not be read: check what can still be checked
        r.problems.extend(exc.problems)
        r.problems.extend(structure_problems(exc.bom))
        _check_origins(exc.bom, r)
        return None
    except InputError as exc:
        r.problems.extend(exc.problems)
        return None


def _check_origins(bom: Bom, r: _Reader) -> None:
    """Every origin must be a country the parties registry knows."""
    present = np.flatnonzero(np.bincount(bom.origin_codes))
    origins = [origin_from_code(c) for c in present if c != NO_ORIGIN]
    unknown = sorted(code for code in origins if not is_country_code(code, r.registry))
    if not unknown:
        return
    rows = bom.frame.with_row_index("_position").filter(pl.col("origin").is_in(unknown)).head(20).iter_rows(named=True)
    for row in rows:
        r.problems.append(
            Problem(
                f"unknown country code {row['origin']!r} (not an ISO 3166-1 alpha-2 country)",
                item=row["id"],
                **where(row["line"], row["_position"], "origin"),
            )
        )


def load_case_file(
    path: Path | str,
    *,
    registry: PartyRegistry,
    limits: Limits = DEFAULT_LIMITS,
    on: dt.date | None = None,
    unknown_origin: str | None = None,
) -> Case:
    """Read a case JSON file; a ``bom_file`` is looked up next to it."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"case file {str(path)!r} not found", field="case")
    size = path.stat().st_size
    if size > limits.max_case_file_bytes:
        raise InputError(
            f"{path.name} is {describe_bytes(size)}, over the {describe_bytes(limits.max_case_file_bytes)} limit",
            field="case",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise InputError(f"{path.name} is not UTF-8 text", field="case") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path.name} is not valid JSON: {exc.msg}", field="case", line=exc.lineno) from None
    return parse_case(
        data, registry=registry, base_dir=path.parent, limits=limits, on=on, unknown_origin=unknown_origin
    )
