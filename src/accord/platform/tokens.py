"""Per-user API tokens. The token is shown once; only its SHA-256 hash is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from accord.platform import audit
from accord.platform.models import ApiToken

TOKEN_PREFIX = "acc_"
# How stale a token's "last used" time may be. Recording every use made every
# API read a write, so on SQLite all readers queued for the one write lock.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user, name: str = "") -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, key_hash=_hash(token), prefix=token[:10], name=name)
    audit.append(
        action="token.create",
        record_type="platform.ApiToken",
        record_id=record.pk,
        detail={"user": user.get_username(), "prefix": record.prefix, "name": name},
    )
    return token


def user_for_token(token: str):
    """The active user owning this unrevoked token, or None."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    record = (
        ApiToken.objects.select_related("user", "user__accord_profile__party")
        .filter(key_hash=_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional, so that of several processes seeing a stale time only one writes.
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ApiToken.objects.filter(stale, pk=record.pk).update(last_used_at=now)
    return record.user


def revoke_tokens(username: str) -> int:
    user = get_user_model().objects.get(username=username)
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.append(
        action="token.revoke",
        record_type="platform.ApiToken",
        record_id=user.pk,
        detail={"user": username, "revoked": count},
    )
    return count
