"""Sessions end when idle and after a working day; API reads do not write;
unexpected API errors answer JSON; stored links are shown only if http(s)."""

import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD

# The session keys of accord.platform.sessions (written here as text so that
# this module also runs, and fails, on code without that module).
LAST_SEEN_AT, SIGNED_IN_AT = "accord_last_seen_at", "accord_signed_in_at"

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(make_user, client, settings):
    _sign_in(client, make_user("GB", "viewer"))
    assert client.get("/parties/GB/").status_code == 200
    _age_session(client, **{LAST_SEEN_AT: settings.SESSION_IDLE_SECONDS + 5})
    response = client.get("/parties/GB/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_an_active_session_still_ends_after_the_absolute_limit(make_user, client, settings):
    _sign_in(client, make_user("GB", "viewer"))
    _age_session(client, **{LAST_SEEN_AT: 10, SIGNED_IN_AT: settings.SESSION_COOKIE_AGE + 5})
    response = client.get("/parties/GB/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_an_active_session_within_the_limits_stays_signed_in(make_user, client):
    _sign_in(client, make_user("GB", "viewer"))
    _age_session(client, **{LAST_SEEN_AT: 20 * 60, SIGNED_IN_AT: 3 * 3600})
    assert client.get("/parties/GB/").status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN_AT] < 60  # the activity was recorded


def test_sessions_last_no_more_than_a_working_day_and_idle_ones_half_an_hour(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_IDLE_SECONDS <= 30 * 60


def test_reading_through_the_api_writes_a_tokens_last_use_at_most_once_a_minute(make_user, api_client):
    client = api_client(make_user("GB", "viewer"))
    assert client.get("/api/v1/me").status_code == 200  # the first use is recorded
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get("/api/v1/me").status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]
    assert writes == []


def test_a_tokens_last_use_is_recorded_again_after_a_minute(make_user, api_client):
    import datetime as dt

    from accord.platform.models import ApiToken

    user = make_user("GB", "viewer")
    client = api_client(user)
    client.get("/api/v1/me")
    token = ApiToken.objects.get(user=user)
    old = token.last_used_at - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
    client.get("/api/v1/me")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > old


def test_an_unexpected_api_error_is_answered_as_json_and_logged(make_user, rf, settings, caplog):
    from accord.api import api

    settings.DEBUG = False
    request = rf.get("/api/v1/me")
    with caplog.at_level("ERROR", logger="accord.api"):
        response = api.on_exception(request, RuntimeError("the disk is full"))
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["errors"][0]["message"].startswith("Something went wrong")
    assert "disk" not in response.content.decode()  # nothing about the cause for the client
    assert "the disk is full" in caplog.text  # everything for the operator


def test_refusals_django_makes_itself_are_not_turned_into_500s(rf, settings):
    from django.core.exceptions import RequestDataTooBig

    from accord.api import api

    settings.DEBUG = False
    with pytest.raises(RequestDataTooBig):
        api.on_exception(rf.post("/api/v1/safe/assessments"), RequestDataTooBig("too big"))


@pytest.mark.parametrize(
    "stored, shown",
    [
        ("https://eur-lex.europa.eu/eli/reg/2025/1106/oj", "https://eur-lex.europa.eu/eli/reg/2025/1106/oj"),
        ("http://example.org/a?b=1", "http://example.org/a?b=1"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("//evil.example/x", ""),
        ("https://", ""),
        (None, ""),
    ],
)
def test_only_http_and_https_links_are_shown(stored, shown):
    from accord.web.templatetags.links import safe_url

    assert safe_url(stored) == shown


def test_a_stored_javascript_link_is_shown_as_text_not_as_a_link(make_user, api_client, client):
    from accord.dialogue.reference import load_reference

    load_reference()
    exercise = {
        "code": "milex-27",
        "name": "MILEX 27 (planned)",
        "start": "2027-09-13",
        "end": "2027-09-24",
        "invited_partners": ["GB"],
        "source_title": "Our source",
        "source_href": "javascript:alert(1)",
    }
    created = api_client(make_user("EEAS", "editor")).post(
        "/api/v1/dialogue/exercises", exercise, content_type="application/json"
    )
    assert created.status_code == 200, created.content
    client.force_login(make_user("GB", "viewer"))
    page = client.get("/dialogue/exercises/").content.decode()
    assert "Our source" in page and "javascript:" not in page
