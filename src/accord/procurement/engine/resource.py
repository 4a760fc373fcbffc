"""A re-sourcing plan: the least-cost set of non-eligible parts to move so the case passes (pure).

The component-cost rule (Regulation (EU) 2025/1106, Art. 16(10),
docs/law/safe-regulation.md#article-16-10) passes when N <= cT. Re-sourcing
part i from a supplier in an eligible country takes its cost o_i out of N and,
at a new price n_i, changes T by d_i = n_i - o_i. With x_i = 1 for a part that
moves, the case passes when

    (N - sum o_i x_i) + (agreement excess after) <= c (T + sum d_i x_i)

and the plan minimises the extra cost sum d_i x_i, then the cost moved
sum o_i x_i. Without quoted prices a part moves at its price (d_i = 0): the
plan is the least non-eligible cost to move. This is a covering knapsack, not
something a greedy order solves (largest part first, or best ratio first, can
both be wrong); it is solved with OR-Tools CP-SAT
(https://developers.google.com/optimization/cp/cp_solver).

Exact money in an integer solver: every coefficient is an exact ``Fraction``;
the constraints are multiplied by S, the least common denominator of all of
them, which makes them whole numbers with nothing rounded. Only when S times the
largest figure would not fit the solver's 64-bit integers is S lowered to a
millionth of a euro, and then each coefficient of a "<= 0" constraint is
rounded up (ceil): whatever satisfies the rounded constraint satisfies the
exact one, so a plan found always passes. ``passes_after`` is in any case
recomputed from the exact figures, never taken from the solver.

A participation agreement's allowance is cap_a x T (it moves with T); its
excess is modelled with a variable e_a >= A_a - cap_a T', e_a >= 0, which is
exact because e_a appears only on the side it must be small on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from accord.errors import InputError, Problem
from accord.money import format_eur

from .advice import Part, cents_half
from .countries import AGREEMENT, ELIGIBLE, EXCLUDED

MAX_EXACT = 2**53  # largest coefficient x S handled exactly (CP-SAT takes int64; room for sums)
FALLBACK_SCALE = 10**6  # a millionth of a euro, when the exact common denominator is too large
DEFAULT_TIME_LIMIT = 30.0  # seconds; the plan says whether it is proven optimal


@dataclass(frozen=True)
class Candidate:
    """An eligible supplier's offer for a part (``unit_cost_eur`` None: no offer, only a pin)."""

    part: str
    unit_cost_eur: Fraction | None = None
    origin: str | None = None
    supplier: str | None = None
    pinned: bool = False
    line: int | None = None


@dataclass(frozen=True)
class Option:
    """One part that may move: its cost now (old) and after (new), both euros, exact."""

    part: str
    old: Fraction
    new: Fraction
    origin: str | None = None
    supplier: str | None = None
    required: bool = False  # from an excluded third country: must go whatever the cost rule says

    @property
    def extra(self) -> Fraction:
        return self.new - self.old


@dataclass(frozen=True)
class ResourceProblem:
    """The figures of the rule and the parts that may move."""

    total: Fraction
    cap: Fraction
    plain: Fraction  # non-eligible cost outside agreements (third country, unknown, excluded)
    agreements: tuple[tuple[Fraction, Fraction | None], ...]
    options: tuple[Option, ...]
    pinned: tuple[str, ...] = ()
    blocked: tuple[tuple[str, str], ...] = ()  # (part, why it cannot move)
    pinned_excluded: tuple[str, ...] = ()

    def non_eligible_after(self, chosen: Iterable[int]) -> tuple[Fraction, Fraction]:
        """Exact (N', T') after re-sourcing the chosen options."""
        picked = [self.options[i] for i in chosen]
        total = self.total + sum((o.extra for o in picked), Fraction(0))
        plain = self.plain - sum((o.old for o in picked), Fraction(0))
        excess = sum((max(a - k * total, Fraction(0)) for a, k in self.agreements if k is not None), Fraction(0))
        return plain + excess, total

    def passes(self, chosen: Iterable[int]) -> bool:
        non_eligible, total = self.non_eligible_after(chosen)
        return non_eligible <= self.cap * total


