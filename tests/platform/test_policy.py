"""The policy decides who may see and do what: parties x roles x records."""

import pytest

from accord.platform import policy
from tests.testapp.models import Dossier

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "editor", "approver", "administrator"]


@pytest.fixture
def records(reference_data):
    from accord.platform.models import Party

    de, fr, pl = (Party.objects.get(code=c) for c in ("DE", "FR", "PL"))
    owned_by_de = Dossier.objects.create(owner=de, title="German national plan")
    shared_with_fr = Dossier.objects.create(owner=de, title="Franco-German plan")
    shared_with_fr.shared_with.add(fr)
    public = Dossier.objects.create(owner=pl, title="Public register entry", is_public=True)
    return {"owned_by_de": owned_by_de, "shared_with_fr": shared_with_fr, "public": public}


# (party of the user, record) -> may see
VISIBILITY = {
    ("DE", "owned_by_de"): True,
    ("DE", "shared_with_fr"): True,
    ("DE", "public"): True,
    ("FR", "owned_by_de"): False,
    ("FR", "shared_with_fr"): True,
    ("FR", "public"): True,
    ("GB", "owned_by_de"): False,
    ("GB", "shared_with_fr"): False,
    ("GB", "public"): True,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("party,record_name", list(VISIBILITY))
def test_a_user_sees_only_records_of_their_party_shared_with_it_or_public(make_user, records, party, role, record_name):
    user = make_user(party, role)
    record = records[record_name]
    expected = VISIBILITY[(party, record_name)]
    assert policy.can_see(user, record) is expected
    assert (record in policy.visible(user, Dossier.objects.all())) is expected
    assert policy.can(user, "view", record) is expected


# (role, action) -> allowed on a record of the user's own party
OWN_PARTY_ACTIONS = {
    ("viewer", "edit"): False,
    ("viewer", "approve"): False,
    ("viewer", "administer"): False,
    ("editor", "edit"): True,
    ("editor", "approve"): False,
    ("editor", "administer"): False,
    ("approver", "edit"): False,
    ("approver", "approve"): True,
    ("approver", "administer"): False,
    ("administrator", "edit"): True,
    ("administrator", "approve"): True,
    ("administrator", "administer"): True,
}


@pytest.mark.parametrize("role,action", list(OWN_PARTY_ACTIONS))
def test_what_each_role_may_do_to_its_own_partys_record(make_user, records, role, action):
    user = make_user("DE", role)
    assert policy.can(user, action, records["owned_by_de"]) is OWN_PARTY_ACTIONS[(role, action)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["edit", "approve", "administer"])
def test_a_party_a_record_is_shared_with_may_not_change_it(make_user, records, role, action):
    user = make_user("FR", role)
    assert policy.can(user, action, records["shared_with_fr"]) is False


def test_require_hides_a_record_the_user_may_not_see(make_user, records):
    with pytest.raises(policy.NotVisible):
        policy.require(make_user("FR", "administrator"), "edit", records["owned_by_de"])


def test_require_forbids_an_action_on_a_visible_record(make_user, records):
    with pytest.raises(policy.Forbidden):
        policy.require(make_user("FR", "editor"), "edit", records["shared_with_fr"])


def test_get_visible_does_not_reveal_that_a_hidden_record_exists(make_user, records):
    user = make_user("GB", "viewer")
    with pytest.raises(policy.NotVisible):
        policy.get_visible(user, Dossier.objects.all(), pk=records["owned_by_de"].pk)
    with pytest.raises(policy.NotVisible):
        policy.get_visible(user, Dossier.objects.all(), pk=999999)


def test_only_editors_and_administrators_may_create(make_user):
    assert policy.can(make_user("DE", "editor"), "create")
    assert policy.can(make_user("DE", "administrator"), "create")
    assert not policy.can(make_user("DE", "viewer"), "create")
    assert not policy.can(make_user("DE", "approver"), "create")


def test_an_unknown_action_is_refused(make_user, records):
    assert policy.can(make_user("DE", "administrator"), "launch_missiles", records["owned_by_de"]) is False


def test_an_anonymous_or_partyless_user_sees_nothing(records, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.visible(AnonymousUser(), Dossier.objects.all()).exists()
    loner = django_user_model.objects.create_user("loner", password="x" * 20)
    assert not policy.visible(loner, Dossier.objects.all()).exists()


def test_an_inactive_user_sees_nothing(make_user, records):
    user = make_user("DE", "administrator")
    user.is_active = False
    user.save()
    assert not policy.visible(user, Dossier.objects.all()).exists()


def test_capability_rules_are_registered_and_consulted(make_user, records):
    @policy.rule("testapp.close")
    def may_close(user, record, **context):
        return policy.has_role(user, "approver") and record.status == "draft"

    record = records["owned_by_de"]
    assert policy.can(make_user("DE", "approver"), "testapp.close", record)
    assert not policy.can(make_user("DE", "viewer"), "testapp.close", record)
