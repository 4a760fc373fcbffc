"""Pages and forms of civilian seconded posts (EEAS Goalkeeper)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accord.errors import InputError, Problem
from accord.missions import services
from accord.missions.views.common import (
    CALL_POST_ROWS,
    call_form_rows,
    date_of_answer,
    mission_or_404,
    text,
)
from accord.missions.views.register import render_detail
from accord.platform import policy


@login_required
@require_POST
def publish_secondment_call(request, slug):
    mission = mission_or_404(request, slug)
    on, problems = date_of_answer(request, request.POST)
    rows = []  # the form rows that were filled in, in order
    for n in range(CALL_POST_ROWS):
        values = {key: text(request.POST.get(f"posts-{n}-{key}")) for key in ("id", "job_description", "location")}
        if any(values.values()):
            rows.append((n, values))
    data = {
        "id": text(request.POST.get("id")),
        "published_on": text(request.POST.get("published_on")),
        "deadline": text(request.POST.get("deadline")),
        "posts": [values for _, values in rows],
    }
    if not problems:
        try:
            record = services.publish_secondment_call(request.user, mission, data)
        except InputError as exc:
            # The service numbers the posts it was given; give each problem back to its form row.
            def row_field(field):
                match = re.match(r"posts\[(\d+)\](.*)", field or "")
                return f"posts[{rows[int(match[1])][0]}]{match[2]}" if match else field

            problems = [Problem(p.message, field=row_field(p.field), line=p.line, item=p.item) for p in exc.problems]
        except policy.Forbidden as exc:
            raise PermissionDenied(str(exc)) from None
    if problems:
        return render_detail(
            request,
            mission,
            on,
            problems,
            form="call",
            form_data=request.POST,
            call_rows=call_form_rows(request.POST, problems),
        )
    messages.success(request, f"Call {record.code} published for {mission.acronym}.")
    return redirect("missions:secondment-call", pk=record.pk)


def call_or_404(request, pk):
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
    return _render_call(request, call_or_404(request, pk))


@login_required
@require_POST
def apply_for_secondment(request, pk):
    call_record = call_or_404(request, pk)
    data = {key: text(request.POST.get(key)) for key in ("id", "post", "candidate")}
    try:
        record = services.apply_for_secondment(request.user, call_record, data)
    except policy.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except InputError as exc:
        return _render_call(
            request,
            call_record,
            problems=exc.problems,
            form="apply",
            form_data=request.POST,
        )
    messages.success(
        request,
        f"Application {record.code} for post {record.post} submitted for {record.owner.code}.",
    )
    return redirect("missions:secondment-call", pk=call_record.pk)


@login_required
@require_POST
def select_secondees(request, pk):
    call_record = call_or_404(request, pk)
    on, problems = date_of_answer(request, request.POST)
    choices = {}
    for post in call_record.posts:
        value = text(request.POST.get(f"choices.{post['id']}"))
        if value:
            choices[post["id"]] = value
    if not problems:
        try:
            chosen = services.select_secondees(request.user, call_record, choices)
        except policy.Forbidden as exc:
            raise PermissionDenied(str(exc)) from None
        except InputError as exc:
            problems = exc.problems
    if problems:
        return _render_call(
            request,
            call_record,
            problems=problems,
            form="select",
            form_data=request.POST,
        )
    if chosen:
        messages.success(
            request,
            "Selected: " + ", ".join(f"{s['application']} for post {s['post']}" for s in chosen) + ".",
        )
    else:
        messages.info(request, "No application was chosen: nothing was selected.")
    return redirect("missions:secondment-call", pk=call_record.pk)


@login_required
def secondment_totals(request):
    totals = services.secondment_totals_for(request.user)
    return render(request, "missions/secondment_totals.html", {"totals": totals})
