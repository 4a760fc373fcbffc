"""The audit trail on screen: administrators filter it by record, user and date, and verify the chain."""

import re

import pytest
from django.db import connection

from accord.platform.audit import acting_as
from accord.platform.models import AuditEntry, Party
from tests.testapp.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(make_user):
    de, fr = make_user("DE", "editor", username="de-editor"), make_user("FR", "editor", username="fr-editor")
    with acting_as(de):
        plan = Dossier.objects.create(owner=Party.objects.get(code="DE"), title="Plan")
        plan.title = "Plan, revised"
        plan.save()
    with acting_as(fr):
        note = Dossier.objects.create(owner=Party.objects.get(code="FR"), title="Note")
    return plan, note


def table(html: str) -> str:
    match = re.search(r'<table[^>]*id="audit-entries".*?</table>', html, re.S)
    return match.group(0) if match else ""


def test_an_administrator_reads_who_changed_what_and_when_in_words(records, make_user, client):
    client.force_login(make_user("DE", "viewer", "administrator"))
    html = client.get("/audit/").content.decode()
    rows = table(html)
    assert "de-editor (DE)" in rows and "Changed" in rows and "Created" in rows and "title" in rows
    assert "Dossier" in rows
    assert not re.search(r"\d{4}-\d\d-\d\dT", rows)
    assert re.search(r"\d{1,2} \w+ \d{4}, \d\d:\d\d CE[S]?T", rows)


def test_a_party_administrator_sees_only_entries_about_their_party(records, make_user, client):
    client.force_login(make_user("DE", "viewer", "administrator"))
    rows = table(client.get("/audit/").content.decode())
    assert "de-editor" in rows and "fr-editor" not in rows


def test_the_trail_is_filtered_by_record_and_by_user(records, make_user, client):
    plan, _ = records
    admin = make_user("COM", "viewer", "administrator")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    rows = table(client.get("/audit/", {"record_type": "testapp.Dossier", "record_id": plan.pk}).content.decode())
    assert rows.split("<tbody")[1].count("<tr") == 2  # created, changed
    rows = table(client.get("/audit/", {"actor": "fr-editor"}).content.decode())
    assert "fr-editor" in rows and "de-editor" not in rows


def test_the_trail_is_filtered_by_date_and_a_bad_date_is_named(records, make_user, client):
    client.force_login(make_user("DE", "viewer", "administrator"))
    assert "No entries match" in client.get("/audit/", {"to": "2000-01-01"}).content.decode()
    response = client.get("/audit/", {"from": "2026-02-30"})
    assert response.status_code == 400
    assert '<a href="#from-day">The first date must be a real date' in response.content.decode()


def test_someone_who_is_not_an_administrator_may_not_read_the_trail(records, make_user, client):
    client.force_login(make_user("DE", "viewer", "editor", "approver"))
    assert client.get("/audit/").status_code == 403
    assert client.post("/audit/verify/").status_code == 403


def test_verifying_an_intact_trail_says_so_in_words(records, make_user, client):
    client.force_login(make_user("DE", "viewer", "administrator"))
    html = client.post("/audit/verify/", follow=True).content.decode()
    assert "The audit trail is intact" in html


def test_verifying_a_tampered_trail_names_the_entry(records, make_user, client):
    target = AuditEntry.objects.order_by("sequence")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET actor = %s WHERE id = %s", ["mallory", target.pk])
    client.force_login(make_user("DE", "viewer", "administrator"))
    html = client.post("/audit/verify/", follow=True).content.decode()
    assert f"has been tampered with at entry {target.sequence}" in html


def test_a_uk_administrator_reads_the_times_in_london_time(make_user, client):
    with acting_as(make_user("GB", "editor", username="gb-editor")):
        Dossier.objects.create(owner=Party.objects.get(code="GB"), title="Plan")
    client.force_login(make_user("GB", "viewer", "administrator"))
    rows = table(client.get("/audit/").content.decode())
    assert re.search(r"\d\d:\d\d (GMT|BST)", rows)
