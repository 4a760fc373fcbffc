"""SAFE work that runs in the background: checking a portfolio of cases.

An official checking a programme's many procurements sends them at once; each
case is validated and assessed exactly as a single check would be, without
storing anything, and the job's result is one row per case."""

from __future__ import annotations

from typing import Any

from accord.background.jobs import Outcome, job_kind
from accord.errors import InputError
from accord.money import format_share
from accord.procurement import services

PORTFOLIO = "safe.portfolio"
COLUMNS = [("title", "Case"), ("verdict", "Verdict"), ("share", "Non-eligible share"), ("problems", "Problems")]


def _row(number: int, data: Any, scenario: str) -> dict[str, str]:
    title = data.get("title") if isinstance(data, dict) and isinstance(data.get("title"), str) else ""
    title = title or f"Case {number}"
    try:
        if not isinstance(data, dict):
            raise InputError("give each case as an object with the case's fields", item=f"case {number}")
        _case, verdict = services.check_case(data, scenario=scenario)
    except InputError as exc:
        return {
            "title": title,
            "verdict": "Bad input",
            "share": "",
            "problems": "; ".join(str(problem) for problem in exc.problems),
        }
    conditional = getattr(verdict, "conditional", False)
    label = "Eligible" if verdict.eligible else "Not eligible"
    if conditional and verdict.eligible:
        label = "Eligible, on a condition"
    return {
        "title": verdict.title or title,
        "verdict": label,
        "share": format_share(verdict.non_eligible_share),
        "problems": "",
    }


@job_kind(PORTFOLIO)
def check_portfolio(job, progress) -> Outcome:
    cases = job.payload.get("cases", [])
    scenario = job.payload.get("scenario") or services.BASELINE
    rows = []
    for number, data in enumerate(cases, start=1):
        rows.append(_row(number, data, scenario))
        progress(number, len(cases))
    counts = {
        label: sum(1 for row in rows if row["verdict"].startswith(label))
        for label in ("Eligible", "Not eligible", "Bad input")
    }
    summary = (
        f"{len(rows)} case(s): {counts['Eligible']} eligible, {counts['Not eligible']} not eligible, "
        f"{counts['Bad input']} with bad input."
    )
    return Outcome(result={"summary": summary, "columns": [list(c) for c in COLUMNS], "rows": rows, "counts": counts})


REASSESS = "safe.reassess"


@job_kind(REASSESS)
def reassess_assessments(job, progress) -> Outcome:
    """The party's stored assessments evaluated again under the rules now; changes are flagged."""
    from accord.procurement import reassessment

    summary = reassessment.reassess_for(job.submitted_by, progress=progress)
    rows = [{"id": str(pk), "result": "Would change: flagged for review"} for pk in summary.flagged]
    rows += [{"id": str(pk), "result": f"Could not be evaluated: {problem}"} for pk, problem in summary.failed]
    return Outcome(
        result={"summary": summary.sentence(), "columns": [["id", "Assessment"], ["result", "Result"]], "rows": rows},
        url="/safe/reassessment/",
    )
