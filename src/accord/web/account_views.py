"""A user's own settings: which emails they receive."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accord.platform import audit
from accord.platform.audit import acting_as
from accord.web.forms import Checkboxes, GovForm
from accord.web.models import NotificationPreference
from accord.web.notifications import DECISIONS, INVITATIONS

CHOICES = [
    (INVITATIONS, "Invitations to meetings sent to my party"),
    (DECISIONS, "Decisions on what my party asked for (invitations answered, offers to take part answered)"),
]


class PreferencesForm(GovForm):
    kinds = forms.MultipleChoiceField(
        label="Email me about",
        help_text="Select all that apply. Emails go to the address of your account.",
        choices=CHOICES,
        widget=Checkboxes,
        required=False,
        error_messages={"invalid_choice": "Select the emails you want from the list"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def notification_preferences(request):
    preference = NotificationPreference.objects.filter(user=request.user).first()
    chosen = [kind for kind, _ in CHOICES if preference is None or getattr(preference, kind)]
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial={"kinds": chosen})
    if request.method == "POST" and form.is_valid():
        kinds = set(form.cleaned_data["kinds"])
        # The change and its audit entry in one transaction (a preference is no OwnedRecord,
        # so it is recorded as an event).
        with acting_as(request.user), transaction.atomic():
            preference, _ = NotificationPreference.objects.update_or_create(
                user=request.user, defaults={kind: kind in kinds for kind, _ in CHOICES}
            )
            audit.record_event(preference, "preferences", {kind: kind in kinds for kind, _ in CHOICES})
        messages.success(request, "Your email preferences are saved.")
        return redirect("web:notification-preferences")
    return render(
        request,
        "web/notification_preferences.html",
        {"form": form, "form_errors": form.summary, "email": request.user.email},
        status=422 if form.errors else 200,
    )
