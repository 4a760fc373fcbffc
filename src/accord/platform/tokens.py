"""Per-user API tokens. The token is shown once; only its SHA-256 hash is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.utils import timezone

from accord.platform import audit
from accord.platform.models import ApiToken

TOKEN_PREFIX = "acc_"


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
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record.user


def revoke_tokens(username: str) -> int:
    user = get_user_model().objects.get(username=username)
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.append(action="token.revoke", record_type="platform.ApiToken", record_id=user.pk,
                 detail={"user": username, "revoked": count})
    return count
