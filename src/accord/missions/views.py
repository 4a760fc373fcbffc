"""Web pages of the missions capability (thin: the service layer does the work)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accord.errors import InputError, Problem
from accord.missions import chart, services
from accord.missions.engine.register import MISSION_TYPES
from accord.missions.engine.catalogues import load_catalogues
from accord.platform import policy

ACTION_LABELS = {
    "call_for_contributions": "Send the call for contributions",
    "offer": "Offer a contribution",
    "withdraw_offer": "Withdraw the offer",
    "recommend": "Recommend acceptance",
    "record_participation_agreement": "Record a participation agreement",
    "accept": "Accept (PSC decision)",
    "reject": "Reject (PSC decision)",
    "associate": "Associate with the Council decision",
}


def _on(request, source):
    today = timezone.localdate()
    try:
        return services.parse_on(source.get("on"), today), []
    except InputError as exc:
        return today, exc.problems


@login_required
def mission_list(request):
    on, problems = _on(request, request.GET)
    type_ = request.GET.get("type") or None
    region = request.GET.get("region") or None
    include_closed = request.GET.get("all") == "1"
    try:
        data = services.missions_for(request.user, on=on, type=type_, region=region, include_closed=include_closed)
    except InputError as exc:
        problems += exc.problems
        data = services.missions_for(request.user, on=on, include_closed=include_closed)
    for m in data["missions"]:
        m["status_label"] = m["status"].replace("_", " ")
    return render(
        request,
        "missions/list.html",
        {"on": on, "problems": problems, "data": data, "types": MISSION_TYPES, "selected_type": type_,
         "selected_region": region, "include_closed": include_closed},
        status=400 if problems else 200,
    )


@login_required
def mission_detail(request, slug):
    mission = _mission_or_404(request, slug)
    on, problems = _on(request, request.GET)
    return _render_detail(request, mission, on, problems)


def _mission_or_404(request, slug):
    try:
        return services.mission_for(request.user, slug)
    except policy.NotVisible:
        raise Http404("no such mission") from None


def _render_detail(request, mission, on, problems, *, form=None, form_data=None, call_rows=None):
    page = services.mission_page(request.user, mission, on)
    for row in page["participations"]:
        row["actions"] = [(a, ACTION_LABELS.get(a, a)) for a in row["available_actions"] if a != "offer"]
    fg = page["force_generation"]
    if fg:
        for r in fg["requirements"]:
            r["capability_label"] = services.capability_label(r["capability"])
    catalogues = load_catalogues()
    return render(
        request,
        "missions/detail.html",
        {
            "on": on,
            "problems": problems,
            "form": form,
            "form_prefix": {"requirement": "req-", "offer": "off-", "call": "call-"}.get(form, ""),
            "call_rows": call_rows or _call_rows({}, []),
            "form_data": form_data or {},
            "mission": mission,
            "page": page,
            "m": page["mission"],
            "fg": fg,
            "chart": chart.gap_chart(fg) if fg else None,
            **services.page_permissions(request.user, mission, on),
            "capabilities": sorted(catalogues.capabilities.values(), key=lambda c: c.label),
            "job_descriptions": sorted(catalogues.job_descriptions.values(), key=lambda j: j.title),
            "status_label": page["mission"]["status"].replace("_", " ").capitalize(),
            "gap_rows": _gap_rows(fg) if fg else [],
        },
        status=400 if problems else 200,
    )


def _gap_rows(fg):
    reasons = {g["requirement"]: g["reasons"] for g in fg["gaps"]}
    return [
        {**r, "reasons": reasons.get(r["id"], []), "capability_label": services.capability_label(r["capability"])}
        for r in fg["requirements"]
    ]


@login_required
@require_POST
def participation_step(request, slug, pk):
    on, problems = _on(request, request.POST)
    if problems:
        messages.error(request, problems[0].message)
        return redirect("missions:detail", slug=slug)
    try:
        participation = services.participation_for(request.user, pk)
    except policy.NotVisible:
        raise Http404("no such participation") from None
    action = request.POST.get("action", "")
    try:
        services.take_step(request.user, participation, action, on)
    except InputError as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    except services.StepRefused as exc:
        messages.error(request, "Refused: " + "; ".join(exc.decision.reasons))
    else:
        messages.success(request, f"{participation.state.code}: {ACTION_LABELS.get(action, action)} – done.")
    return redirect(reverse("missions:detail", args=[participation.mission.slug]) + f"?on={on.isoformat()}")


@login_required
@require_POST
def invite(request, slug):
    try:
        mission = services.mission_for(request.user, slug)
    except policy.NotVisible:
        raise Http404("no such mission") from None
    on, problems = _on(request, request.POST)
    if problems:
        messages.error(request, problems[0].message)
        return redirect("missions:detail", slug=slug)
    state = (request.POST.get("state") or "").strip().upper()
    try:
        services.invite(request.user, mission, state, on)
    except InputError as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
    except policy.Forbidden as exc:
        messages.error(request, str(exc))
    except services.StepRefused as exc:
        messages.error(request, "Refused: " + "; ".join(exc.decision.reasons))
    else:
        messages.success(request, f"{state} invited to {mission.acronym}.")
    return redirect(reverse("missions:detail", args=[mission.slug]) + f"?on={on.isoformat()}")


def _words(value: str) -> list[str]:
    return [w.strip() for w in (value or "").split(",") if w.strip()]


def _number(value: str):
    """A whole number as typed; anything else is passed on for the engine to name."""
    value = (value or "").strip()
    if value == "":
        return None
    return int(value) if value.lstrip("-").isdigit() else value


def _text(value: str):
    value = (value or "").strip()
    return value or None


def _save_and_respond(request, mission, on, problems, *, form: str, save, success: str):
    """Save through the service unless the date was already wrong; show the form again
    with every problem, or go back to the mission with a message."""
    if not problems:
        try:
            save()
        except InputError as exc:
            problems = exc.problems
        except policy.Forbidden as exc:
            messages.error(request, str(exc))
            return redirect(reverse("missions:detail", args=[mission.slug]))
        except services.StepRefused as exc:
            messages.error(request, "Refused: " + "; ".join(exc.decision.reasons))
            return redirect(reverse("missions:detail", args=[mission.slug]))
    if problems:
        return _render_detail(request, mission, on, problems, form=form, form_data=request.POST)
    messages.success(request, success)
    return redirect(reverse("missions:detail", args=[mission.slug]) + f"?on={on.isoformat()}")


@login_required
@require_POST
def add_requirement(request, slug):
    mission = _mission_or_404(request, slug)
    on, problems = _on(request, request.POST)
    data = {
        "id": _text(request.POST.get("id")),
        "capability": _text(request.POST.get("capability")),
        "job_description": _text(request.POST.get("job_description")),
        "quantity": _number(request.POST.get("quantity")),
        "needed_from": _text(request.POST.get("needed_from")),
        "duration_days": _number(request.POST.get("duration_days")),
        "tasks": _words(request.POST.get("tasks")),
        "area": _text(request.POST.get("area")),
    }
    return _save_and_respond(
        request, mission, on, problems, form="requirement",
        save=lambda: services.add_requirement(request.user, mission, data, on),
        success=f"Requirement {data['id']} added to {mission.acronym}.",
    )


@login_required
@require_POST
def add_offer(request, slug):
    mission = _mission_or_404(request, slug)
    on, problems = _on(request, request.POST)
    data = {
        "id": _text(request.POST.get("id")),
        "capability": _text(request.POST.get("capability")),
        "job_description": _text(request.POST.get("job_description")),
        "quantity": _number(request.POST.get("quantity")),
        "available_from": _text(request.POST.get("available_from")),
        "available_until": _text(request.POST.get("available_until")),
        "max_duration_days": _number(request.POST.get("max_duration_days")),
        "excluded_tasks": _words(request.POST.get("excluded_tasks")),
        "excluded_areas": _words(request.POST.get("excluded_areas")),
        "common_cost": request.POST.get("common_cost") == "1",
    }
    return _save_and_respond(
        request, mission, on, problems, form="offer",
        save=lambda: services.add_offer(request.user, mission, data, on),
        success=f"Offer {data['id']} recorded for {mission.acronym}.",
    )


# --- civilian seconded posts (EEAS Goalkeeper) ---------------------------------

CALL_POST_ROWS = 5  # post rows on the "Publish a call" form; blank rows are left out


def _call_rows(form_data, problems):
    """The post rows of the call form, with what was typed and each field's error."""
    errors = {p.field: p.message for p in reversed(problems or []) if p.field}
    return [
        {"n": n, **{key: (form_data.get(f"posts-{n}-{key}") or "") for key in ("id", "job_description", "location")},
         "errors": {key: errors.get(f"posts[{n}].{key}", "") for key in ("id", "job_description")}}
        for n in range(CALL_POST_ROWS)
    ]


