"""Web pages of the commitments capability (thin: the service layer does the work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accord.commitments import chart, services
from accord.commitments.engine import safe_allocations
from accord.commitments.engine.status import MAX_INCREASE
from accord.errors import InputError, Problem
from accord.web.lists import Column, work_list
from accord.web.templatetags.accord_text import when


def _assessment_date(request):
    """The date from ?on=, or today; a bad date gives the error summary and today's page."""
    today = timezone.localdate()
    try:
        return services.parse_on(request.GET.get("on"), today), []
    except InputError:
        return today, [Problem("Enter the assessment date as a real date, for example 1 October 2025", field="on")]


def _no_answer(on, parameters, what: str):
    """Before the rules a page applies were in force there is no answer: say so in words."""
    start = services.first_answer_date(parameters)
    if on >= start:
        return None
    return f"No {what} are recorded before {when(start)}. Choose a date on or after {when(start)}."


def _before_start(request, on, problems, template, nav, date_hint, message):
    return render(
        request,
        template,
        {"on": on, "problems": problems, "nav": nav, "date_hint": date_hint, "no_answer": message},
        status=400 if problems else 200,
    )


CHART_HINT = "Only figures published by this date count, and only targets adopted by then."
ALLOCATIONS_HINT = "The date on which the SAFE envelope and the cap on the three largest loans are read."


@login_required
def spending_chart(request):
    on, problems = _assessment_date(request)
    message = _no_answer(on, [MAX_INCREASE], "figures")
    if message:
        return _before_start(request, on, problems, "commitments/chart.html", "chart", CHART_HINT, message)
    spending = services.spending_for(request.user, on)
    status = services.status_for(request.user, on)
    rows = _table_rows(spending, status)
    sources = _number_sources(rows)
    targets = [{**t, "short_label": chart.short_label(t)} for t in status["targets"]]
    return render(
        request,
        "commitments/chart.html",
        {
            "on": on,
            "problems": problems,
            "chart": chart.build(spending, status),
            "rows": rows,
            "targets": targets,
            "sources": sources,
            "summary": status["summary"],
            "rule": status["rule"],
            "nav": "chart",
            "date_hint": CHART_HINT,
        },
        status=400 if problems else 200,
    )


def _table_rows(spending, status):
    by_state: dict[str, dict] = {}
    for row in status["statuses"]:
        by_state.setdefault(row["state"], {})[row["target"]] = row
    target_ids = [t["id"] for t in status["targets"]]
    rows = []
    for latest in sorted(spending["latest"], key=lambda r: r["name"]):
        per_target = by_state.get(latest["state"], {})
        rows.append(
            {
                **latest,
                "statuses": [_labelled(per_target.get(tid)) for tid in target_ids],
            }
        )
    return rows


def _number_sources(rows):
    """Number each distinct source once; rows point to it (a compact table, full sources below)."""
    sources: list[dict] = []
    numbers: dict[tuple, int] = {}
    for row in rows:
        source = row["figure"]["source"] if row["figure"] else None
        if not source:
            row["source_number"] = None
            continue
        key = (source["title"], source["href"])
        if key not in numbers:
            numbers[key] = len(sources) + 1
            sources.append({**source, "number": numbers[key]})
        row["source_number"] = numbers[key]
    return sources


def _labelled(status_row):
    if status_row is None:
        return None
    return {**status_row, "label": chart.STATUS_LABEL[status_row["status"]].capitalize()}


@login_required
def allocations(request):
    on, problems = _assessment_date(request)
    message = _no_answer(on, [safe_allocations.ENVELOPE, safe_allocations.CAP], "SAFE allocations")
    if message:
        return _before_start(
            request, on, problems, "commitments/allocations.html", "allocations", ALLOCATIONS_HINT, message
        )
    data = services.allocations_for(request.user, on)
    largest = next((c["figures"] for c in data["checks"] if c["name"] == "three_largest_share"), None)
    counted = {a["state"] for a in largest["largest"]} if largest else set()
    tied = set(largest["tied_at_cutoff"]) if largest else set()
    for row in data["allocations"]:
        row["euros"] = f"{row['amount_eur']:,}"
        row["percent"] = f"{row['share'] * 100:.2f}%"
        # A tie for third place changes nobody's sum: say so rather than pick one silently.
        if row["state"] in tied:
            row["rank_note"] = "tied for third largest"
        elif row["state"] in counted:
            row["rank_note"] = "among the three largest"
    return render(
        request,
        "commitments/allocations.html",
        {
            "on": on,
            "problems": problems,
            "data": data,
            "nav": "allocations",
            "date_hint": ALLOCATIONS_HINT,
            "total_euros": f"{data['total_eur']:,}",
        },
        status=400 if problems else 200,
    )


@login_required
def groupings(request):
    on, problems = _assessment_date(request)
    data = services.groupings_on(on)
    return render(
        request,
        "commitments/groupings.html",
        {
            "on": on,
            "problems": problems,
            "groupings": data["groupings"],
            "nav": "groupings",
            "date_hint": "Members on this date are listed.",
        },
        status=400 if problems else 200,
    )


FIGURE_COLUMNS = [
    Column("state", "State"),
    Column("year", "Year", numeric=True),
    Column("measure", "Measure"),
    Column("percent", "% of GDP", numeric=True),
    Column("source", "Source"),
    Column("published", "Published"),
    Column("note", "Note"),
]


@login_required
def figures(request):
    """Every recorded figure, every year (gaps included): search, sort, pages, CSV."""
    rows = []
    for record in services.visible_figures(request.user).select_related("state"):
        percent = None
        if record.percent_gdp is not None:
            percent = f"{'about ' if record.approximate else ''}{record.percent_gdp:.2f}"
        rows.append(
            {
                "state": record.state.name,
                "year": record.year,
                "measure": record.measure.replace("_", " "),
                "percent": percent,
                "source": record.source_title,
                "published": record.published,
                "note": record.note or ("No figure recorded" if record.percent_gdp is None else ""),
            }
        )
    result = work_list(request, rows, FIGURE_COLUMNS, filename="defence-spending", default_sort="state")
    if not isinstance(result, dict):
        return result
    return render(
        request,
        "commitments/figures.html",
        {"list": result, "nav": "figures", "noun": "figures", "search_label": "Search by state, year or source"},
    )
