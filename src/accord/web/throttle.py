"""Sign-in throttling: too many failures for a user name or an address lock it for a while."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    return [f"signin-fail:user:{username.lower()}", f"signin-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_THROTTLE_FAILURES
    return any((cache.get(k) or 0) >= limit for k in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.LOGIN_THROTTLE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete_many(_keys(username, address))
