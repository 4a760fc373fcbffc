"""SAFE pages for declarations, portfolios, own scenarios and re-evaluated verdicts (thin:
the services and the policy decide; refusals become 404/403 in the platform's middleware)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accord.errors import InputError, Problem
from accord.platform import policy
from accord.procurement import declarations as declaration_services
from accord.procurement import reassessment
from accord.procurement.engine.declarations import MAX_FILE_BYTES
from accord.procurement.models import Assessment
from accord.web.lists import Column, work_list

DEFAULT_EXPIRING_DAYS = 90


def problem_text(problem: Problem) -> str:
    """GOV.UK style: the message, after the line and the column of the file it is about."""
    message = problem.message[:1].upper() + problem.message[1:]
    if problem.line is not None:
        column = problem.field if problem.field and not problem.field.endswith("_file") else ""
        return f"Line {problem.line}" + (f", {column}" if column else "") + f": {message}"
    return message


def _errors(problems, field_id: str) -> list[dict[str, str]]:
    return [{"id": field_id, "text": problem_text(p)} for p in problems]


def _with_filters(listing, filters: dict[str, str]):
    """work_list keeps its own query (search, sort, page); keep the page's filters in its links too."""
    if not isinstance(listing, dict) or not filters:
        return listing
    extra = "&" + urlencode(filters)
    for header in listing["headers"]:
        header["href"] += extra
    for name in ("csv_href", "prev_href", "next_href"):
        if listing[name]:
            listing[name] += extra
    return listing


def _uploaded(request, field: str, limit: int) -> tuple[str, bytes] | Problem:
    upload = request.FILES.get(field)
    if upload is None:
        return Problem("Choose a file to upload", field=field)
    if upload.size > limit:
        return Problem(f"The file must be smaller than {limit // (1024 * 1024)} MB", field=field)
    return upload.name, upload.read()


# -- supplier declarations -------------------------------------------------------------------------

DECLARATION_COLUMNS = [
    Column("supplier", "Supplier"),
    Column("part_number", "Part number"),
    Column("origin", "Origin"),
    Column("valid_from", "Valid from"),
    Column("valid_to", "Valid to"),
    Column("document_reference", "Document"),
]


def _declaration_rows(records):
    return records.values("supplier", "part_number", "origin", "valid_from", "valid_to", "document_reference")


@login_required
def declarations_page(request):
    """The party's supplier declarations, and the upload form (CSV or XLSX)."""
    may_upload = policy.can(request.user, "create")
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied("you may not upload declarations")
        got = _uploaded(request, "declarations_file", MAX_FILE_BYTES)
        try:
            if isinstance(got, Problem):
                raise InputError([got])
            result = declaration_services.import_declarations(request.user, *got)
            return redirect(f"{request.path}?added={result['added']}&updated={result['updated']}")
        except InputError as exc:
            errors, status = _errors(exc.problems, "declarations_file"), 422
    listing = work_list(
        request,
        _declaration_rows(declaration_services.visible(request.user)),
        DECLARATION_COLUMNS,
        filename="supplier-declarations",
        default_sort="valid_to",
    )
    if not isinstance(listing, dict):
        return listing
    done = None
    if request.GET.get("added", "").isdigit() and request.GET.get("updated", "").isdigit():
        done = {"added": int(request.GET["added"]), "updated": int(request.GET["updated"])}
    return render(
        request,
        "procurement/declarations.html",
        {"list": listing, "errors": errors, "may_upload": may_upload, "done": done},
        status=status,
    )


@login_required
def declarations_expiring(request):
    """The declarations the party holds that end within the next N days (90 unless asked)."""
    errors: list[dict[str, str]] = []
    text = (request.GET.get("days") or str(DEFAULT_EXPIRING_DAYS)).strip()
    days = int(text) if text.isascii() and text.isdigit() and len(text) <= 5 else None
    today = timezone.localdate()
    try:
        if days is None:
            raise InputError(f"Enter the number of days as a whole number, such as 90, not {text[:20]!r}", field="days")
        records = declaration_services.expiring(request.user, days, today=today)
    except InputError as exc:
        errors = _errors(exc.problems, "days")
        days, records = (
            DEFAULT_EXPIRING_DAYS,
            declaration_services.expiring(request.user, DEFAULT_EXPIRING_DAYS, today=today),
        )
    listing = _with_filters(
        work_list(
            request,
            _declaration_rows(records),
            DECLARATION_COLUMNS,
            filename="supplier-declarations-expiring",
            default_sort="valid_to",
        ),
        {"days": str(days)},
    )
    if not isinstance(listing, dict):
        return listing
    return render(
        request,
        "procurement/declarations_expiring.html",
        {"list": listing, "errors": errors, "days": days, "until": today + dt.timedelta(days=days)},
        status=422 if errors else 200,
    )


# -- portfolio -------------------------------------------------------------------------------------

PORTFOLIO_COLUMNS = [
    Column("title", "Case", link=lambda r: f"/safe/assessments/{r['id']}/"),
    Column("owner", "Owner"),
    Column("procurers", "Procurers"),
    Column("category", "Category", numeric=True),
    Column("assessment_date", "Assessed on"),
    Column("verdict", "Verdict"),
    Column(
        "non_eligible_share", "Non-eligible share", text=lambda v: "" if v is None else f"{v * 100:.1f}%", numeric=True
    ),
    Column("component_cost_eur", "Component cost (€)", text=lambda v: "" if v is None else f"{v:,.2f}", numeric=True),
]