@dataclass(frozen=True)
class Plan:
    passes_before: bool
    passes_after: bool
    feasible: bool
    chosen: tuple[Option, ...]
    non_eligible_after: Fraction
    component_cost_after: Fraction
    cap: Fraction
    method: str
    optimal: bool
    exact_scale: bool
    explanation: str
    pinned: tuple[str, ...] = ()
    blocked: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def moved_cost(self) -> Fraction:
        return sum((o.old for o in self.chosen), Fraction(0))

    @property
    def new_cost(self) -> Fraction:
        return sum((o.new for o in self.chosen), Fraction(0))

    @property
    def extra_cost(self) -> Fraction:
        return self.new_cost - self.moved_cost

    def as_dict(self) -> dict[str, Any]:
        def money(v: Fraction) -> float:
            return float(cents_half(v)) + 0.0

        return {
            "passes_before": self.passes_before,
            "passes_after": self.passes_after,
            "feasible": self.feasible,
            "parts_to_resource": [o.part for o in self.chosen],
            "moves": [
                {
                    "id": o.part,
                    "old_cost_eur": money(o.old),
                    "new_cost_eur": money(o.new),
                    "extra_cost_eur": money(o.extra),
                    "origin": o.origin,
                    "supplier": o.supplier,
                    "required": o.required,
                }
                for o in self.chosen
            ],
            "moved_cost_eur": money(self.moved_cost),
            "new_cost_eur": money(self.new_cost),
            "extra_cost_eur": money(self.extra_cost),
            "non_eligible_cost_after_eur": money(self.non_eligible_after),
            "component_cost_after_eur": money(self.component_cost_after),
            "non_eligible_share_after": round(float(self.non_eligible_after / self.component_cost_after), 6)
            if self.component_cost_after
            else 0.0,
            "non_eligible_cap": float(self.cap),
            "method": self.method,
            "optimal": self.optimal,
            "exact_scale": self.exact_scale,
            "explanation": self.explanation,
            "pinned": list(self.pinned),
            "cannot_move": [{"id": p, "why": why} for p, why in self.blocked],
            "notes": list(self.notes),
        }


# -- building the problem ------------------------------------------------------------------------


def build_problem(
    parts: Sequence[Part],
    verdict,
    *,
    candidates: Mapping[str, Candidate] | None = None,
    pins: Iterable[str] = (),
) -> ResourceProblem:
    """The parts that may move. With ``candidates`` (quoted eligible prices), only parts with a
    quote may move, at that price; without, every non-eligible part may move at its price."""
    pinned = set(pins)
    if candidates:
        pinned |= {c.part for c in candidates.values() if c.pinned}
    known = {p.id for p in parts}
    unknown = sorted(pinned - known)
    if candidates:
        unknown += sorted({c.part for c in candidates.values()} - known - set(unknown))
    if unknown:
        raise InputError(
            [
                Problem(
                    f"{name!r} is not a counted part of this bill of materials",
                    field="pin" if name in pinned else "candidates",
                    line=candidates[name].line if candidates and name in candidates else None,
                )
                for name in unknown
            ]
        )
    options: list[Option] = []
    blocked: list[tuple[str, str]] = []
    pinned_excluded: list[str] = []
    for part in parts:
        if part.status in (ELIGIBLE, AGREEMENT):
            continue
        if part.id in pinned:
            blocked.append((part.id, "pinned: it cannot change supplier (sole source or design authority)"))
            if part.status == EXCLUDED:
                pinned_excluded.append(part.id)
            continue
        new = part.cost_eur
        offer = candidates.get(part.id) if candidates else None
        if candidates:
            if offer is None or offer.unit_cost_eur is None:
                blocked.append((part.id, "no eligible supplier's price was given for it"))
                continue
            new = offer.unit_cost_eur * part.quantity
        options.append(
            Option(
                part=part.id,
                old=part.cost_eur,
                new=new,
                origin=offer.origin if offer else None,
                supplier=offer.supplier if offer else None,
                required=part.status == EXCLUDED,
            )
        )
    figures = verdict.headroom
    agreements = tuple(
        (
            a.cost_eur,
            None if a.component_cap is None else Fraction(str(a.component_cap)),
        )
        for a in verdict.agreements
    )
    excess = sum(
        (max(a - k * figures.component_cost, Fraction(0)) for a, k in agreements if k is not None), Fraction(0)
    )
    return ResourceProblem(
        total=figures.component_cost,
        cap=figures.cap,
        plain=figures.non_eligible - excess,
        agreements=agreements,
        options=tuple(options),
        pinned=tuple(sorted(pinned)),
        blocked=tuple(blocked),
        pinned_excluded=tuple(pinned_excluded),
    )


