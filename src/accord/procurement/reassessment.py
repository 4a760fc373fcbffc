"""Verdicts that follow the rules, portfolios and a party's own scenarios.

A stored assessment keeps the parameter values its verdict used. When the
parameters or a scenario change, ``reassess`` evaluates the stored cases again
(same case, same assessment date, the scenario they named); an assessment whose
verdict or figures would change is flagged, with each difference in words, and
the new verdict is kept beside the stored one. Nothing is rewritten until a
user of the owning party accepts the new verdict (audited).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accord.errors import InputError, Problem
from accord.platform import audit, policy
from accord.procurement import services
from accord.procurement.engine import assess, builtin_scenarios, parse_case
from accord.procurement.engine.scenarios import baseline_parameters
from accord.procurement.models import Assessment, SafeScenario
from accord.rules.parameters import ParameterError, _jsonable

# The figures of a verdict compared on re-evaluation, with their names on a page.
FIGURES = (
    ("eligible", "Verdict"),
    ("conditional", "Conditions"),
    ("component_cost_eur", "Estimated cost of the components"),
    ("non_eligible_cost_eur", "Non-eligible component cost"),
    ("non_eligible_share", "Non-eligible share of the component cost"),
    ("non_eligible_cap", "Limit on the non-eligible share"),
    ("headroom_eur", "Headroom"),
    ("unknown_origin_cost_eur", "Components of unknown origin"),
)
MONEY = {"component_cost_eur", "non_eligible_cost_eur", "headroom_eur", "unknown_origin_cost_eur"}
SHARES = {"non_eligible_share", "non_eligible_cap"}


def _shown(name: str, value: Any) -> str:
    if value is None:
        return "none"
    if name == "eligible":
        return "eligible" if value else "not eligible"
    if name == "conditional":
        return "conditional" if value else "unconditional"
    if name in MONEY:
        return f"−€{-value:,.2f}" if value < 0 else f"€{value:,.2f}"
    if name in SHARES:
        return f"{value * 100:.4g}%"
    return str(value)


def _parameter_shown(value: Any) -> str:
    if value is None:
        return "not in force"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value) or "none"
    elif isinstance(value, Mapping):
        text = ", ".join(f"{k}: {v}" for k, v in value.items()) or "none"
    else:
        text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each figure or check of a verdict that differs: label, old and new value, and a sentence."""
    out = []
    for name, label in FIGURES:
        if name in old and name in new and old[name] != new[name]:
            before, after = _shown(name, old[name]), _shown(name, new[name])
            out.append(
                {
                    "figure": name,
                    "label": label,
                    "old": before,
                    "new": after,
                    "sentence": f"{label}: {before} before, {after} now.",
                }
            )
    old_checks = {c["rule"]: c for c in old.get("checks", [])}
    for check in new.get("checks", []):
        before = old_checks.get(check["rule"])
        if before is not None and before["passed"] != check["passed"]:
            label = f"Check: {check['rule'].replace('_', ' ')}"
            was, now = ("passed" if before["passed"] else "failed"), ("passes" if check["passed"] else "fails")
            out.append(
                {
                    "figure": f"check:{check['rule']}",
                    "label": label,
                    "old": was,
                    "new": now,
                    "sentence": f"{label}: {was} before, {now} now ({check['reference']}).",
                }
            )
    return out


def parameter_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, str]]:
    """The parameters whose value on the assessment date changed, named by their label."""
    params = baseline_parameters()
    out = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            label = params[name].label if name in params else name
            before, after = _parameter_shown(old.get(name)), _parameter_shown(new.get(name))
            out.append(
                {
                    "figure": f"parameter:{name}",
                    "label": label,
                    "old": before,
                    "new": after,
                    "sentence": f"{label}: {before} before, {after} now.",
                }
            )
    return out


def reevaluate(assessment: Assessment) -> tuple[dict[str, Any], dict[str, Any]]:
    """The stored case assessed again under the parameters in force now (its scenario, its date)."""
    reg = services.registry()
    case = parse_case(assessment.case, registry=reg, limits=services.limits())
    params = services.parameters_of(assessment.scenario, assessment.user_scenario)
    verdict = assess(case, params, reg)
    return verdict.as_dict(), services.parameter_values(params, verdict.assessment_date)


@dataclass
class Summary:
    checked: int = 0
    flagged: list[int] = field(default_factory=list)
    cleared: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "flagged": self.flagged,
            "cleared": self.cleared,
            "failed": [{"id": i, "problem": p} for i, p in self.failed],
        }

    def sentence(self) -> str:
        return (
            f"{self.checked} assessment(s) evaluated again: {len(self.flagged)} would change and are flagged, "
            f"{len(self.failed)} could not be evaluated."
        )


