"""Sessions and sign-in across processes: idle and absolute session limits,
and who is signing in from where (for django-axes' throttle).

A signed-in session ends after ``SESSION_IDLE_SECONDS`` without a request
and at the latest ``SESSION_COOKIE_AGE`` seconds after sign-in, whatever the
activity. The last-seen time is written at most once a minute, so that an
active user's pages do not each write to the database.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "accord_signed_in_at"
LAST_SEEN_AT = "accord_last_seen_at"
LAST_SEEN_RESOLUTION = 60  # seconds: how stale the stored last-seen time may be


@receiver(user_logged_in, dispatch_uid="accord-session-signed-in-at")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            session = request.session
            signed_in = session.get(SIGNED_IN_AT)
            last_seen = session.get(LAST_SEEN_AT)
            if signed_in is None or last_seen is None:
                # First request after sign-in (or a session from before this rule).
                session[SIGNED_IN_AT] = signed_in or now
                session[LAST_SEEN_AT] = now
            elif now - last_seen > settings.SESSION_IDLE_SECONDS or now - signed_in > settings.SESSION_COOKIE_AGE:
                logout(request)  # flushes the session; the view then sees an anonymous user
            elif now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)


def client_address(request) -> str:
    """The address a request comes from.

    ``REMOTE_ADDR``, unless it is one of ``TRUSTED_PROXIES``: then the last
    address the proxy appended to ``X-Forwarded-For`` (earlier entries are
    whatever the client claimed and are not believed). waitress, trusting the
    proxy, already puts that address in ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if remote in settings.TRUSTED_PROXIES:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return remote


def attempted_username(request, credentials) -> str:
    """The user name tried, case-folded, so that 'Alice' and 'alice' share one count."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "") if hasattr(request, "POST") else ""
    return str(name or "").strip().casefold()