@login_required
@require_POST
def publish_secondment_call(request, slug):
    mission = _mission_or_404(request, slug)
    on, problems = _on(request, request.POST)
    rows = []  # the form rows that were filled in, in order
    for n in range(CALL_POST_ROWS):
        values = {key: _text(request.POST.get(f"posts-{n}-{key}")) for key in ("id", "job_description", "location")}
        if any(values.values()):
            rows.append((n, values))
    data = {
        "id": _text(request.POST.get("id")),
        "published_on": _text(request.POST.get("published_on")),
        "deadline": _text(request.POST.get("deadline")),
        "posts": [values for _, values in rows],
    }
    if not problems:
        try:
            record = services.publish_secondment_call(request.user, mission, data, on)
        except InputError as exc:
            # The service numbers the posts it was given; give each problem back to its form row.
            def row_field(field):
                match = re.match(r"posts\[(\d+)\](.*)", field or "")
                return f"posts[{rows[int(match[1])][0]}]{match[2]}" if match else field

            problems = [Problem(p.message, field=row_field(p.field), line=p.line, item=p.item) for p in exc.problems]
        except policy.Forbidden as exc:
            raise PermissionDenied(str(exc)) from None
    if problems:
        return _render_detail(request, mission, on, problems, form="call", form_data=request.POST,
                              call_rows=_call_rows(request.POST, problems))
    messages.success(request, f"Call {record.code} published for {mission.acronym}.")
    return redirect("missions:secondment-call", pk=record.pk)