def reassess(assessments: Iterable[Assessment], *, actor=None, progress=None) -> Summary:
    """Evaluate stored assessments again; flag (never rewrite) those whose verdict or figures change."""
    summary = Summary()
    if isinstance(assessments, QuerySet):  # many stored cases: read a few at a time, not all at once
        total, records = assessments.count(), assessments.iterator(chunk_size=50)
    else:
        records = list(assessments)
        total = len(records)
    with audit.acting_as(actor):
        for number, assessment in enumerate(records, start=1):
            summary.checked += 1
            try:
                new_verdict, new_params = reevaluate(assessment)
            except InputError as exc:
                summary.failed.append((assessment.pk, "; ".join(str(p) for p in exc.problems)))
                continue
            found = differences(assessment.verdict, new_verdict)
            if found:
                if assessment.parameters:  # not recorded for assessments stored before they were
                    found += parameter_changes(assessment.parameters, new_params)
                if assessment.pending_verdict != new_verdict or assessment.differences != found:
                    with transaction.atomic():
                        assessment.pending_verdict, assessment.pending_parameters = new_verdict, new_params
                        assessment.differences, assessment.flagged_at = found, timezone.now()
                        assessment.save()
                        audit.record_event(assessment, "safe.reassessment_flagged", {"differences": found})
                summary.flagged.append(assessment.pk)
            elif assessment.flagged_at is not None:  # the rules came back to what the verdict used
                with transaction.atomic():
                    assessment.pending_verdict = assessment.pending_parameters = None
                    assessment.differences, assessment.flagged_at = [], None
                    assessment.save()
                    audit.record_event(assessment, "safe.reassessment_cleared", {})
                summary.cleared.append(assessment.pk)
            if progress is not None:
                progress(number, total)
    return summary


def reassess_all(*, actor=None, progress=None) -> Summary:
    """Every stored assessment (the operator's command after a parameter change)."""
    return reassess(Assessment.objects.select_related("user_scenario").order_by("pk"), actor=actor, progress=progress)


def reassess_for(user, *, progress=None) -> Summary:
    """The assessments the user's party owns (what a user may ask for from a page)."""
    policy.require(user, "create")
    records = Assessment.objects.select_related("user_scenario").filter(owner=policy.party_of(user)).order_by("pk")
    return reassess(records, actor=user, progress=progress)


def accept_new_verdict(user, assessment_id: int) -> Assessment:
    """The flagged re-evaluation becomes the assessment's verdict (an editor of the owner; audited)."""
    assessment = policy.get_visible(user, Assessment.objects.select_related("owner"), pk=assessment_id)
    policy.require(user, "edit", assessment)
    if assessment.pending_verdict is None:
        raise InputError("this assessment has no new verdict to accept", field="accept")
    old = {"eligible": assessment.eligible, "verdict": assessment.verdict, "parameters": assessment.parameters}
    with audit.acting_as(user), transaction.atomic():
        assessment.verdict, assessment.eligible = assessment.pending_verdict, assessment.pending_verdict["eligible"]
        assessment.parameters = assessment.pending_parameters or {}
        accepted = assessment.differences
        assessment.pending_verdict = assessment.pending_parameters = None
        assessment.differences, assessment.flagged_at = [], None
        assessment.save()
        audit.record_event(
            assessment,
            "safe.new_verdict_accepted",
            {"differences": accepted, "old_eligible": old["eligible"], "new_eligible": assessment.eligible},
        )
    return assessment


# -- a party's own scenarios ------------------------------------------------------------------------

MAX_SCENARIO_BYTES = 64 * 1024
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
SCENARIO_KEYS = ("name", "label", "overrides")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    if value is None:
        return "null"
    import datetime as dt

    if isinstance(value, dt.date):
        return "a date"
    return "text"