# -- solving -------------------------------------------------------------------------------------


def _scale(values: Sequence[Fraction]) -> tuple[int, bool]:
    scale = 1
    for v in values:
        scale = math.lcm(scale, v.denominator)
    biggest = max((abs(v) for v in values), default=Fraction(0)) * len(values)
    if biggest * scale <= MAX_EXACT:
        return scale, True
    return FALLBACK_SCALE, False


def solve(problem: ResourceProblem, *, time_limit: float = DEFAULT_TIME_LIMIT, workers: int = 2) -> Plan:
    """The least extra cost (then the least cost moved) that passes, found by CP-SAT."""
    import time

    from ortools.sat.python import cp_model

    started = time.perf_counter()
    before = problem.passes(())
    required = [i for i, o in enumerate(problem.options) if o.required]
    if before and not required:
        return _plan(problem, (), "none needed", True, True, time.perf_counter() - started)
    c = problem.cap
    n = len(problem.options)
    # Constraints as sum a_j v_j + b <= 0 with exact Fraction coefficients.
    main = [-(o.old + c * o.extra) for o in problem.options]
    main_b = problem.plain - c * problem.total
    agree = [(k, [-(k * o.extra) for o in problem.options], a - k * problem.total) for a, k in problem.agreements if k]
    values = main + [main_b] + [v for _, coefs, b in agree for v in [*coefs, b]]
    scale, exact = _scale(values)

    def up(v: Fraction) -> int:
        return math.ceil(v * scale)

    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(n)]
    for i in required:
        model.add(x[i] == 1)
    excess_vars = []
    for j, (_, coefs, b) in enumerate(agree):
        bound = max(up(b) + sum(max(-up(v), 0) for v in coefs), 0)  # the largest excess possible
        e = model.new_int_var(0, bound, f"e{j}")
        excess_vars.append(e)
        model.add(sum(up(v) * x[i] for i, v in enumerate(coefs) if up(v)) - e + up(b) <= 0)
    model.add(sum(up(v) * x[i] for i, v in enumerate(main) if up(v)) + sum(excess_vars) + up(main_b) <= 0)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    optimal = True
    chosen: tuple[int, ...] = ()
    objectives = []
    if any(o.extra for o in problem.options):
        objectives.append([o.extra for o in problem.options])
    objectives.append([o.old for o in problem.options])
    status = None
    for k, weights in enumerate(objectives):
        wscale, _ = _scale(weights)
        coefs = [round(w * wscale) for w in weights]
        model.minimize(sum(cf * x[i] for i, cf in enumerate(coefs) if cf))
        solver.parameters.max_time_in_seconds = max(time_limit - (time.perf_counter() - started), 1.0)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            optimal = False  # a later phase ran out of time: the earlier phase's plan stands, unproven
            break
        optimal = optimal and status == cp_model.OPTIMAL
        chosen = tuple(i for i in range(n) if solver.boolean_value(x[i]))
        if k + 1 < len(objectives):  # keep the best of this objective, then the next one
            best = sum(coefs[i] for i in chosen)
            model.add(sum(cf * x[i] for i, cf in enumerate(coefs) if cf) <= best)
            for i in range(n):
                model.add_hint(x[i], i in chosen)
    seconds = time.perf_counter() - started
    if status == cp_model.INFEASIBLE or (status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and not chosen):
        if status == cp_model.INFEASIBLE:
            return _infeasible(problem, "CP-SAT", exact, seconds)
        return _plan(problem, (), "CP-SAT", False, exact, seconds, timed_out=True)
    return _plan(problem, chosen, "CP-SAT", optimal, exact, seconds)


