"""Sign-in throttling (django-axes): counted in the database, so every server
process and every client sees the same count; keyed by user name and address
together; the admin's sign-in included."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _try(client, username, password, url="/sign-in/", **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def test_six_wrong_passwords_from_two_clients_then_the_right_one_is_refused(make_user, settings):
    user = make_user("GB", "viewer")
    first, second = Client(), Client()
    for attempt in range(settings.LOGIN_THROTTLE_FAILURES + 1):
        _try(first if attempt % 2 else second, user.username, "wrong")
    response = _try(first, user.username, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in first.session


def test_the_count_is_kept_in_the_database_not_in_one_process(make_user, settings):
    from axes.models import AccessAttempt

    user = make_user("GB", "viewer")
    for _ in range(2):
        _try(Client(), user.username, "wrong")
    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start == 2 and attempt.ip_address == "127.0.0.1"


def test_another_user_from_the_same_address_still_signs_in(make_user, settings):
    locked, colleague = make_user("GB", "viewer"), make_user("GB", "viewer")
    client = Client()
    for _ in range(settings.LOGIN_THROTTLE_FAILURES + 1):
        _try(client, locked.username, "wrong")
    response = _try(client, colleague.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_the_user_name_differently_capitalised_counts_as_the_same(make_user, settings):
    user = make_user("GB", "viewer")
    for attempt in range(settings.LOGIN_THROTTLE_FAILURES + 1):
        _try(Client(), user.username.upper() if attempt % 2 else user.username, "wrong")
    assert _try(Client(), user.username, PASSWORD).status_code == 429


def test_a_forwarded_for_header_from_an_untrusted_client_does_not_change_its_address(make_user, settings):
    """Otherwise each guess could claim a new address and never be counted together."""
    user = make_user("GB", "viewer")
    for attempt in range(settings.LOGIN_THROTTLE_FAILURES + 1):
        _try(Client(), user.username, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")
    assert _try(Client(), user.username, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_forwarded(make_user, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    user = make_user("GB", "viewer")
    for _ in range(settings.LOGIN_THROTTLE_FAILURES + 1):
        _try(Client(), user.username, "wrong", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _try(Client(), user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # The same user from another office behind the same proxy is not locked out.
    assert _try(Client(), user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302


def test_the_admin_sign_in_is_throttled_too(make_user, settings):
    admin = make_user("COM", "viewer", "administrator")
    client = Client()
    for _ in range(settings.LOGIN_THROTTLE_FAILURES + 7):
        _try(client, admin.username, "wrong", url="/admin/login/")
    response = _try(client, admin.username, PASSWORD, url="/admin/login/?next=/admin/")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_successful_sign_in_before_the_limit_starts_the_count_again(make_user, settings):
    user = make_user("GB", "viewer")
    for _ in range(settings.LOGIN_THROTTLE_FAILURES - 1):
        _try(Client(), user.username, "wrong")
    assert _try(Client(), user.username, PASSWORD).status_code == 302
    for _ in range(settings.LOGIN_THROTTLE_FAILURES - 1):
        _try(Client(), user.username, "wrong")
    assert _try(Client(), user.username, PASSWORD).status_code == 302