def verdict_words(assessment: Assessment) -> str:
    words = "Eligible" if assessment.eligible else "Not eligible"
    if assessment.eligible and assessment.verdict.get("conditional"):
        words = "Eligible, on a condition"
    return words + (" (would change under the rules now)" if assessment.flagged_at else "")


def portfolio_row(assessment: Assessment) -> dict:
    verdict = assessment.verdict or {}
    return {
        "id": assessment.pk,
        "title": assessment.title,
        "owner": assessment.owner.code,
        "procurers": ", ".join(c for c in assessment.procurers.split(",") if c),
        "category": assessment.category,
        "assessment_date": assessment.assessment_date,
        "verdict": verdict_words(assessment),
        "eligible": assessment.eligible,
        "flagged": assessment.flagged_at is not None,
        "non_eligible_share": verdict.get("non_eligible_share"),
        "component_cost_eur": verdict.get("component_cost_eur"),
    }


@login_required
def portfolio_page(request):
    """Every assessment the user's party may see, filtered by procurer, category and verdict."""
    filters = {k: (request.GET.get(k) or "").strip()[:20] for k in ("procurer", "category", "verdict")}
    errors: list[dict[str, str]] = []
    category = filters["category"]
    try:
        if category and not (category.isascii() and category.isdigit()):
            raise InputError("Choose product category 1 or 2", field="category")
        records = reassessment.portfolio(
            request.user,
            procurer=filters["procurer"] or None,
            category=int(category) if category else None,
            verdict=filters["verdict"] or None,
        )
    except InputError as exc:
        errors = [{"id": p.field or "procurer", "text": problem_text(p)} for p in exc.problems]
        records = reassessment.portfolio(request.user)
        filters = {}
    records = records.select_related("owner")
    listing = _with_filters(
        work_list(
            request,
            [portfolio_row(a) for a in records],
            PORTFOLIO_COLUMNS,
            filename="safe-portfolio",
            default_sort="assessment_date",
            default_dir="desc",
        ),
        {k: v for k, v in filters.items() if v},
    )
    if not isinstance(listing, dict):
        return listing
    return render(
        request,
        "procurement/portfolio.html",
        {
            "list": listing,
            "errors": errors,
            "filters": filters,
            "verdicts": reassessment.VERDICT_FILTERS,
            "totals": reassessment.totals_by_origin(records),
        },
        status=422 if errors else 200,
    )


# -- a party's own scenarios -----------------------------------------------------------------------


@login_required
def scenarios_page(request):
    may_upload = policy.can(request.user, "create")
    errors: list[dict[str, str]] = []
    summary = None
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied("you may not upload scenarios")
        upload = request.FILES.get("scenario_file")
        text = (request.POST.get("scenario_text") or "").strip()
        try:
            if upload is None and not text:
                raise InputError("Upload a scenario file (YAML) or paste its text", field="scenario_file")
            if upload is not None and upload.size > reassessment.MAX_SCENARIO_BYTES:
                raise InputError(
                    f"The scenario file must be smaller than {reassessment.MAX_SCENARIO_BYTES // 1024} kB",
                    field="scenario_file",
                )
            content = upload.read() if upload is not None else text
            record, summary = reassessment.upload_scenario(
                request.user, content, name=(request.POST.get("name") or "").strip() or None
            )
            suffix = f"&flagged={len(summary.flagged)}" if summary else ""
            return redirect(f"{request.path}?saved={record.name}{suffix}")
        except InputError as exc:
            errors = [
                {"id": p.field if p.field == "name" else "scenario_file", "text": problem_text(p)} for p in exc.problems
            ]
    saved = request.GET.get("saved", "")[:60]
    return render(
        request,
        "procurement/scenarios.html",
        {
            "scenarios": [
                {"name": r.name, "label": r.label, "shown": [(k, json.dumps(v)) for k, v in r.overrides.items()]}
                for r in reassessment.visible_scenarios(request.user)
            ],
            "errors": errors,
            "may_upload": may_upload,
            "saved": saved,
            "flagged": request.GET.get("flagged", "")[:6],
            "values": request.POST if request.method == "POST" else {},
            "parameters": [
                # "null" in a label is the YAML word to write (no cap): shown as something to type
                {**p, "label": mark_safe(escape(p["label"]).replace("null", "<code>null</code>"))}  # noqa: S308
                for p in reassessment.known_parameters()
            ],
        },
        status=422 if errors else 200,
    )


# -- verdicts that would change under the rules now ----------------------------------------------


@login_required
def reassessment_page(request):
    """The assessments the user may see whose verdict or figures would change under the rules now."""
    if request.method == "POST":
        from accord.background.jobs import submit
        from accord.procurement.jobs import REASSESS

        policy.require(request.user, "create")
        job = submit(request.user, REASSESS, "Evaluate the SAFE assessments again under the rules now", {})
        return redirect(f"/jobs/{job.pk}/")
    flagged = policy.visible(request.user, Assessment.objects.select_related("owner")).filter(flagged_at__isnull=False)
    return render(
        request,
        "procurement/reassessment.html",
        {"flagged": flagged.order_by("-flagged_at", "-pk"), "may_run": policy.can(request.user, "create")},
    )


@login_required
@require_POST
def accept_verdict(request, assessment_id: int):
    with contextlib.suppress(InputError):  # accepted already (a second click): the page shows the verdict in force
        reassessment.accept_new_verdict(request.user, assessment_id)
    return redirect("procurement:detail", assessment_id=assessment_id)