def greedy(problem: ResourceProblem, order: str) -> Plan:
    """The baselines: take parts in one order until the case passes. ``largest``: largest cost
    first; ``ratio``: least extra cost per euro of relief first (relief = o_i + c d_i)."""
    import time

    started = time.perf_counter()
    c = problem.cap
    indices = list(range(len(problem.options)))
    if order == "largest":
        indices.sort(key=lambda i: -problem.options[i].old)
    elif order == "ratio":

        def ratio(i: int) -> Fraction:
            o = problem.options[i]
            relief = o.old + c * o.extra
            return o.extra / relief if relief > 0 else Fraction(10**18)

        indices.sort(key=ratio)
    else:
        raise ValueError(order)
    chosen = [i for i, o in enumerate(problem.options) if o.required]
    taken = set(chosen)
    # running exact figures: one addition per part taken, not a re-sum
    total = problem.total + sum((problem.options[i].extra for i in chosen), Fraction(0))
    plain = problem.plain - sum((problem.options[i].old for i in chosen), Fraction(0))

    def passing() -> bool:
        excess = sum((max(a - k * total, Fraction(0)) for a, k in problem.agreements if k is not None), Fraction(0))
        return plain + excess <= c * total

    for i in indices:
        if passing():
            break
        if i not in taken:
            chosen.append(i)
            taken.add(i)
            total += problem.options[i].extra
            plain -= problem.options[i].old
    name = {"largest": "greedy, largest cost first", "ratio": "greedy, best ratio first"}[order]
    if not problem.passes(chosen):
        return _infeasible(problem, name, True, time.perf_counter() - started)
    return _plan(problem, tuple(sorted(chosen)), name, False, True, time.perf_counter() - started)


def _plan(
    problem: ResourceProblem,
    chosen: tuple[int, ...],
    method: str,
    optimal: bool,
    exact: bool,
    seconds: float,
    *,
    timed_out: bool = False,
) -> Plan:
    non_eligible, total = problem.non_eligible_after(chosen)
    after = non_eligible <= problem.cap * total and not problem.pinned_excluded
    before = problem.passes(())
    picked = tuple(sorted((problem.options[i] for i in chosen), key=lambda o: (-o.old, o.part)))
    limit = problem.cap * total
    if timed_out:
        text = "No plan was found within the time limit; try again with fewer parts or a longer limit."
    elif before and not picked:
        text = (
            f"The case already passes the component-cost rule: non-eligible cost {format_eur(non_eligible)} is "
            f"within the limit of {format_eur(limit)}; nothing needs to be re-sourced."
        )
    else:
        moved = sum((o.old for o in picked), Fraction(0))
        extra = sum((o.extra for o in picked), Fraction(0))
        text = (
            f"Re-source {len(picked)} part{'s' if len(picked) != 1 else ''} ({format_eur(moved)} of non-eligible cost) "
            f"to suppliers in eligible countries"
            + (f", at {format_eur(extra)} extra cost" if extra > 0 else "")
            + (f", saving {format_eur(-extra)}" if extra < 0 else "")
            + f": non-eligible cost becomes {format_eur(non_eligible)}, within the limit of {format_eur(limit)}."
        )
        if any(o.required for o in picked):
            text += " Parts from an excluded third country are included whatever their cost: they may not stay."
    notes = []
    if problem.pinned_excluded:
        text += (
            f" But {', '.join(problem.pinned_excluded)} comes from an excluded third country and is pinned: "
            "the case cannot be eligible while it stays."
        )
    if not exact:
        notes.append(
            "The figures were too large to scale exactly for the solver; each was rounded to a millionth of a "
            "euro in the direction that keeps the plan passing, and the result was checked exactly."
        )
    if method == "CP-SAT" and picked and not optimal:
        notes.append("The solver stopped at its time limit: this plan passes but may not be the cheapest.")
    return Plan(
        passes_before=before and not problem.pinned_excluded and not any(o.required for o in problem.options),
        passes_after=after,
        feasible=after,
        chosen=picked,
        non_eligible_after=non_eligible,
        component_cost_after=total,
        cap=problem.cap,
        method=method,
        optimal=optimal,
        exact_scale=exact,
        explanation=text,
        pinned=problem.pinned,
        blocked=problem.blocked,
        seconds=seconds,
        notes=tuple(notes),
    )


def _infeasible(problem: ResourceProblem, method: str, exact: bool, seconds: float) -> Plan:
    everything = tuple(range(len(problem.options)))
    non_eligible, total = problem.non_eligible_after(everything)
    limit = problem.cap * total
    stuck = len(problem.blocked)
    text = (
        f"No re-sourcing plan can pass: even moving every part that may move "
        f"({len(everything)} part{'s' if len(everything) != 1 else ''}), non-eligible cost would be "
        f"{format_eur(non_eligible)}, over the limit of {format_eur(limit)}."
    )
    if stuck:
        text += (
            f" {stuck} non-eligible part{'s' if stuck != 1 else ''} cannot move (pinned, or no eligible supplier's "
            "price given): see the list; an eligible supplier for some of them, or a participation agreement, "
            "is needed."
        )
    plan = _plan(problem, (), method, True, exact, seconds)
    return replace(plan, passes_after=False, feasible=False, explanation=text)


