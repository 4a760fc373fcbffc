"""Fixtures shared by every capability's tests.

- ``reference_data``: the parties reference data in the test database.
- ``make_user(party_code, *roles)``: a user acting for a party (password ``PASSWORD``).
- ``api_client(user)``: a Django test client that sends a fresh API token for ``user``.
- ``page`` and ``login``: Playwright driving Debian's chromium against ``live_server``.
"""

from __future__ import annotations

import itertools
import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's guard
# against database calls from async code would otherwise refuse the test's own queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple-42"
_user_numbers = itertools.count(1)


def _ensure_parties() -> None:
    from accord.platform.models import Party
    from accord.platform.reference import load_parties

    if not Party.objects.exists():
        load_parties()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_parties()


@pytest.fixture
def reference_data(db):
    """The parties and memberships, loaded (again, if a transactional test emptied them)."""
    _ensure_parties()


@pytest.fixture
def make_user(reference_data):
    from accord.platform.demo import create_user

    def make(party_code: str, *roles: str, username: str | None = None):
        name = username or f"{party_code.lower()}-user-{next(_user_numbers)}"
        return create_user(name, party_code, list(roles or ("viewer",)), PASSWORD)

    return make


@pytest.fixture
def api_client():
    from django.test import Client

    from accord.platform.tokens import create_token

    def client_for(user=None):
        if user is None:
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user)}")

    return client_for


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def _browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server, reference_data):
    context = _browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Sign ``user`` in through the real sign-in form."""

    def sign_in(user):
        page.goto("/sign-in/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_selector("text=Signed in as")
        return page

    return sign_in
