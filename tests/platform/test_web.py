"""Web pages: GOV.UK layout, sign-in with throttling, party pages, security headers."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_capabilities(reference_data, client):
    page = client.get("/").content.decode()
    for name in ("Procurement (SAFE)", "Military mobility", "CSDP missions", "Dialogue and exercises", "Commitments"):
        assert name in page
    assert "govuk-frontend.min.css" in page


def test_pages_carry_a_content_security_policy_without_inline_script(reference_data, client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


def test_party_pages_need_sign_in(reference_data, client):
    response = client.get("/parties/GB/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_signed_in_user_sees_a_partys_memberships_with_dates(make_user, client):
    client.force_login(make_user("FR", "viewer"))
    page = client.get("/parties/SE/").content.decode()
    assert "North Atlantic Treaty Organization" in page
    assert 'datetime="2024-03-07"' in page


def test_an_unknown_party_page_is_a_friendly_404(make_user, client):
    client.force_login(make_user("FR", "viewer"))
    response = client.get("/parties/QQ/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_sign_in_with_a_wrong_password_shows_an_error_summary(make_user, client):
    user = make_user("GB", "viewer")
    page = client.post("/sign-in/", {"username": user.username, "password": "wrong"}).content.decode()
    assert "There is a problem" in page and "Enter a correct user name and password" in page


def test_sign_in_is_throttled_after_repeated_failures(make_user, client, settings):
    from django.core.cache import cache

    cache.clear()
    user = make_user("GB", "viewer")
    for _ in range(settings.LOGIN_THROTTLE_FAILURES):
        client.post("/sign-in/", {"username": user.username, "password": "wrong"})
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_sign_in_with_the_right_password_works(make_user, client):
    from django.core.cache import cache

    cache.clear()
    user = make_user("GB", "viewer")
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_admin_is_only_for_administrators(make_user, client):
    client.force_login(make_user("GB", "viewer", "editor", "approver"))
    assert client.get("/admin/").status_code == 302  # sent to the admin's sign-in
    admin_user = make_user("COM", "administrator")
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_csrf_protection_is_on(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "x", "password": "y"})
    assert response.status_code == 403