def plan(
    parts: Sequence[Part],
    verdict,
    *,
    candidates: Mapping[str, Candidate] | None = None,
    pins: Iterable[str] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Plan:
    """The re-sourcing plan for an assessed case (``parts``: ``advice.parts(case, verdict)``)."""
    return solve(build_problem(parts, verdict, candidates=candidates, pins=pins), time_limit=time_limit)


# -- the candidates file -------------------------------------------------------------------------

CANDIDATE_COLUMNS = {
    "part": ("part", "id", "part_id", "part_number", "item"),
    "unit_cost": ("unit_cost", "unit_cost_eur", "price", "unit_price", "new_unit_cost"),
    "currency": ("currency",),
    "origin": ("origin", "new_origin", "country"),
    "supplier": ("supplier", "supplier_name"),
    "pinned": ("pinned", "pin", "cannot_move"),
}
TRUE_WORDS = {"true", "yes", "y", "1", "x"}
FALSE_WORDS = {"false", "no", "n", "0", ""}


def _number(text: str) -> Fraction:
    """1234.56, 1 234,56, 1.234,56 or 1,234.56: the last of ',' and '.' is the decimal mark."""
    from decimal import Decimal, InvalidOperation

    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    if "," in cleaned and "." in cleaned:
        mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        other = "." if mark == "," else ","
        cleaned = cleaned.replace(other, "").replace(mark, ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Fraction(Decimal(cleaned))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{text!r} is not a price") from None
    if value < 0:
        raise ValueError(f"a price cannot be negative ({text!r})")
    return value


def _rows(content: bytes, source: str) -> list[tuple[int | None, dict[str, Any]]]:
    import csv
    import io
    import json

    name = source.lower()
    if name.endswith(".json"):
        try:
            data = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{source} is not valid JSON ({exc})", field="candidates") from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InputError(f"{source} must be a list of objects, one per part", field="candidates")
        return [(None, {str(k): v for k, v in r.items()}) for r in data]
    if name.endswith(".xlsx"):
        from .xlsx import read_first_sheet

        # the safe reader of BOM workbooks: the zip is checked (no bombs, no DOCTYPE) before reading
        frame, first_row = read_first_sheet(content, source=source)
        table = [["" if v is None else v for v in row] for row in frame.rows()]
        # title rows above the header: the header is the first row naming a part column
        for start, row in enumerate(table):
            if any(_normalise(v) in CANDIDATE_COLUMNS["part"] for v in row):
                header = [_normalise(v) for v in row]
                return [
                    (first_row + start + 1 + i, _padded(header, r))
                    for i, r in enumerate(table[start + 1 :])
                    if any(str(v).strip() for v in r)
                ]
        raise InputError(f"{source} has no header row naming the part column (part or id)", field="candidates")
    if not name.endswith(".csv"):
        raise InputError(f"{source}: give the candidates as CSV, XLSX or JSON", field="candidates")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text", field="candidates") from None
    text = text.replace("\x00", "")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    table = list(reader)
    if not table:
        raise InputError(f"{source} is empty", field="candidates")
    header = [_normalise(v) for v in table[0]]
    return [(i + 2, _padded(header, r)) for i, r in enumerate(table[1:]) if any(v.strip() for v in r)]


def _padded(header: list[str], row: Sequence[Any]) -> dict[str, Any]:
    """A row as a mapping of every column of the header (a short row's missing cells empty)."""
    return {name: (row[i] if i < len(row) else "") for i, name in enumerate(header)}


def _normalise(value: Any) -> str:
    return str(value).strip().lower().replace(" ", "_").replace("-", "_")


def read_candidates(
    content: bytes,
    source: str,
    *,
    to_euro=None,
    origin_ok=None,
) -> dict[str, Candidate]:
    """Candidate eligible suppliers, one row per part: part, unit_cost (the new price of one
    unit), currency (EUR if not given), origin, supplier, pinned. ``to_euro(amount, currency,
    line)`` converts a price; ``origin_ok(code)`` says whether an origin is eligible."""
    rows = _rows(content, source)
    problems: list[Problem] = []
    out: dict[str, Candidate] = {}
    if rows:
        keys = set().union(*(r.keys() for _, r in rows))
        known = {alias for aliases in CANDIDATE_COLUMNS.values() for alias in aliases}
        for key in sorted(k for k in keys - known if k):
            problems.append(
                Problem(
                    f"unknown column {key!r}; the columns are part, unit_cost, currency, origin, supplier, pinned",
                    field=f"candidates.{key}",
                )
            )
    for position, (line, row) in enumerate(rows):
        found = _candidate(row, line, position, problems, to_euro, origin_ok)
        if found is None:
            continue
        if found.part in out:
            _row_problem(
                problems,
                line,
                position,
                found.part,
                f"part {found.part!r} is given twice; give one row per part (the best offer)",
                "part",
            )
            continue
        out[found.part] = found
    if problems:
        raise InputError(problems)
    return out


def euro_converter(case, verdict):
    """Convert a quoted price to euros: the rates the verdict used, else the ECB fixing for the
    rate date (``rates.resolve_rates``), else the problem with its line."""
    from .rates import resolve_rates

    used = {r["currency"]: Fraction(Decimal(str(r["per_euro"]))) for r in verdict.rates}

    def to_euro(amount: Fraction, currency: str, line: int | None) -> Fraction:
        if currency not in used:
            table = resolve_rates({currency: line}, case.rates_on or verdict.assessment_date, case.rates)
            used[currency] = Fraction(table.rates[currency].per_euro)
        return amount / used[currency]

    return to_euro


def _row_problem(problems: list[Problem], line, position: int, part, message: str, fld: str) -> None:
    if line is not None:
        problems.append(Problem(message, field=fld, line=line, item=part))
    else:
        problems.append(Problem(message, field=f"candidates[{position}].{fld}", item=part))


def _candidate(row: Mapping[str, Any], line, position: int, problems: list[Problem], to_euro, origin_ok):
    """One row of the candidates file, or None (its problems recorded)."""

    def get(kind: str) -> Any:
        for alias in CANDIDATE_COLUMNS[kind]:
            if alias in row and row[alias] is not None and str(row[alias]).strip() != "":
                return row[alias]
        return None

    part = get("part")
    part = None if part is None else str(part).strip()
    if not part:
        _row_problem(problems, line, position, None, "each row needs the part it is for (part)", "part")
        return None

    def problem(message: str, fld: str) -> None:
        _row_problem(problems, line, position, part, message, fld)

    pinned_raw = get("pinned")
    pinned = False
    if pinned_raw is not None:
        if isinstance(pinned_raw, bool):
            pinned = pinned_raw
        elif str(pinned_raw).strip().lower() in TRUE_WORDS:
            pinned = True
        elif str(pinned_raw).strip().lower() not in FALSE_WORDS:
            problem(f"pinned must be yes or no, not {pinned_raw!r}", "pinned")
    price = get("unit_cost")
    amount = None
    if price is not None:
        try:
            if isinstance(price, bool):
                raise ValueError(f"{price!r} is not a price")
            amount = Fraction(str(price)) if isinstance(price, (int, float)) else _number(str(price))
            if amount < 0:
                raise ValueError(f"a price cannot be negative ({price!r})")
        except ValueError as exc:
            problem(str(exc), "unit_cost")
            amount = None
    elif not pinned:
        problem("give the eligible supplier's unit_cost, or mark the part pinned", "unit_cost")
    currency = str(get("currency") or "EUR").strip().upper()
    if amount is not None and currency != "EUR":
        if to_euro is None:
            problem(f"prices in {currency} cannot be converted here; give them in EUR", "currency")
            amount = None
        else:
            try:
                amount = to_euro(amount, currency, line)
            except InputError as exc:
                problems.extend(exc.problems)
                amount = None
    origin = get("origin")
    origin = None if origin is None else str(origin).strip().upper()
    if origin is not None and origin_ok is not None and not origin_ok(origin):
        problem(f"{origin} is not an eligible country on the assessment date", "origin")
    supplier = get("supplier")
    return Candidate(
        part=part,
        unit_cost_eur=amount,
        origin=origin,
        supplier=None if supplier is None else str(supplier).strip(),
        pinned=pinned,
        line=line,
    )
