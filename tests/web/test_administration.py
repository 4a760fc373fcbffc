"""Administrators manage users, roles and parties; a party administrator only their own party's users."""

import pytest
from django.contrib.auth import get_user_model

from accord.platform.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def gb_admin(make_user):
    return make_user("GB", "viewer", "administrator", username="gb-admin")


def test_an_administrator_sees_users_roles_and_parties_not_a_permission_error(make_user, client):
    client.force_login(make_user("COM", "viewer", "administrator"))
    page = client.get("/admin/").content.decode()
    assert "permission to view or edit anything" not in page
    for section in ("Users", "Profiles", "Parties", "Audit entries"):
        assert section in page, section
    assert client.get("/admin/platform/party/").status_code == 200


def test_a_party_administrator_lists_only_the_users_of_their_own_party(gb_admin, make_user, client):
    make_user("GB", "editor", username="gb-colleague")
    make_user("FR", "editor", username="fr-official")
    client.force_login(gb_admin)
    page = client.get("/admin/auth/user/").content.decode()
    assert "gb-colleague" in page and "fr-official" not in page


def test_a_party_administrator_cannot_open_a_user_of_another_party(gb_admin, make_user, client):
    stranger = make_user("FR", "editor", username="fr-official")
    client.force_login(gb_admin)
    response = client.get(f"/admin/auth/user/{stranger.pk}/change/")
    assert response.status_code in (302, 404)
    assert "fr-official" not in response.content.decode()


def test_a_party_administrator_changes_the_roles_of_a_colleague(gb_admin, make_user, client):
    colleague = make_user("GB", "viewer", username="gb-colleague")
    client.force_login(gb_admin)
    profile = colleague.accord_profile
    response = client.post(
        f"/admin/platform/profile/{profile.pk}/change/", {"party": profile.party_id, "roles": ["viewer", "editor"]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile.refresh_from_db()
    assert profile.roles == ["viewer", "editor"]


def test_a_party_administrator_adds_a_user_to_their_own_party_only(gb_admin, client):
    from accord.platform.models import Party

    client.force_login(gb_admin)
    form = client.get("/admin/auth/user/add/").content.decode()
    assert 'value="{}"'.format(Party.objects.get(code="GB").pk) in form
    assert ">France<" not in form and "French Republic" not in form
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "gb-newcomer",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "usable_password": "true",
            "accord_profile-TOTAL_FORMS": "1",
            "accord_profile-INITIAL_FORMS": "0",
            "accord_profile-MIN_NUM_FORMS": "1",
            "accord_profile-MAX_NUM_FORMS": "1",
            "accord_profile-0-party": str(Party.objects.get(code="FR").pk),
            "accord_profile-0-roles": ["viewer"],
        },
    )
    assert not get_user_model().objects.filter(username="gb-newcomer", accord_profile__party__code="FR").exists()
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "gb-newcomer",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "usable_password": "true",
            "accord_profile-TOTAL_FORMS": "1",
            "accord_profile-INITIAL_FORMS": "0",
            "accord_profile-MIN_NUM_FORMS": "1",
            "accord_profile-MAX_NUM_FORMS": "1",
            "accord_profile-0-party": str(Party.objects.get(code="GB").pk),
            "accord_profile-0-roles": ["viewer"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Profile.objects.get(user__username="gb-newcomer").party.code == "GB"


def test_a_party_administrator_cannot_make_anyone_a_superuser(gb_admin, make_user, client):
    colleague = make_user("GB", "viewer", username="gb-colleague")
    client.force_login(gb_admin)
    page = client.get(f"/admin/auth/user/{colleague.pk}/change/").content.decode()
    assert "is_superuser" not in page


def test_a_party_administrator_reads_parties_but_does_not_change_them(gb_admin, client):
    from accord.platform.models import Party

    client.force_login(gb_admin)
    fr = Party.objects.get(code="FR")
    page = client.get(f"/admin/platform/party/{fr.pk}/change/").content.decode()
    assert "France" in page and 'name="_save"' not in page


def test_a_non_administrator_is_not_let_into_the_admin(make_user, client):
    client.force_login(make_user("GB", "viewer", "editor", "approver"))
    assert client.get("/admin/auth/user/").status_code == 302
