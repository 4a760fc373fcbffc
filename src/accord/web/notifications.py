"""Email to the people of a party when something concerns them (Django's email framework).

Sent only once the change is committed (``transaction.on_commit``): a change rolled back
sends nothing, and a mail server that fails does not undo the change (it is logged).
Where mail goes is configured by the environment (``settings.py``: SMTP when
``EMAIL_HOST`` is set, the console otherwise); no address or password is in the repository.
Each user chooses which kinds they receive (``NotificationPreference``; all by default).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string

from accord.web.context import timezone_of
from accord.web.templatetags.accord_text import when

log = logging.getLogger(__name__)

INVITATIONS, DECISIONS = "invitations", "decisions"
KINDS = (INVITATIONS, DECISIONS)


def recipients(party_codes, kind: str) -> list:
    """Active users of the parties, with an email address, who have not turned ``kind`` off."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of notification {kind!r}")
    users = (
        get_user_model()
        .objects.filter(is_active=True, accord_profile__party__code__in=list(party_codes))
        .exclude(email="")
    )
    return list(users.exclude(**{f"notification_preference__{kind}": False}).order_by("pk"))


def notify(party_codes, kind: str, subject: str, template: str, context: dict) -> None:
    """After the current transaction commits, email each recipient ``template`` (plain text)."""
    codes = sorted(set(party_codes))
    transaction.on_commit(lambda: _send(codes, kind, subject, template, context), robust=True)


def link(path: str) -> str:
    """An address on this service for an email (``ACCORD_BASE_URL``, set per deployment)."""
    return settings.ACCORD_BASE_URL.rstrip("/") + path


def _words(context: dict, user) -> dict:
    """The context for one recipient: the moment ``at`` in words, in their time zone."""
    extra = {"user": user, "preferences": link("/account/notifications/")}
    if context.get("at") is not None:
        extra["when"] = when(context["at"], timezone_of(user))
    return {**context, **extra}


def _send(codes, kind: str, subject: str, template: str, context: dict) -> int:
    messages = [
        EmailMessage(
            subject=subject,
            body=render_to_string(template, _words(context, user)),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        for user in recipients(codes, kind)
    ]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except OSError:  # the mail server is down or refuses: the change stands, the failure is logged
        log.exception("could not send %d %s emails", len(messages), kind)
        return 0
