"""Civilian seconded posts, as EEAS Goalkeeper runs them: calls by standard
job description (Headhunter), national applications, selection and
statistics (Registrar)."""

import datetime as dt

import pytest

from accord.errors import InputError
from accord.missions.engine.secondment import (
    Application,
    Call,
    Post,
    application_problems,
    secondment_totals,
    select,
    validate_call,
)
from accord.parties import load_registry

REGISTRY = load_registry()
CALL = Call(
    id="EUMM-2027-1",
    mission="EUMM GEORGIA",
    published_on=dt.date(2027, 1, 10),
    deadline=dt.date(2027, 2, 10),
    posts=(Post("P1", "MON"), Post("P2", "MON"), Post("P3", "HRG-ADV")),
)
AFTER_DEADLINE = dt.date(2027, 2, 11)  # applications are received until the end of the deadline day


def app(id, post, party, candidate, on=dt.date(2027, 2, 1)):
    return Application(id=id, call=CALL.id, post=post, candidate=candidate, nominated_by=party, submitted_on=on)


def test_a_call_with_an_unknown_job_description_and_a_deadline_before_publication_is_refused():
    bad = Call("C", "EUMM GEORGIA", dt.date(2027, 2, 1), dt.date(2027, 1, 1), (Post("P1", "ASTRONAUT"),))
    with pytest.raises(InputError) as exc:
        validate_call(bad)
    assert {p.field for p in exc.value.problems} == {"deadline", "posts[0].job_description"}


def test_a_member_state_application_on_the_deadline_day_is_admissible_one_day_later_is_not():
    assert application_problems(app("A1", "P1", "DE", "c1", on=CALL.deadline), CALL, registry=REGISTRY) == []
    late = application_problems(
        app("A1", "P1", "DE", "c1", on=CALL.deadline + dt.timedelta(days=1)), CALL, registry=REGISTRY
    )
    assert late == ["Received on 11 February 2027, after the deadline of 10 February 2027"]


def test_a_third_state_may_nominate_only_for_a_mission_it_was_invited_to():
    norway = app("A1", "P1", "NO", "c1")
    assert application_problems(norway, CALL, registry=REGISTRY) == [
        "Norway is neither an EU member state nor a third state invited to EUMM GEORGIA"
    ]
    assert application_problems(norway, CALL, registry=REGISTRY, invited_third_states={"NO"}) == []


def test_selection_counts_seconded_posts_per_contributor_and_mission():
    apps = [
        app("A1", "P1", "DE", "c1"),
        app("A2", "P2", "NO", "c2"),
        app("A3", "P3", "DE", "c3"),
        app("A4", "P1", "FR", "c4"),
    ]
    chosen = select(
        CALL,
        apps,
        {"P1": "A1", "P2": "A2", "P3": "A3"},
        registry=REGISTRY,
        on=AFTER_DEADLINE,
        invited_third_states={"NO"},
    )
    totals = secondment_totals(chosen)
    assert totals["total"] == 3
    assert totals["by_contributor"] == {"DE": 2, "NO": 1}
    assert totals["by_mission"] == {"EUMM GEORGIA": 3}
    assert totals["by_mission_and_contributor"] == [
        {"mission": "EUMM GEORGIA", "contributor": "DE", "seconded": 2},
        {"mission": "EUMM GEORGIA", "contributor": "NO", "seconded": 1},
    ]


def test_one_candidate_cannot_be_selected_for_two_posts():
    apps = [app("A1", "P1", "DE", "same"), app("A2", "P2", "DE", "same")]
    with pytest.raises(InputError, match="already selected"):
        select(CALL, apps, {"P1": "A1", "P2": "A2"}, registry=REGISTRY, on=AFTER_DEADLINE)


def test_an_application_for_another_post_cannot_be_selected():
    with pytest.raises(InputError) as exc:
        select(CALL, [app("A1", "P1", "DE", "c1")], {"P3": "A1"}, registry=REGISTRY, on=AFTER_DEADLINE)
    assert exc.value.problems[0].field == "choices.P3"


def test_a_selection_on_or_before_the_deadline_day_is_refused():
    apps = [app("A1", "P1", "DE", "c1")]
    for day in (dt.date(2027, 2, 1), CALL.deadline):
        with pytest.raises(InputError) as refused:
            select(CALL, apps, {"P1": "A1"}, registry=REGISTRY, on=day)
        assert refused.value.problems[0].field == "choices"
    assert select(CALL, apps, {"P1": "A1"}, registry=REGISTRY, on=AFTER_DEADLINE)[0].application == "A1"
