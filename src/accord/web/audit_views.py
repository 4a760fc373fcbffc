"""The audit trail on screen, for administrators: filter by record, user and date; verify the chain.

A platform administrator (superuser) reads every entry; a party administrator
the entries about their party's records or made by their party's users.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.platform import audit, policy
from accord.platform.models import AuditEntry
from accord.web.context import timezone_of
from accord.web.forms import DateField, GovForm, TextInput
from accord.web.templatetags.accord_text import when

PAGE_SIZE = 50
ACTION_WORDS = {
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "share": "Shared",
    "unshare": "No longer shared",
    "decision": "Decided",
}


def _require_administrator(user) -> None:
    if not (user.is_superuser or policy.is_platform_administrator(user)):
        raise PermissionDenied("Only administrators read the audit trail")


def _entries_for(user):
    entries = AuditEntry.objects.all()
    if user.is_superuser:
        return entries
    party = policy.party_of(user)
    return entries.filter(owner=party.code) | entries.filter(actor_party=party.code)


def _record_name(record_type: str) -> str:
    try:
        return str(apps.get_model(record_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return record_type.rsplit(".", 1)[-1]


class AuditFilters(GovForm):
    """The filters of the audit trail; the dates through the GOV.UK date input."""

    record_type = forms.ChoiceField(
        label="Type of record",
        required=False,
        error_messages={"invalid_choice": "Select a type of record from the list"},
    )
    record_id = forms.CharField(
        label="Record number", required=False, max_length=100, widget=TextInput({"inputmode": "numeric"}, width=10)
    )
    actor = forms.CharField(
        label="User name", required=False, max_length=100, widget=TextInput({"autocomplete": "off"}, width=20)
    )

    def __init__(self, data, record_types, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["record_type"].choices = [("", "Any"), *record_types]

    def clean(self):
        start, end = self.cleaned_data.get("from"), self.cleaned_data.get("to")
        if start and end and end < start:
            self.add_error("to", "The last date must be the same as or after the first date")
        return self.cleaned_data


# "from" is a Python keyword: the two date fields are added by name.
AuditFilters.base_fields["from"] = DateField(label="From (first day)", name_in_errors="the first date", required=False)
AuditFilters.base_fields["to"] = DateField(label="To (last day)", name_in_errors="the last date", required=False)


def _field_label(record_type: str, key: str) -> str:
    name = key[:-3] if key.endswith("_id") else key
    try:
        return str(apps.get_model(record_type)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):  # not a field (any more): its stored name, in words
        return name.replace("_", " ")


def _changed_fields(entry: AuditEntry) -> str:
    """The fields a change altered, by their labels (a new or deleted record: nothing to list)."""
    if not entry.before or not entry.after:
        return ""
    before, after = entry.before, entry.after
    keys = sorted(
        k
        for k in set(before) | set(after)
        if before.get(k) != after.get(k) and k not in ("id", "updated_at", "created_at")
    )
    return ", ".join(_field_label(entry.record_type, k) for k in keys)


@login_required
def audit_trail(request):
    _require_administrator(request.user)
    entries = _entries_for(request.user)
    types = sorted(set(entries.values_list("record_type", flat=True)))
    filters = AuditFilters(request.GET, [(t, _record_name(t)) for t in types])
    problems = filters.summary if not filters.is_valid() else []
    # A filter refused is not applied; the others are.
    query = {name: value for name, value in getattr(filters, "cleaned_data", {}).items() if value}
    if query.get("record_type"):
        entries = entries.filter(record_type=query["record_type"])
    if query.get("record_id"):
        entries = entries.filter(record_id=query["record_id"])
    if query.get("actor"):
        entries = entries.filter(actor__iexact=query["actor"])
    zone = ZoneInfo(timezone_of(request.user))
    start, end = query.get("from"), query.get("to")
    if filters.has_error("to"):
        start = end = None
    # A bound at the edge of the calendar (1 January 1, 31 December 9999) bounds nothing.
    if start and start > dt.date.min:
        entries = entries.filter(at__gte=dt.datetime.combine(start, dt.time.min, zone))
    if end and end < dt.date.max:
        entries = entries.filter(at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone))
    page = Paginator(entries.order_by("-sequence"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "sequence": e.sequence,
            "at": e.at,
            "actor": e.actor,
            "actor_party": e.actor_party,
            "action": ACTION_WORDS.get(e.action, e.action.replace("_", " ").capitalize()),
            "record": _record_name(e.record_type),
            "record_id": e.record_id,
            "changed": _changed_fields(e),
        }
        for e in page
    ]
    others = request.GET.copy()
    others.pop("page", None)
    return render(
        request,
        "web/audit_trail.html",
        {
            "rows": rows,
            "page": page,
            "filters": filters,
            "problems": problems,
            "querystring": others.urlencode(),
        },
        status=400 if problems else 200,
    )


@require_POST
@login_required
def verify_audit_trail(request):
    """Recompute the whole chain and say the result in words."""
    _require_administrator(request.user)
    report = audit.verify_chain()
    if report.ok:
        messages.success(
            request,
            f"The audit trail is intact: all {report.entries:,} entries were checked "
            f"and none was altered, removed or inserted. "
            f"Checked {when(dt.datetime.now(dt.UTC), timezone_of(request.user))}.",
        )
    else:
        messages.error(
            request,
            f"The audit trail has been tampered with at entry {report.first_broken:,}: "
            f"{report.reason}. {report.entries:,} entries before it are intact.",
        )
    return redirect("web:audit-trail")