def parse_scenario(content: bytes | str, *, name: str | None = None) -> dict[str, Any]:
    """A scenario file checked against the known parameters; every problem names the parameter."""
    raw = content.encode("utf-8") if isinstance(content, str) else content
    if len(raw) > MAX_SCENARIO_BYTES:
        raise InputError(
            f"the scenario is {len(raw):,} bytes, over the {MAX_SCENARIO_BYTES:,}-byte limit", field="scenario_file"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the scenario is not UTF-8 text", field="scenario_file") from None
    if "\x00" in text:
        raise InputError("the scenario holds a NUL character", field="scenario_file")
    try:
        # anchors and aliases can make a small file expand without end: a scenario never needs them
        if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=yaml.SafeLoader)):
            raise InputError("the scenario uses YAML aliases (*name); write each value out", field="scenario_file")
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"the scenario is not valid YAML ({getattr(exc, 'problem', None) or exc})",
            field="scenario_file",
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(data, Mapping) or not isinstance(data.get("overrides"), Mapping) or not data["overrides"]:
        raise InputError(
            "a scenario needs overrides: a mapping of parameter names to values, e.g. "
            "safe.component_cost.non_eligible_cap: 0.4",
            field="scenario_file",
        )
    problems: list[Problem] = []
    for k in data:
        if k not in SCENARIO_KEYS:
            problems.append(
                Problem(f"unknown field {str(k)!r}; a scenario has {', '.join(SCENARIO_KEYS)}", field="scenario_file")
            )
    chosen = str(name or data.get("name") or "").strip().lower()
    if not _NAME.match(chosen):
        problems.append(
            Problem(
                f"give the scenario a name of lower-case letters, digits and hyphens (at most 60), not {chosen!r}",
                field="name",
            )
        )
    elif chosen in builtin_scenarios():
        problems.append(Problem(f"{chosen!r} is the name of a built-in scenario; choose another", field="name"))
    label = str(data.get("label") or chosen).strip()[:300]
    baseline = baseline_parameters()
    known = baseline.names("safe.")
    for parameter, override in data["overrides"].items():
        pname = str(parameter)
        if pname not in known:
            close = difflib.get_close_matches(pname, known, n=1, cutoff=0.7)
            hint = f"; did you mean {close[0]!r}?" if close else "; see the list of SAFE parameters"
            problems.append(Problem(f"unknown parameter {pname!r}{hint}", field=f"overrides.{pname}"))
            continue
        current = baseline[pname].values[-1][1]
        dated = isinstance(override, Mapping) and override and all(_is_date(k) for k in override)
        values = list(override.values()) if dated else [override]
        for value in values:
            if current is not None and value is not None and _kind(value) != _kind(current):
                problems.append(
                    Problem(
                        f"{baseline[pname].label} ({pname}) takes {_kind(current)}, not {_kind(value)} "
                        f"({_parameter_shown(_jsonable(value))})",
                        field=f"overrides.{pname}",
                    )
                )
                break
            if _kind(value) == "a number" and pname.endswith(("_cap", "_share")) and not 0 <= value <= 1:
                problems.append(
                    Problem(
                        f"{baseline[pname].label} ({pname}) is a fraction from 0 to 1, not {value}",
                        field=f"overrides.{pname}",
                    )
                )
                break
    if problems:
        raise InputError(problems)
    overrides = _jsonable(dict(data["overrides"]))
    try:
        baseline.with_overrides(overrides, scenario=chosen, label=label)
    except (ParameterError, ValueError, TypeError) as exc:
        raise InputError(str(exc), field="scenario_file") from None
    return {"name": chosen, "label": label, "overrides": overrides}


def _is_date(value: Any) -> bool:
    import datetime as dt

    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(value))
        return True
    except ValueError:
        return False


def known_parameters() -> list[dict[str, str]]:
    """The SAFE parameters a scenario may override: name and label."""
    params = baseline_parameters()
    return [{"name": name, "label": params[name].label} for name in params.names("safe.")]


def visible_scenarios(user):
    return policy.visible(user, SafeScenario.objects.select_related("owner"))


def upload_scenario(user, content: bytes | str, *, name: str | None = None) -> tuple[SafeScenario, Summary | None]:
    """Store (or replace) the party's own scenario, audited; when it replaces one, the assessments
    made under it are evaluated again and flagged where their verdict would change."""
    policy.require(user, "create")
    owner = policy.party_of(user)
    parsed = parse_scenario(content, name=name)
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    with audit.acting_as(user), transaction.atomic():
        record = SafeScenario.objects.filter(owner=owner, name=parsed["name"]).first()
        changed = record is not None and record.overrides != parsed["overrides"]
        if record is None:
            record = SafeScenario(owner=owner, created_by=user, name=parsed["name"])
        record.label, record.overrides, record.source_text = parsed["label"], parsed["overrides"], text
        record.save()
    summary = None
    if changed:
        summary = reassess(record.assessments.select_related("user_scenario").order_by("pk"), actor=user)
    return record, summary


# -- portfolio -----------------------------------------------------------------------------------

VERDICT_FILTERS = {
    "eligible": "Eligible",
    "not-eligible": "Not eligible",
    "flagged": "Would change under the rules now",
}


def portfolio(user, *, procurer: str | None = None, category: int | None = None, verdict: str | None = None):
    """The assessments the user may see, filtered; InputError for a filter value that means nothing."""
    records = policy.visible(user, Assessment.objects.select_related("owner"))
    problems = []
    if procurer:
        code = procurer.strip().upper()
        if not (len(code) == 2 and code.isascii() and code.isalpha()):
            problems.append(
                Problem(
                    f"the procurer must be a two-letter country code such as PL, not {procurer!r}", field="procurer"
                )
            )
        else:
            records = records.filter(procurers__contains=f",{code},")
    if category is not None:
        if category not in (1, 2):
            problems.append(Problem("the product category must be 1 or 2", field="category"))
        else:
            records = records.filter(category=category)
    if verdict:
        if verdict not in VERDICT_FILTERS:
            problems.append(Problem(f"the verdict must be one of {', '.join(VERDICT_FILTERS)}", field="verdict"))
        elif verdict == "flagged":
            records = records.filter(flagged_at__isnull=False)
        else:
            records = records.filter(eligible=verdict == "eligible")
    if problems:
        raise InputError(problems)
    return records


def totals_by_origin(records) -> list[dict[str, Any]]:
    """Component cost per origin summed over the assessments (their stored verdicts), largest first."""
    totals: dict[str, float] = {}
    for verdict in records.values_list("verdict", flat=True).iterator():
        for origin, cost in (verdict or {}).get("cost_by_origin", {}).items():
            totals[origin] = totals.get(origin, 0.0) + float(cost or 0)
    return [{"origin": o, "cost_eur": round(c, 2)} for o, c in sorted(totals.items(), key=lambda x: (-x[1], x[0]))]