def _call_or_404(request, pk):
    try:
        return services.secondment_call_for(request.user, pk)
    except policy.NotVisible:
        raise Http404("no such call") from None


def _render_call(request, call_record, *, problems=(), form=None, form_data=None):
    page = services.secondment_call_page(request.user, call_record)
    problems = list(problems)
    errors = {}
    for p in problems:
        errors.setdefault(p.field, p.message)
    form_data = form_data if form_data is not None else {}
    chosen = form_data if form == "select" else {}
    for post in page["posts"]:
        name = f"choices.{post['id']}"
        post["choice_name"] = name
        post["choice_id"] = "sel-" + re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
        post["choice_error"] = errors.get(name, "") if form == "select" else ""
        held = post["selected"][0]["id"] if post["selected"] else ""
        post["chosen"] = chosen.get(name, "") if form == "select" else held
        post["options"] = [a for a in page["applications"] if a["post"] == post["id"]]
    return render(
        request,
        "missions/secondment_call.html",
        {
            **page,
            "problems": problems,
            "form": form,
            "form_prefix": {"apply": "app-", "select": "sel-"}.get(form, ""),
            "form_data": form_data,
            "today": timezone.localdate(),
            "errors": errors,
        },
        status=400 if problems else 200,
    )


@login_required
def secondment_call(request, pk):
    return _render_call(request, _call_or_404(request, pk))


@login_required
@require_POST
def apply_for_secondment(request, pk):
    call_record = _call_or_404(request, pk)
    data = {key: _text(request.POST.get(key)) for key in ("id", "post", "candidate", "submitted_on")}
    try:
        record = services.apply_for_secondment(request.user, call_record, data)
    except policy.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except InputError as exc:
        return _render_call(request, call_record, problems=exc.problems, form="apply", form_data=request.POST)
    messages.success(request, f"Application {record.code} for post {record.post} submitted for {record.owner.code}.")
    return redirect("missions:secondment-call", pk=call_record.pk)


@login_required
@require_POST
def select_secondees(request, pk):
    call_record = _call_or_404(request, pk)
    on, problems = _on(request, request.POST)
    choices = {}
    for post in call_record.posts:
        value = _text(request.POST.get(f"choices.{post['id']}"))
        if value:
            choices[post["id"]] = value
    if not problems:
        try:
            chosen = services.select_secondees(request.user, call_record, choices, on)
        except policy.Forbidden as exc:
            raise PermissionDenied(str(exc)) from None
        except InputError as exc:
            problems = exc.problems
    if problems:
        return _render_call(request, call_record, problems=problems, form="select", form_data=request.POST)
    if chosen:
        messages.success(request, "Selected: " + ", ".join(f"{s['application']} for post {s['post']}" for s in chosen) + ".")
    else:
        messages.info(request, "No application was chosen: nothing was selected.")
    return redirect("missions:secondment-call", pk=call_record.pk)


@login_required
def secondment_totals(request):
    totals = services.secondment_totals_for(request.user)
    return render(request, "missions/secondment_totals.html", {"totals": totals})
